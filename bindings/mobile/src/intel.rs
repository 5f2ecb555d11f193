//! Lead intelligence: [`classify`] with the built-in hybrid classifier and [`Scorecard`]
//! scoring a lead with its explanation, thin wrappers around [`arichat_core::intent`]
//! and [`arichat_core::scoring`]. Offline and pure: time is passed in.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

use arichat_core::intent::{HybridClassifier, IntentClassifier};
use arichat_core::scoring::{LeadRecord, Value};

use crate::{to_utc, LifecycleStage, Result};

mirror_enum!(
    /// What a client means by a message (`arichat_core::Intent`).
    Intent => arichat_core::Intent {
        /// Hello, good morning, hi there.
        Greeting,
        /// Asks a price, cost, quote, shipping cost or fees.
        PriceInquiry,
        /// Wants to buy, order, open or sign up; asks how to pay; reports a payment.
        PurchaseIntent,
        /// Discount, counteroffer, installments, bulk or better price, lower rate.
        Negotiation,
        /// Too expensive, will think about it, not now, found cheaper elsewhere.
        Objection,
        /// Stop, unsubscribe, don't write or call, not interested, remove me.
        OptOut,
        /// Call, visit, appointment, demo, opening hours.
        Scheduling,
        /// Complaint, not received, broken, refund, double charge, can't log in.
        Support,
        /// Nothing of the above.
        Other,
    }
);

mirror_enum!(
    /// The language of a message, as far as the classifier can tell
    /// (`arichat_core::intent::Language`).
    Language => arichat_core::intent::Language {
        /// Spanish.
        Es,
        /// Portuguese.
        Pt,
        /// English.
        En,
        /// Too short, mixed or another language.
        Unknown,
    }
);

mirror_enum!(
    /// How a message may ask to stop contact (`arichat_core::intent::OptOutSignal`).
    OptOutSignal => arichat_core::intent::OptOutSignal {
        /// A stop request: automation revokes marketing consent.
        Explicit,
        /// Maybe one: automation suspends marketing and asks an agent.
        Implicit,
    }
);

mirror_enum!(
    /// The kinds of engagement a scorecard rule can give points for
    /// (`arichat_core::scoring::EngagementKind`).
    EngagementKind => arichat_core::scoring::EngagementKind {
        /// The contact wrote.
        InboundMessage,
        /// An agent (or the business's bot) wrote to the contact.
        AgentReply,
        /// An intent was recognised in a message of the contact.
        Intent,
        /// An ad or link brought the contact.
        AdReferral,
        /// The contact tapped a button.
        Postback,
        /// The contact opted in.
        OptIn,
        /// The contact opted out.
        OptOut,
        /// The contact blocked the business.
        Blocked,
        /// The contact read the business's messages.
        Read,
        /// A message to the contact could not be delivered.
        DeliveryFailed,
    }
);

mirror_enum!(
    /// A lead's grade, A (best) to D (`arichat_core::scoring::Grade`).
    Grade => arichat_core::scoring::Grade {
        /// At or above the `a` threshold.
        A,
        /// At or above `b`.
        B,
        /// At or above `c`.
        C,
        /// Below `c`.
        D,
    }
);

mirror_enum!(
    /// What a [`Contribution`] is (`arichat_core::scoring::ContributionKind`).
    ContributionKind => arichat_core::scoring::ContributionKind {
        /// The scorecard's base points.
        Base,
        /// A fit rule that matched.
        Fit,
        /// An engagement rule with at least one matching event.
        Engagement,
        /// A group's cap taking points off (or adding up to its floor).
        GroupCap,
    }
);

/// The built-in classifier, built once per process.
fn classifier() -> &'static HybridClassifier {
    static CLASSIFIER: OnceLock<HybridClassifier> = OnceLock::new();
    CLASSIFIER.get_or_init(HybridClassifier::new)
}

/// A byte offset of `text` as a UTF-16 offset (Kotlin `String` and `NSString` indices).
fn utf16_offset(text: &str, byte: usize) -> u32 {
    let prefix = text.get(..byte).unwrap_or(text);
    u32::try_from(prefix.encode_utf16().count()).unwrap_or(u32::MAX)
}

/// The core's `f32` confidence as the `f64` with the same shortest decimal (0.85, not
/// 0.8500000238418579), as the Python and Node bindings give it.
fn confidence(c: f32) -> f64 {
    c.to_string().parse().unwrap_or(f64::from(c))
}

/// One intent found in a message.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct IntentMatch {
    /// The intent.
    pub intent: Intent,
    /// Confidence in [0, 1].
    pub confidence: f64,
    /// Where the evidence starts, in UTF-16 code units (a Kotlin `String` index).
    pub start: u32,
    /// Where the evidence ends: `text.substring(start, end) == evidence`.
    pub end: u32,
    /// The words that gave the intent away.
    pub evidence: String,
}

/// The intents of a message and the primary one.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Classification {
    /// The intent to act on first (precedence breaks ties), or `Other`. A guess when
    /// `uncertain` is set.
    pub primary: Intent,
    /// Every intent found, highest precedence first.
    pub intents: Vec<IntentMatch>,
    /// Calibrated probability that `primary` is right, in [0, 1].
    pub confidence: f64,
    /// The language of the message.
    pub language: Language,
    /// `confidence` is below the classifier's threshold: `primary` is a guess.
    pub uncertain: bool,
    /// Set when the message may ask to stop contact.
    pub opt_out: Option<OptOutSignal>,
}

