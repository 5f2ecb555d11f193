//! One [`Hook`] -> its events (see the module table).

use arichat_core::{
    text::normalize_text, AuthorKind, Channel, ChannelAccountId, ChannelIdentity, ContactRef,
    Direction, Event, EventKind, GroupId, Media, MessageContent, MessageId,
};

use super::hook::{Hook, HookKind};
use crate::key::KeyBuilder;
use crate::NormalizeOptions;

impl Hook {
    /// The hook as arichat events: one per post, plus one per further attached file
    /// (see the [module docs](super)). `options.received_at` dates a slash command;
    /// `options.account` is not needed (the body names the team).
    pub fn events(&self, options: &NormalizeOptions) -> Vec<Event> {
        let account = ChannelAccountId::new(self.team_id.as_str());
        let (key, message_id) = match self.kind {
            HookKind::SlashCommand if self.post_id.is_empty() => (
                KeyBuilder::new(
                    Channel::Mattermost,
                    &self.team_id,
                    9 + self.trigger_id.len(),
                )
                .part("command")
                .part(&self.trigger_id)
                .finish(),
                format!("command:{}", self.trigger_id),
            ),
            _ => (self.post_key(), self.post_id.clone()),
        };
        let contact = (!self.user_id.is_empty()).then(|| ContactRef {
            identity: ChannelIdentity::Mattermost {
                user_id: self.user_id.clone(),
            },
            display_name: (!self.user_name.is_empty()).then(|| self.user_name.clone()),
            phone: None,
        });
        let group = (!self.channel_id.is_empty()).then(|| GroupId::new(self.channel_id.as_str()));
        let at = self.occurred_at.unwrap_or(options.received_at);
        let text = match self.kind {
            HookKind::SlashCommand if !self.text.is_empty() => {
                normalize_text(&format!("{} {}", self.command, self.text))
            }
            HookKind::SlashCommand => normalize_text(&self.command),
            HookKind::OutgoingWebhook => normalize_text(&self.text),
        };
        let message = |key: String, content: MessageContent| {
            Event::new(
                key,
                Channel::Mattermost,
                account.clone(),
                contact.clone(),
                at,
                EventKind::Message {
                    message_id: MessageId::new(message_id.as_str()),
                    direction: Direction::Inbound,
                    author: AuthorKind::Client,
                    content,
                    reply_to: None,
                    forwarded: false,
                    referral: None,
                },
            )
            .in_group(group.clone())
        };
        let document = |id: &str, caption: Option<String>| {
            MessageContent::Document(Media {
                id: Some(id.to_owned()),
                caption,
                ..Media::default()
            })
        };
        let mut files = self.file_ids.iter();
        let first = match files.next() {
            None => MessageContent::Text { body: text },
            Some(id) => document(id, Some(text).filter(|t| !t.is_empty())),
        };
        let mut events = Vec::with_capacity(1 + self.file_ids.len().saturating_sub(1));
        events.push(message(key.clone(), first));
        for (n, id) in files.enumerate() {
            let key = format!("{key}:{}", n + 2);
            events.push(message(key, document(id, None)));
        }
        events
    }

    /// `mattermost:<team_id>:post:<post_id>`: the key of the post's (first) event.
    pub fn post_key(&self) -> String {
        KeyBuilder::new(Channel::Mattermost, &self.team_id, 6 + self.post_id.len())
            .part("post")
            .part(&self.post_id)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    fn options() -> NormalizeOptions {
        NormalizeOptions::new(Utc.timestamp_opt(1_800_000_000, 0).unwrap())
    }

    #[test]
    fn a_post_is_one_inbound_message_of_its_author_in_its_channel() {
        let body =
            br#"{"token":"t","team_id":"team1","channel_id":"chan1","timestamp":1700000000000,
            "user_id":"user1","user_name":"ana","post_id":"post1","text":"@monto 1500"}"#;
        let events = crate::normalize(Channel::Mattermost, body, &options()).unwrap();
        assert_eq!(events.len(), 1);
        let e = &events[0];
        assert_eq!(e.idempotency_key, "mattermost:team1:post:post1");
        assert_eq!(e.channel_account_id.as_str(), "team1");
        assert_eq!(e.group_id.as_ref().unwrap().as_str(), "chan1");
        assert_eq!(e.occurred_at.timestamp(), 1_700_000_000);
        let contact = e.contact.as_ref().unwrap();
        assert_eq!(contact.identity.id(), "user1");
        assert_eq!(contact.identity.channel(), Channel::Mattermost);
        let EventKind::Message {
            message_id,
            content,
            direction,
            ..
        } = &e.kind
        else {
            panic!("{e:?}")
        };
        assert_eq!(message_id.as_str(), "post1");
        assert_eq!(*direction, Direction::Inbound);
        assert_eq!(
            content,
            &MessageContent::Text {
                body: "@monto 1500".into()
            }
        );
    }

    #[test]
    fn files_become_documents_and_only_the_first_carries_the_text() {
        let body = b"team_id=t&post_id=p&user_id=u&text=recibo&file_ids=f1%2Cf2%2Cf3";
        let events = crate::normalize(Channel::Mattermost, body, &options()).unwrap();
        let keys: Vec<_> = events.iter().map(|e| e.idempotency_key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "mattermost:t:post:p",
                "mattermost:t:post:p:2",
                "mattermost:t:post:p:3"
            ]
        );
        let EventKind::Message {
            content: MessageContent::Document(m),
            ..
        } = &events[0].kind
        else {
            panic!()
        };
        assert_eq!(
            (m.id.as_deref(), m.caption.as_deref()),
            (Some("f1"), Some("recibo"))
        );
        let EventKind::Message {
            content: MessageContent::Document(m),
            ..
        } = &events[2].kind
        else {
            panic!()
        };
        assert_eq!((m.id.as_deref(), m.caption.as_deref()), (Some("f3"), None));
    }

    #[test]
    fn a_slash_command_is_keyed_by_its_trigger_and_dated_on_receipt() {
        let body =
            b"team_id=t&channel_id=c&user_id=u&command=%2Fventa&text=monto%3D1500&trigger_id=tr9";
        let events = crate::normalize(Channel::Mattermost, body, &options()).unwrap();
        let e = &events[0];
        assert_eq!(e.idempotency_key, "mattermost:t:command:tr9");
        assert_eq!(e.occurred_at.timestamp(), 1_800_000_000);
        let EventKind::Message {
            message_id,
            content,
            ..
        } = &e.kind
        else {
            panic!()
        };
        assert_eq!(message_id.as_str(), "command:tr9");
        assert_eq!(
            content,
            &MessageContent::Text {
                body: "/venta monto=1500".into()
            }
        );
    }

    #[test]
    fn a_redelivered_hook_in_either_encoding_keys_the_same() {
        let json = br#"{"team_id":"t","post_id":"p","timestamp":1700000000000,"text":"x"}"#;
        let form = b"team_id=t&post_id=p&timestamp=1700000000&text=x";
        let a = crate::normalize(Channel::Mattermost, json, &options()).unwrap();
        let b = crate::normalize(Channel::Mattermost, form, &options()).unwrap();
        assert_eq!(a, b);
    }
}
