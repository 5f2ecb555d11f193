//! A change's `contacts[]`, looked up by the ids its messages and statuses name.
//!
//! A body usually lists one contact per sender, so a short list is scanned; a long one
//! (a batch of messages from many senders) is indexed once, so the cost per message does
//! not grow with the number of senders in the body.

use std::collections::HashMap;

use super::wire;

/// Above this many contacts the list is indexed instead of scanned.
const SCAN_LIMIT: usize = 8;

/// The `contacts[]` of one change.
pub(crate) struct ContactList<'a> {
    all: &'a [wire::Contact<'a>],
    index: Option<Index<'a>>,
}

/// The position of the first contact with each `wa_id` and each `user_id`.
struct Index<'a> {
    wa_id: HashMap<&'a str, usize>,
    user_id: HashMap<&'a str, usize>,
}

impl<'a> ContactList<'a> {
    pub fn new(all: &'a [wire::Contact<'a>]) -> Self {
        let index = (all.len() > SCAN_LIMIT).then(|| {
            let mut index = Index {
                wa_id: HashMap::with_capacity(all.len()),
                user_id: HashMap::new(),
            };
            for (i, c) in all.iter().enumerate() {
                if let Some(w) = c.wa_id.as_deref() {
                    index.wa_id.entry(w).or_insert(i);
                }
                if let Some(u) = c.user_id.as_deref() {
                    index.user_id.entry(u).or_insert(i);
                }
            }
            index
        });
        ContactList { all, index }
    }

    /// The first contact whose `wa_id` or `user_id` is one of these (as a scan in list
    /// order finds it).
    pub fn find(
        &self,
        wa_id: Option<&str>,
        user_id: Option<&str>,
    ) -> Option<&'a wire::Contact<'a>> {
        let Some(index) = &self.index else {
            return self.all.iter().find(|c| {
                (wa_id.is_some() && c.wa_id.as_deref() == wa_id)
                    || (user_id.is_some() && c.user_id.as_deref() == user_id)
            });
        };
        let by_wa = wa_id.and_then(|w| index.wa_id.get(w).copied());
        let by_user = user_id.and_then(|u| index.user_id.get(u).copied());
        let first = match (by_wa, by_user) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        first.map(|i| &self.all[i])
    }

    /// The only contact, when the list has exactly one.
    pub fn only(&self) -> Option<&'a wire::Contact<'a>> {
        match self.all {
            [only] => Some(only),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(wa_id: Option<String>, user_id: Option<String>) -> wire::Contact<'static> {
        wire::Contact {
            wa_id: wa_id.map(Into::into),
            user_id: user_id.map(Into::into),
            ..wire::Contact::default()
        }
    }

    #[test]
    fn the_index_finds_what_the_scan_finds() {
        // Sizes on both sides of the scan limit; repeated ids; an id in both fields.
        for n in [1, 3, SCAN_LIMIT, SCAN_LIMIT + 1, 40] {
            let all: Vec<wire::Contact> = (0..n)
                .map(|i| {
                    let w = (i % 3 != 2).then(|| format!("57300{}", i % (n / 2 + 1)));
                    let u = (i % 2 == 0).then(|| format!("CO.{}", i % 5));
                    contact(w, u)
                })
                .collect();
            let list = ContactList::new(&all);
            let scan = |w: Option<&str>, u: Option<&str>| {
                all.iter().position(|c| {
                    (w.is_some() && c.wa_id.as_deref() == w)
                        || (u.is_some() && c.user_id.as_deref() == u)
                })
            };
            let mut probes: Vec<(Option<String>, Option<String>)> = vec![(None, None)];
            for i in 0..n + 2 {
                probes.push((Some(format!("57300{i}")), None));
                probes.push((None, Some(format!("CO.{i}"))));
                probes.push((
                    Some(format!("57300{i}")),
                    Some(format!("CO.{}", (i + 1) % 5)),
                ));
            }
            for (w, u) in &probes {
                let got = list
                    .find(w.as_deref(), u.as_deref())
                    .map(|c| std::ptr::from_ref(c) as usize);
                let want =
                    scan(w.as_deref(), u.as_deref()).map(|i| std::ptr::from_ref(&all[i]) as usize);
                assert_eq!(got, want, "n={n} wa_id={w:?} user_id={u:?}");
            }
        }
    }
}
