//! One outgoing-webhook or slash-command request, from either encoding.

use std::fmt;

use chrono::{DateTime, TimeZone, Utc};
use secrecy::SecretString;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

use arichat_core::Channel;

use crate::lenient::UnixSeconds;
use crate::ChannelError;

/// Which integration posted the request (`outgoing_webhook`, `slash_command` when
/// serialized).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HookKind {
    /// An outgoing webhook: a post in a public channel matched its trigger word or channel.
    OutgoingWebhook,
    /// A slash command (`command` is set): no post is created.
    SlashCommand,
}

/// An outgoing-webhook or slash-command request of Mattermost, read from a form or JSON
/// body. Empty fields read as `""` (Mattermost sends every field, empty when unset).
///
/// `Debug` shows the ids and the kind; the token is a [`SecretString`], and the
/// user name and text appear only by size. Serialized (for the bindings) with every
/// field but the token.
///
/// ```
/// use arichat_channels::mattermost::{Hook, HookKind};
/// let form = b"token=tok&team_id=t1&team_domain=ventas&channel_id=c1&channel_name=town-square\
/// &timestamp=1700000000&user_id=u1&user_name=ana&post_id=p1&text=%40monto+1500&trigger_word=%40monto&file_ids=";
/// let hook = Hook::parse(form, Some("application/x-www-form-urlencoded")).unwrap();
/// assert_eq!(hook.kind, HookKind::OutgoingWebhook);
/// assert_eq!(hook.text, "@monto 1500");
/// assert_eq!(hook.occurred_at.unwrap().timestamp(), 1_700_000_000);
/// assert!(hook.file_ids.is_empty());
/// ```
#[derive(Clone, serde::Serialize)]
#[non_exhaustive]
pub struct Hook {
    /// Outgoing webhook or slash command.
    pub kind: HookKind,
    /// The integration's token, as the body carries it (verify it with
    /// [`MattermostTokens`](crate::verify::MattermostTokens)).
    #[serde(skip)]
    pub token: Option<SecretString>,
    /// The team: arichat's channel account.
    pub team_id: String,
    /// The team's URL name.
    pub team_domain: String,
    /// The channel written in.
    pub channel_id: String,
    /// The channel's URL name.
    pub channel_name: String,
    /// When the post was created (`None` for slash commands, which carry no time).
    pub occurred_at: Option<DateTime<Utc>>,
    /// Who wrote.
    pub user_id: String,
    /// Their user name.
    pub user_name: String,
    /// The post (outgoing webhooks); empty for slash commands.
    pub post_id: String,
    /// The message text (for a slash command, what follows the command).
    pub text: String,
    /// The trigger word that matched (outgoing webhooks).
    pub trigger_word: String,
    /// Attached files, for `GET /api/v4/files/{id}`.
    pub file_ids: Vec<String>,
    /// The slash command (`/venta`).
    pub command: String,
    /// The slash command's trigger id (one per invocation; opens dialogs).
    pub trigger_id: String,
    /// Where a slash command's delayed answers go.
    pub response_url: String,
}

impl fmt::Debug for Hook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hook")
            .field("kind", &self.kind)
            .field("token", &self.token.as_ref().map(|_| "[REDACTED]"))
            .field("team_id", &self.team_id)
            .field("channel_id", &self.channel_id)
            .field("occurred_at", &self.occurred_at)
            .field("user_id", &self.user_id)
            .field("user_name_len", &self.user_name.len())
            .field("post_id", &self.post_id)
            .field("text_len", &self.text.len())
            .field("file_ids", &self.file_ids)
            .field("command", &self.command)
            .field("trigger_id", &self.trigger_id)
            .finish()
    }
}

/// The body's encoding, which also says the `timestamp` unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    /// `timestamp` in epoch milliseconds.
    Json,
    /// `timestamp` in epoch seconds.
    Form,
}

impl Encoding {
    fn of(body: &[u8], content_type: Option<&str>) -> Self {
        let mime = content_type
            .and_then(|c| c.split(';').next())
            .map(|m| m.trim().to_ascii_lowercase());
        match mime.as_deref() {
            Some("application/x-www-form-urlencoded") => Encoding::Form,
            Some(m) if m == "application/json" || m.ends_with("+json") => Encoding::Json,
            _ => match body.iter().find(|b| !b.is_ascii_whitespace()) {
                Some(b'{') => Encoding::Json,
                _ => Encoding::Form,
            },
        }
    }
}