/// Classifies one message (Spanish, English or Portuguese) with the built-in hybrid
/// classifier (scoped lexicon phrases read by a calibrated model). The primary intent
/// follows the precedence opt_out > support > purchase_intent > negotiation >
/// objection > price_inquiry > scheduling > greeting > other.
#[uniffi::export]
pub fn classify(text: String) -> Classification {
    let c = classifier().classify(&text);
    Classification {
        primary: c.primary.into(),
        confidence: confidence(c.confidence),
        language: c.language.into(),
        uncertain: c.uncertain,
        opt_out: c.opt_out.map(Into::into),
        intents: c
            .intents
            .iter()
            .map(|m| IntentMatch {
                intent: m.intent.into(),
                confidence: confidence(m.confidence),
                start: utf16_offset(&text, m.start),
                end: utf16_offset(&text, m.end),
                evidence: m.evidence.clone(),
            })
            .collect(),
    }
}

/// One attribute value of a lead record.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum FieldValue {
    /// Missing.
    Null,
    /// A boolean.
    Bool {
        /// The value.
        value: bool,
    },
    /// A number.
    Number {
        /// The value.
        value: f64,
    },
    /// Text.
    Text {
        /// The value.
        value: String,
    },
}

impl From<FieldValue> for Value {
    fn from(value: FieldValue) -> Self {
        match value {
            FieldValue::Null => Value::Null,
            FieldValue::Bool { value } => Value::Bool(value),
            FieldValue::Number { value } => Value::Number(value),
            FieldValue::Text { value } => Value::Text(value),
        }
    }
}

/// One thing a contact did, given to [`Scorecard::score`].
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct EngagementEvent {
    /// What happened.
    pub kind: EngagementKind,
    /// When.
    pub at: SystemTime,
    /// The intent, for [`EngagementKind::Intent`].
    #[uniffi(default)]
    pub intent: Option<Intent>,
    /// A payload: a postback's button payload, a referral's ad id.
    #[uniffi(default)]
    pub payload: Option<String>,
}

/// One line of a score's explanation.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Contribution {
    /// The rule id (`base`, or the group name for a cap).
    pub rule: String,
    /// The rule's name, when it has one.
    pub name: Option<String>,
    /// What it is.
    pub kind: ContributionKind,
    /// Points given; the points of all contributions add up to the total.
    pub points: f64,
    /// Matching events, for engagement rules (0 otherwise).
    pub events: u32,
}

/// The score of one lead with its explanation.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ScoreResult {
    /// `fit + engagement`.
    pub total: f64,
    /// Base points plus fit rules.
    pub fit: f64,
    /// Engagement rules.
    pub engagement: f64,
    /// Grade of the total.
    pub grade: Grade,
    /// Lifecycle stage of the total (IQL, MQL or SQL).
    pub stage: LifecycleStage,
    /// Probability of the positive outcome, when the scorecard has an odds scale.
    pub probability: Option<f64>,
    /// Every rule that gave points, in scorecard order, then group caps.
    pub contributions: Vec<Contribution>,
}

/// A lead scorecard (`arichat_core::scoring::Scorecard`): fit rules, engagement rules,
/// caps, grades and stages, checked on load. Immutable, so safe to share across threads.
#[derive(Debug, uniffi::Object)]
pub struct Scorecard {
    inner: arichat_core::scoring::Scorecard,
}

#[uniffi::export]
impl Scorecard {
    /// Reads a scorecard from TOML.
    ///
    /// # Errors
    /// `InvalidScorecard`, with the parser's or validator's message.
    #[uniffi::constructor]
    pub fn from_toml(text: String) -> Result<Arc<Self>> {
        Ok(Arc::new(Scorecard {
            inner: arichat_core::scoring::Scorecard::from_toml(&text)?,
        }))
    }

    /// Reads a scorecard from JSON (the same shape as the TOML).
    ///
    /// # Errors
    /// `InvalidScorecard`.
    #[uniffi::constructor]
    pub fn from_json(text: String) -> Result<Arc<Self>> {
        Ok(Arc::new(Scorecard {
            inner: arichat_core::scoring::Scorecard::from_json(&text)?,
        }))
    }

    /// The scorecard as TOML.
    pub fn to_toml(&self) -> String {
        self.inner.to_toml()
    }

    /// The scorecard as JSON.
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// Scores a lead as of `now`: `record` maps field names to values, `events` is what
    /// the contact did (events after `now` are ignored).
    ///
    /// # Errors
    /// `InvalidTime` when `now` or an event time is outside the core's range.
    pub fn score(
        &self,
        record: HashMap<String, FieldValue>,
        events: Vec<EngagementEvent>,
        now: SystemTime,
    ) -> Result<ScoreResult> {
        let mut lead = LeadRecord::new();
        for (name, value) in record {
            lead.set(name, Value::from(value));
        }
        let events = events
            .into_iter()
            .map(|e| {
                let mut event =
                    arichat_core::scoring::EngagementEvent::new(e.kind.into(), to_utc(e.at)?);
                event.intent = e.intent.map(Into::into);
                event.payload = e.payload;
                Ok(event)
            })
            .collect::<Result<Vec<_>>>()?;
        let r = self.inner.score(&lead, &events, to_utc(now)?);
        Ok(ScoreResult {
            total: r.total,
            fit: r.fit,
            engagement: r.engagement,
            grade: r.grade.into(),
            stage: r.stage.into(),
            probability: r.probability,
            contributions: r
                .contributions
                .into_iter()
                .map(|c| Contribution {
                    rule: c.rule,
                    name: c.name,
                    kind: c.kind.into(),
                    points: c.points,
                    events: c.events,
                })
                .collect(),
        })
    }
}
