//! What a host sends, independent of the vendor, and the checks made before it leaves.
//!
//! An [`Outbound`] message is plain data (serde, tagged by `type`), so every binding can
//! pass it as a JSON object. [`preflight`] decides — without any network — whether it may
//! go now on a channel and how ([`Delivery`]): inside the 24-hour customer-service window,
//! as a WhatsApp template, or with a Messenger/Instagram message tag; and it refuses a
//! marketing send to a contact without consent. The HTTP clients (feature `client`) run
//! it before any request leaves.

mod message;
mod policy;

pub use message::{
    ListRow, ListSection, MediaKind, MediaMessage, MediaSource, Outbound, ReplyButton, Template,
    TemplateButtonKind, TemplateCategory, TemplateComponent, TemplateParameter,
};
pub use policy::{
    preflight, preflight_thread, Delivery, MessageTag, PolicyError, SendContext, SendPolicy,
    Thread, HUMAN_AGENT_WINDOW,
};
