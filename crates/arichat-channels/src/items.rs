//! The cap on items per body ([`Limits::max_items`](crate::Limits::max_items)),
//! enforced while the body is parsed.
//!
//! Every list arichat reads item by item (entries, changes, messages, statuses,
//! contacts, messaging items, attachments, `getUpdates` results) is deserialized
//! through [`capped`] / [`capped_opt`], which take one unit of the body's budget per
//! element and stop the parse when it is spent. Checking only after the parse would be
//! too late: a 900 KB body of `{}` items already costs hundreds of MB as typed structs
//! and events (a WhatsApp `Message` is 576 bytes, an event about 1.3 KB).
//!
//! The budget is per thread and set by [`Scope`] around one `normalize` call: serde's
//! derived code cannot carry a runtime limit down to a field without a seed type for
//! every level of every envelope. Outside a scope (unit tests of wire types) it is
//! unlimited.

use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};

#[derive(Clone, Copy)]
struct Budget {
    limit: usize,
    left: usize,
    exceeded: bool,
}

const UNLIMITED: Budget = Budget {
    limit: usize::MAX,
    left: usize::MAX,
    exceeded: false,
};

thread_local! {
    static BUDGET: Cell<Budget> = const { Cell::new(UNLIMITED) };
}

/// The budget of one `normalize` call; restores the previous one when dropped.
pub(crate) struct Scope {
    previous: Budget,
}

impl Scope {
    /// Starts a budget of `limit` items.
    pub fn enter(limit: usize) -> Scope {
        let previous = BUDGET.replace(Budget {
            limit,
            left: limit,
            exceeded: false,
        });
        Scope { previous }
    }

    /// Whether any parse in this scope found more than `limit` items.
    pub fn exceeded(&self) -> bool {
        BUDGET.get().exceeded
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        BUDGET.set(self.previous);
    }
}

/// Refills the budget before a second read of the same body (the lenient path after
/// the typed one), so its items are not counted twice. An exceeded budget stays so.
pub(crate) fn restart() {
    BUDGET.set(Budget {
        left: BUDGET.get().limit,
        ..BUDGET.get()
    });
}

/// Runs `f` (a second read of items already counted) without counting, so the fast
/// path's re-read of one item costs the body no budget the lenient path would not.
pub(crate) fn uncounted<T>(f: impl FnOnce() -> T) -> T {
    let counting = BUDGET.replace(UNLIMITED);
    let out = f();
    BUDGET.set(counting);
    out
}

/// Takes one item; `false` (and the budget marked exceeded) when none is left.
fn take() -> bool {
    let mut b = BUDGET.get();
    if b.exceeded || b.left == 0 {
        b.exceeded = true;
        BUDGET.set(b);
        return false;
    }
    b.left -= 1;
    BUDGET.set(b);
    true
}

/// A list read under the budget (for hand-written `Deserialize` impls; derived ones
/// use [`capped`] / [`capped_opt`]).
pub(crate) struct Capped<T>(pub Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Capped<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Capped<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a sequence")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Capped<T>, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
                while let Some(item) = seq.next_element()? {
                    if !take() {
                        return Err(de::Error::custom("too many items"));
                    }
                    if items.capacity() == 0 {
                        // Most lists hold one item: room for exactly one, not the four
                        // a first push reserves (4 × 432 bytes for a WhatsApp message,
                        // a request large enough to make the allocator consolidate).
                        items.reserve_exact(1);
                    }
                    items.push(item);
                }
                Ok(Capped(items))
            }
        }
        d.deserialize_seq(V(PhantomData))
    }
}

/// `deserialize_with` for a `Vec<T>` of items.
pub(crate) fn capped<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    Capped::deserialize(d).map(|c| c.0)
}

/// `deserialize_with` for an `Option<Vec<T>>` of items (`null` is `None`).
pub(crate) fn capped_opt<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Vec<T>>, D::Error> {
    Option::<Capped<T>>::deserialize(d).map(|c| c.map(|c| c.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    #[allow(dead_code)] // only whether it parses matters
    struct List {
        #[serde(deserialize_with = "capped")]
        items: Vec<u8>,
        #[serde(default, deserialize_with = "capped_opt")]
        more: Option<Vec<u8>>,
    }

    #[test]
    fn counts_every_list_of_a_scope() {
        let parse = |t: &str| serde_json::from_str::<List>(t).is_ok();
        assert!(
            parse(r#"{"items":[1,2,3,4,5],"more":null}"#),
            "unlimited outside a scope"
        );
        let scope = Scope::enter(4);
        assert!(parse(r#"{"items":[1,2],"more":[3,4]}"#));
        assert!(!scope.exceeded());
        restart();
        assert!(!parse(r#"{"items":[1,2],"more":[3,4,5]}"#));
        assert!(scope.exceeded());
        restart();
        assert!(
            !parse(r#"{"items":[1]}"#),
            "an exceeded budget stays exceeded"
        );
        drop(scope);
        assert!(parse(r#"{"items":[1,2,3,4,5]}"#));
    }
}
