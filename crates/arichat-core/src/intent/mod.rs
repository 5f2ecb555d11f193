//! Intent classification of inbound messages.
//!
//! [`Intent`] is the closed set of things a client can mean in a sales
//! conversation. When one message carries several intents, [`Intent::precedence`]
//! decides which one is the primary.

use crate::named_enum::named_enum;

named_enum!(
    /// What a client means by a message.
    Intent, "intent", "greeting, price_inquiry, purchase_intent, negotiation, objection, opt_out, scheduling, support, other", {
        /// Hello, good morning, hi there.
        Greeting => "greeting",
        /// Asks a price, cost, quote, shipping cost or fees.
        PriceInquiry => "price_inquiry",
        /// Wants to buy, order, open or sign up; asks how to pay; reports a payment.
        PurchaseIntent => "purchase_intent",
        /// Discount, counteroffer, installments, bulk or better price, lower rate.
        Negotiation => "negotiation",
        /// Too expensive, will think about it, not now, found cheaper elsewhere.
        Objection => "objection",
        /// Stop, unsubscribe, don't write or call, not interested, remove me.
        OptOut => "opt_out",
        /// Call, visit, appointment, demo, opening hours.
        Scheduling => "scheduling",
        /// Complaint, not received, broken, refund, double charge, can't log in.
        Support => "support",
        /// Nothing of the above.
        Other => "other",
    }
);

impl Intent {
    /// Rank used to choose the primary intent: higher wins.
    ///
    /// opt_out > support > purchase_intent > negotiation > objection >
    /// price_inquiry > scheduling > greeting > other.
    ///
    /// ```
    /// use arichat_core::intent::Intent;
    /// assert!(Intent::OptOut.precedence() > Intent::Support.precedence());
    /// assert!(Intent::Greeting.precedence() > Intent::Other.precedence());
    /// ```
    pub fn precedence(self) -> u8 {
        match self {
            Intent::OptOut => 8,
            Intent::Support => 7,
            Intent::PurchaseIntent => 6,
            Intent::Negotiation => 5,
            Intent::Objection => 4,
            Intent::PriceInquiry => 3,
            Intent::Scheduling => 2,
            Intent::Greeting => 1,
            Intent::Other => 0,
        }
    }
}