/// The fields as both encodings carry them; every one optional and lenient.
#[derive(Deserialize, Default)]
struct Wire {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    team_id: Option<String>,
    #[serde(default)]
    team_domain: Option<String>,
    #[serde(default)]
    channel_id: Option<String>,
    #[serde(default)]
    channel_name: Option<String>,
    #[serde(default)]
    timestamp: UnixSeconds,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    user_name: Option<String>,
    #[serde(default)]
    post_id: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    trigger_word: Option<String>,
    #[serde(default)]
    file_ids: FileIds,
    #[serde(default)]
    command: Option<String>,
    #[serde(default)]
    trigger_id: Option<String>,
    #[serde(default)]
    response_url: Option<String>,
}

/// `file_ids`: Mattermost joins them with commas in both encodings; an array of
/// strings is read too. Empty pieces are dropped.
#[derive(Default)]
struct FileIds(Vec<String>);

impl<'de> Deserialize<'de> for FileIds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FileIds;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("comma-separated file ids or an array of them")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FileIds, E> {
                Ok(FileIds(split_ids(v)))
            }
            fn visit_unit<E: de::Error>(self) -> Result<FileIds, E> {
                Ok(FileIds::default())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FileIds, A::Error> {
                let mut ids = Vec::new();
                while let Some(id) = seq.next_element::<String>()? {
                    ids.extend(split_ids(&id));
                }
                Ok(FileIds(ids))
            }
        }
        d.deserialize_any(V)
    }
}

fn split_ids(v: &str) -> Vec<String> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn shape(reason: impl Into<String>) -> ChannelError {
    ChannelError::UnexpectedShape {
        channel: Channel::Mattermost,
        reason: reason.into(),
    }
}

impl Hook {
    /// Reads a request body. `content_type` is the request's `Content-Type`; without
    /// one (or an unknown one) a body starting with `{` is JSON, anything else a form.
    ///
    /// # Errors
    /// `invalid_json` for a JSON body that does not parse, or a field of the wrong type
    /// (a number for `text`); `unexpected_shape` without a `team_id`, or with neither a
    /// `post_id` nor (a slash command) a `trigger_id`: nothing would key the event. No
    /// message quotes the body.
    pub fn parse(body: &[u8], content_type: Option<&str>) -> Result<Hook, ChannelError> {
        let encoding = Encoding::of(body, content_type);
        let wire: Wire = match encoding {
            Encoding::Json => {
                let text = crate::json::repair(body);
                serde_json::from_str(&text).map_err(|e| match e.classify() {
                    serde_json::error::Category::Data => shape(crate::json::reason(&e, &text)),
                    _ => ChannelError::json(&e, &text),
                })?
            }
            Encoding::Form => {
                let map: serde_json::Map<String, serde_json::Value> = form_urlencoded::parse(body)
                    .map(|(k, v)| (k.into_owned(), serde_json::Value::String(v.into_owned())))
                    .collect();
                serde_json::from_value(serde_json::Value::Object(map))
                    .map_err(|e| shape(crate::json::reason(&e, "")))?
            }
        };
        Hook::from_wire(wire, encoding)
    }

