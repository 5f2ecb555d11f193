//! The JSON of one change or item, found in the body text after the typed read.
//!
//! Only items kept raw (an unsupported change, call, preference or content) need it.
//! Building the whole body as a `Value` to take one item from it cost a generic parse
//! of every byte (16% of the WhatsApp corpus's normalize time, perf); instead the body
//! is walked to the item ([`crate::walk`]). A body that asks for more than
//! [`MAX_WALKS`] items has its changes found once (as text, [`Fields`]) instead, so n
//! kept items never cost n walks of the body; either way an item is its own text.

use arichat_core::RawJson;
use serde_json::value::RawValue;

use super::Position;
use crate::fields::Fields;
use crate::span::Start;
use crate::walk::{walk, Step};

/// Walks per body before the whole body is parsed once instead.
const MAX_WALKS: usize = 3;

/// The body's text, and its changes' text by entry once more than [`MAX_WALKS`] items
/// were asked.
pub(crate) struct RawBody<'a> {
    body: &'a str,
    walks: usize,
    changes: Option<Vec<Vec<&'a RawValue>>>,
}

impl<'a> RawBody<'a> {
    pub fn new(body: &'a str) -> Self {
        RawBody {
            body,
            walks: 0,
            changes: None,
        }
    }

    /// The change at `at`, or its `value[list][index]`, as its text in the body
    /// (not yet checked to read as a `Value`: see [`crate::fields::readable`]); `null`
    /// if absent.
    ///
    /// Each item is asked for at most once (an item is kept raw once, and the whole
    /// change only when none of its items became an event), so after the fallback
    /// parse it is moved out of the parsed body rather than cloned.
    ///
    /// An item whose `start` the typed read noted is read from there, without a walk.
    pub fn get(&mut self, at: Position, item: Option<(&str, usize)>, start: Start<'a>) -> RawJson {
        if let Some(found) = start.raw_in(self.body) {
            return RawJson::copy_of(found);
        }
        let mut path = [
            Step::Key("entry"),
            Step::Index(at.entry),
            Step::Key("changes"),
            Step::Index(at.change),
            Step::Key("value"),
            Step::Key(""),
            Step::Index(0),
        ];
        let path = match item {
            None => &path[..4],
            Some((list, index)) => {
                path[5] = Step::Key(list);
                path[6] = Step::Index(index);
                &path[..]
            }
        };
        if self.changes.is_none() && self.walks < MAX_WALKS {
            self.walks += 1;
            // Not checked here: an unsupported event's key checks it in passing (see
            // `crate::unsupported::event`), content kept raw is checked by the caller.
            return walk::<&RawValue>(self.body, path)
                .map_or_else(RawJson::default, RawJson::copy_of);
        }
        let body = self.body;
        let changes = self.changes.get_or_insert_with(|| changes_of(body));
        let change = changes
            .get(at.entry)
            .and_then(|c| c.get(at.change))
            .copied();
        let found = match item {
            None => change,
            Some((list, index)) => change
                .and_then(|c| Fields::of(c).get("value"))
                .and_then(|v| Fields::of(v).get(list))
                .and_then(|l| element(l, index)),
        };
        found.map_or_else(RawJson::default, RawJson::copy_of)
    }
}

/// The text of each entry's changes, by entry (empty where absent).
fn changes_of(body: &str) -> Vec<Vec<&RawValue>> {
    let entries = Fields::parse(body)
        .and_then(|b| b.get("entry"))
        .map(|e| elements(e))
        .unwrap_or_default();
    entries
        .into_iter()
        .map(|e| {
            Fields::of(e)
                .get("changes")
                .map(elements)
                .unwrap_or_default()
        })
        .collect()
}

/// The elements of a JSON array as text (none for other JSON).
fn elements(raw: &RawValue) -> Vec<&RawValue> {
    serde_json::from_str(raw.get()).unwrap_or_default()
}

fn element(raw: &RawValue, index: usize) -> Option<&RawValue> {
    elements(raw).get(index).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn walks_to_the_item_or_null_like_the_generic_parse() {
        let body = r#"{"object":"x","entry":[{"id":"A","changes":[{"value":{"calls":[1,{"a":[2]}]},"field":"calls"}]},
            {"changes":[{"field":"f","value":{"statuses":[{"id":"s"}],"x\u0079":{}}},{"value":7}]}]}"#;
        let whole: Value = serde_json::from_str(body).unwrap();
        let at = |entry, change| Position { entry, change };
        let cases: [(Position, Option<(&str, usize)>); 9] = [
            (at(0, 0), None),
            (at(0, 0), Some(("calls", 1))),
            (at(0, 0), Some(("calls", 2))),
            (at(0, 0), Some(("messages", 0))),
            (at(1, 0), Some(("statuses", 0))),
            (at(1, 0), Some(("xy", 0))),
            (at(1, 1), None),
            (at(1, 1), Some(("calls", 0))),
            (at(2, 0), None),
        ];
        for (position, item) in cases {
            let mut expected = whole["entry"][position.entry]["changes"][position.change].clone();
            if let Some((list, index)) = item {
                expected = expected["value"][list][index].clone();
            }
            // Walked, then (past MAX_WALKS) found from the changes' text: the same.
            let mut raw = RawBody::new(body);
            for _ in 0..=MAX_WALKS {
                assert_eq!(
                    raw.get(position, item, Start::default()),
                    expected,
                    "{item:?}"
                );
            }
        }
    }

    #[test]
    fn the_start_noted_by_the_typed_read_finds_what_the_walk_finds() {
        let body = r#"{"object":"whatsapp_business_account","entry":[{"id":"A","changes":[
            {"value":{"calls":[{"from":"1"}, { "to" : "2" }],"x":[{"y":1}]},"field":"calls"},
            { "value" : {"event":"E"} , "field":"account_update"}]},
            {"changes":[{"value":{"messages":[{"id":"m"},{"\u0069d":"n"}],
            "statuses":[{"id":"s","status":"read"}],"user_preferences":[{"value":"stop"}]},
            "field":"messages"}]}]}"#;
        let parsed: super::super::wire::Body<'_> = serde_json::from_str(body).unwrap();
        let mut noted = 0;
        for (e, entry) in parsed.entry.iter().enumerate() {
            for (c, change) in entry.changes.iter().enumerate() {
                let at = Position {
                    entry: e,
                    change: c,
                };
                let v = change.value.value.as_ref().unwrap();
                let lists = [
                    ("calls", v.calls.iter().map(|i| i.start).collect::<Vec<_>>()),
                    ("messages", v.messages.iter().map(|i| i.start).collect()),
                    ("statuses", v.statuses.iter().map(|i| i.start).collect()),
                    (
                        "user_preferences",
                        v.user_preferences.iter().map(|i| i.start).collect(),
                    ),
                ];
                let items = lists
                    .iter()
                    .flat_map(|(list, starts)| {
                        starts
                            .iter()
                            .enumerate()
                            .map(|(i, s)| (Some((*list, i)), *s))
                    })
                    .chain([(None, change.start)]);
                for (item, start) in items {
                    noted += usize::from(start.raw_in(body).is_some());
                    let walked = RawBody::new(body).get(at, item, Start::default());
                    assert_eq!(RawBody::new(body).get(at, item, start).get(), walked.get());
                }
            }
        }
        // All but the message whose first key is escaped.
        assert_eq!(noted, 8);
    }
}
