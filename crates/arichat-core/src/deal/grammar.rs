//! A tenant's deal grammar: which tag names mean which field, which fields are
//! required, the language of its messages. Built from TOML/JSON over defaults decided
//! here once.

use std::collections::BTreeMap;

use super::DealFieldKind;
use crate::intent::Language;
use crate::money::{ParseOptions, Region};
use crate::CoreError;

/// The default tag names of each field, Spanish and Portuguese.
fn default_names(kind: DealFieldKind) -> &'static [&'static str] {
    match kind {
        DealFieldKind::Amount => &["monto", "valor", "total", "importe"],
        DealFieldKind::Customer => &["cliente", "nombre", "nome"],
        DealFieldKind::Units => &["tubos", "unidades", "cantidad", "quantidade"],
        DealFieldKind::Product => &["producto", "produto"],
        DealFieldKind::Note => &["nota", "obs"],
    }
}

/// Whether a field is required unless the tenant says otherwise.
fn default_required(kind: DealFieldKind) -> bool {
    matches!(kind, DealFieldKind::Amount | DealFieldKind::Customer)
}

/// One field of a [`DealGrammarConfig`].
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FieldConfig {
    /// Replaces the default tag names (the first one is named in messages).
    pub names: Option<Vec<String>>,
    /// Added after the (default or given) names.
    pub also: Vec<String>,
    /// Overrides whether the field is required.
    pub required: Option<bool>,
}

/// A tenant's deal grammar as written in TOML or JSON; every key is optional.
///
/// ```toml
/// region = "CO"       # how amounts are read
/// language = "es"     # messages to the seller: es, pt, en
/// slang = true        # 1.5 lucas
/// [fields.units]
/// names = ["tubos", "piezas"]
/// required = true
/// [fields.customer]
/// also = ["comprador"]
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DealGrammarConfig {
    /// How amounts are read; Colombia by default.
    pub region: Option<Region>,
    /// Language of messages; Spanish by default.
    pub language: Option<Language>,
    /// Read slang amounts (`lucas`, `palos`); off by default.
    pub slang: bool,
    /// Per field changes.
    pub fields: BTreeMap<DealFieldKind, FieldConfig>,
}

/// A compiled deal grammar: tag names (lowercase) to fields.
///
/// ```
/// use arichat_core::deal::{DealFieldKind, DealGrammar};
/// let grammar = DealGrammar::from_toml("[fields.units]\nnames = [\"piezas\"]\nrequired = true").unwrap();
/// assert_eq!(grammar.field("Piezas"), Some(DealFieldKind::Units));
/// assert_eq!(grammar.field("tubos"), None);
/// assert!(grammar.is_required(DealFieldKind::Units));
/// assert_eq!(DealGrammar::default().field("valor"), Some(DealFieldKind::Amount));
/// let err = DealGrammar::from_toml("[fields.units]\nnames = [\"cliente\"]").unwrap_err();
/// assert_eq!(err.code(), "invalid_config");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DealGrammar {
    names: BTreeMap<String, DealFieldKind>,
    first_name: BTreeMap<DealFieldKind, String>,
    required: Vec<DealFieldKind>,
    pub(crate) region: Region,
    pub(crate) language: Language,
    pub(crate) options: ParseOptions,
}

impl Default for DealGrammar {
    fn default() -> Self {
        DealGrammar::new(&DealGrammarConfig::default()).expect("the default grammar is valid")
    }
}

fn invalid(reason: String) -> CoreError {
    CoreError::InvalidConfig {
        what: "deal grammar",
        reason,
    }
}

impl DealGrammar {
    /// Builds a grammar from a config over the defaults. Refuses an empty or
    /// non-alphanumeric name, a name given to two fields, and a field left without names.
    pub fn new(config: &DealGrammarConfig) -> Result<Self, CoreError> {
        let mut names = BTreeMap::new();
        let mut first_name = BTreeMap::new();
        let mut required = Vec::new();
        for kind in DealFieldKind::ALL {
            let given = config.fields.get(kind).cloned().unwrap_or_default();
            let mut list: Vec<String> = match given.names {
                Some(list) => list,
                None => default_names(*kind)
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect(),
            };
            list.extend(given.also);
            if list.is_empty() {
                return Err(invalid(format!("fields.{kind}: no tag names")));
            }
            for name in &list {
                let key = name.to_lowercase();
                if key.is_empty() || !key.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    return Err(invalid(format!(
                        "fields.{kind}: tag name {name:?} must be letters, digits or _"
                    )));
                }
                if let Some(other) = names.insert(key, *kind) {
                    if other != *kind {
                        return Err(invalid(format!(
                            "tag name {name:?} is given to both {other} and {kind}"
                        )));
                    }
                }
            }
            first_name.insert(*kind, list[0].to_lowercase());
            if given.required.unwrap_or_else(|| default_required(*kind)) {
                required.push(*kind);
            }
        }
        Ok(DealGrammar {
            names,
            first_name,
            required,
            region: config.region.unwrap_or(Region::Co),
            language: config.language.unwrap_or(Language::Es),
            options: ParseOptions {
                slang: config.slang,
            },
        })
    }

    /// [`DealGrammar::new`] from TOML.
    pub fn from_toml(text: &str) -> Result<Self, CoreError> {
        let config: DealGrammarConfig =
            toml::from_str(text).map_err(|e| invalid(e.to_string().trim_end().to_owned()))?;
        DealGrammar::new(&config)
    }

    /// [`DealGrammar::new`] from JSON.
    pub fn from_json(text: &str) -> Result<Self, CoreError> {
        let config: DealGrammarConfig =
            serde_json::from_str(text).map_err(|e| CoreError::json("deal grammar", &e, text))?;
        DealGrammar::new(&config)
    }

    /// The same grammar reading amounts the way `region` writes them.
    pub fn with_region(mut self, region: Region) -> Self {
        self.region = region;
        self
    }

    /// The field a tag name means (any case), if any.
    pub fn field(&self, name: &str) -> Option<DealFieldKind> {
        self.names.get(&name.to_lowercase()).copied()
    }

    /// Whether a deal needs this field.
    pub fn is_required(&self, kind: DealFieldKind) -> bool {
        self.required.contains(&kind)
    }

    /// The name messages use for a field (its first).
    pub fn tag(&self, kind: DealFieldKind) -> &str {
        self.first_name.get(&kind).map_or("", String::as_str)
    }

    /// The region amounts are read in.
    pub fn region(&self) -> Region {
        self.region
    }

    /// The language of messages.
    pub fn language(&self) -> Language {
        self.language
    }
}