    fn from_wire(w: Wire, encoding: Encoding) -> Result<Hook, ChannelError> {
        let s = |v: Option<String>| v.unwrap_or_default();
        let team_id = s(w.team_id);
        if team_id.trim().is_empty() {
            return Err(shape("a Mattermost hook needs a `team_id`"));
        }
        let command = s(w.command);
        let kind = if command.is_empty() {
            HookKind::OutgoingWebhook
        } else {
            HookKind::SlashCommand
        };
        let (post_id, trigger_id) = (s(w.post_id), s(w.trigger_id));
        if post_id.is_empty() && trigger_id.is_empty() {
            return Err(shape(
                "a Mattermost hook needs a `post_id` (outgoing webhook) or a `trigger_id` (slash command)",
            ));
        }
        let occurred_at = w
            .timestamp
            .0
            .filter(|t| *t > 0)
            .and_then(|t| match encoding {
                Encoding::Json => Utc.timestamp_millis_opt(t).single(),
                Encoding::Form => Utc.timestamp_opt(t, 0).single(),
            });
        Ok(Hook {
            kind,
            token: w.token.filter(|t| !t.is_empty()).map(SecretString::from),
            team_id,
            team_domain: s(w.team_domain),
            channel_id: s(w.channel_id),
            channel_name: s(w.channel_name),
            occurred_at,
            user_id: s(w.user_id),
            user_name: s(w.user_name),
            post_id,
            text: s(w.text),
            trigger_word: s(w.trigger_word),
            file_ids: w.file_ids.0,
            command,
            trigger_id,
            response_url: s(w.response_url),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    const JSON: &str = r#"{"token":"tok","team_id":"t1","team_domain":"ventas","channel_id":"c1",
        "channel_name":"ventas","timestamp":1700000000123,"user_id":"u1","user_name":"ana",
        "post_id":"p1","text":"@monto 1500 @cliente Juan @tubos 5","trigger_word":"@monto",
        "file_ids":"f1,f2"}"#;

    #[test]
    fn json_timestamps_are_milliseconds_and_form_ones_seconds() {
        let j = Hook::parse(JSON.as_bytes(), Some("application/json")).unwrap();
        assert_eq!(j.occurred_at.unwrap().timestamp_millis(), 1_700_000_000_123);
        assert_eq!(j.file_ids, ["f1", "f2"]);
        assert_eq!(j.token.as_ref().unwrap().expose_secret(), "tok");
        let f = Hook::parse(b"team_id=t1&post_id=p1&timestamp=1700000000", None).unwrap();
        assert_eq!(f.occurred_at.unwrap().timestamp(), 1_700_000_000);
        // Sniffed without a content type, and with parameters on it.
        let sniffed = Hook::parse(JSON.as_bytes(), None).unwrap();
        assert_eq!(sniffed.occurred_at, j.occurred_at);
        let charset =
            Hook::parse(JSON.as_bytes(), Some("Application/JSON; charset=utf-8")).unwrap();
        assert_eq!(charset.occurred_at, j.occurred_at);
    }

    #[test]
    fn slash_commands_are_told_by_their_command() {
        let body = b"token=tok&team_id=t1&channel_id=c1&user_id=u1&user_name=ana&command=%2Fventa\
&text=monto%3D1500+cliente%3D%22Juan%22+tubos%3D5&trigger_id=tr1&response_url=https%3A%2F%2Fmm%2Fhooks%2Fcommands%2Fx";
        let h = Hook::parse(body, Some("application/x-www-form-urlencoded")).unwrap();
        assert_eq!(h.kind, HookKind::SlashCommand);
        assert_eq!(h.command, "/venta");
        assert_eq!(h.text, "monto=1500 cliente=\"Juan\" tubos=5");
        assert_eq!(h.response_url, "https://mm/hooks/commands/x");
        assert!(h.occurred_at.is_none());
    }

    #[test]
    fn file_ids_read_as_a_list_too_and_lenient_scalars_never_fail() {
        let h = Hook::parse(
            br#"{"team_id":"t1","post_id":"p1","file_ids":["a","b,c"],"timestamp":"1700000000000"}"#,
            None,
        )
        .unwrap();
        assert_eq!(h.file_ids, ["a", "b", "c"]);
        assert_eq!(h.occurred_at.unwrap().timestamp(), 1_700_000_000);
        let h = Hook::parse(
            br#"{"team_id":"t1","post_id":"p1","timestamp":"soon"}"#,
            None,
        )
        .unwrap();
        assert!(h.occurred_at.is_none());
    }

    #[test]
    fn bodies_that_key_nothing_or_do_not_parse_fail_without_quoting() {
        let code = |b: &[u8]| Hook::parse(b, None).unwrap_err().code();
        assert_eq!(code(b"post_id=p1&text=secreto"), "unexpected_shape");
        assert_eq!(code(b"team_id=t1&text=secreto"), "unexpected_shape");
        assert_eq!(code(b"{\"team_id\": "), "invalid_json");
        let err = Hook::parse(br#"{"team_id":"t1","post_id":"p1","text":5}"#, None).unwrap_err();
        assert_eq!(err.code(), "unexpected_shape");
        assert!(!format!("{err}{err:?}").contains("secreto"));
    }

    #[test]
    fn debug_hides_the_token_the_name_and_the_text() {
        let h = Hook::parse(JSON.as_bytes(), None).unwrap();
        let json = serde_json::to_value(&h).unwrap();
        assert_eq!(json["kind"], "outgoing_webhook");
        assert_eq!(json["post_id"], "p1");
        assert!(json.get("token").is_none());
        let d = format!("{h:?}");
        assert!(d.contains("p1") && d.contains("REDACTED"), "{d}");
        assert!(
            !d.contains("tok\"") && !d.contains("ana") && !d.contains("Juan"),
            "{d}"
        );
    }
}
