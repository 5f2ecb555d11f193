//! Dictionary encoding of a text column, for [`Column::Categorical`].

use std::collections::HashMap;

use super::column::Column;

/// A text column dictionary-encoded: its distinct values (in first-seen order, null
/// among them if present) and each row's key into them. Scoring reads it as
/// [`Column::Categorical`], deciding each rule once per distinct value; worth it for
/// low-cardinality text (channel, country, segment) scored many times, or when the
/// data already comes encoded (then build [`Column::Categorical`] from its keys).
///
/// ```
/// use arichat_core::scoring::{Categories, Column, Scorecard};
/// let card = Scorecard::from_toml(r#"
///     [[fit]]
///     id = "wa"
///     field = "channel"
///     equals = "whatsapp"
///     points = 10
/// "#).unwrap();
/// let channel = [Some("whatsapp"), Some("telegram"), None, Some("whatsapp")];
/// let enc = Categories::encode(&channel);
/// assert_eq!(enc.values(), &[Some("whatsapp"), Some("telegram"), None]);
/// let s = card.score_batch(&[("channel", enc.column())], None).unwrap();
/// assert_eq!(s.total, vec![10.0, 0.0, 0.0, 10.0]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Categories<'a> {
    keys: Vec<u32>,
    values: Vec<Option<&'a str>>,
}

impl<'a> Categories<'a> {
    /// Encodes `cells`.
    ///
    /// # Panics
    /// With more than 2^32 distinct values.
    pub fn encode(cells: &[Option<&'a str>]) -> Self {
        let mut values = Vec::new();
        let mut seen: HashMap<Option<&str>, u32> = HashMap::new();
        let keys = cells
            .iter()
            .map(|c| {
                *seen.entry(*c).or_insert_with(|| {
                    values.push(*c);
                    u32::try_from(values.len() - 1).expect("at most 2^32 distinct values")
                })
            })
            .collect();
        Categories { keys, values }
    }

    /// Each row's key into [`Categories::values`].
    pub fn keys(&self) -> &[u32] {
        &self.keys
    }

    /// The distinct values.
    pub fn values(&self) -> &[Option<&'a str>] {
        &self.values
    }

    /// The encoded column, for [`crate::scoring::Scorecard::score_batch`].
    pub fn column(&self) -> Column<'_> {
        Column::Categorical {
            keys: &self.keys,
            values: &self.values,
        }
    }
}
