//! What a seller must fix in a deal message, in their language.

use super::DealFieldKind;
use crate::intent::Language;

/// A problem with a deal message that the seller can fix by writing it again. Each has a
/// stable [`code`](Self::code) and a [`message`](Self::message) in Spanish, Portuguese
/// or English that names the tag to write. Messages never repeat what was written
/// (a seller may have put a phone number in the wrong tag).
///
/// ```
/// use arichat_core::deal::{DealError, DealFieldKind};
/// use arichat_core::intent::Language;
/// let err = DealError::MissingField { field: DealFieldKind::Customer, tag: "cliente".into() };
/// assert_eq!(err.code(), "missing_field");
/// assert_eq!(err.message(Language::Es), "falta @cliente");
/// assert_eq!(err.message(Language::Pt), "falta informar @cliente");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DealError {
    /// A required field has no tag.
    #[error("falta @{tag}")]
    MissingField {
        /// The field.
        field: DealFieldKind,
        /// The tenant's first name for it (`cliente`).
        tag: String,
    },
    /// A tag with nothing after it.
    #[error("@{tag} está vacío")]
    EmptyValue {
        /// The field.
        field: DealFieldKind,
        /// The tag as written.
        tag: String,
        /// Byte offset of the tag.
        start: usize,
        /// Byte offset after the tag.
        end: usize,
    },
    /// The amount tag holds no amount.
    #[error("no entiendo el monto de @{tag}: escribe por ejemplo @{tag} 1500")]
    InvalidAmount {
        /// The tag as written.
        tag: String,
        /// Byte offset of the value.
        start: usize,
        /// Byte offset after the value.
        end: usize,
    },
    /// The amount reads two ways (`1.500` in Lima).
    #[error("monto ambiguo: ¿{reading} o {alternative}?")]
    AmbiguousAmount {
        /// The region's reading, written plainly (`1.5`).
        reading: String,
        /// The other reading (`1500`).
        alternative: String,
        /// Byte offset of the value.
        start: usize,
        /// Byte offset after the value.
        end: usize,
    },
    /// The units tag holds no whole number.
    #[error("@{tag} debe ser un número entero, por ejemplo @{tag} 5")]
    InvalidUnits {
        /// The tag as written.
        tag: String,
        /// Byte offset of the value.
        start: usize,
        /// Byte offset after the value.
        end: usize,
    },
    /// One field tagged twice.
    #[error("@{tag} aparece dos veces")]
    DuplicateField {
        /// The field.
        field: DealFieldKind,
        /// The second tag as written.
        tag: String,
        /// Byte offset of the second tag.
        start: usize,
        /// Byte offset after it.
        end: usize,
    },
}

impl DealError {
    /// A stable snake_case code for this kind of problem.
    pub fn code(&self) -> &'static str {
        match self {
            DealError::MissingField { .. } => "missing_field",
            DealError::EmptyValue { .. } => "empty_value",
            DealError::InvalidAmount { .. } => "invalid_amount",
            DealError::AmbiguousAmount { .. } => "ambiguous_amount",
            DealError::InvalidUnits { .. } => "invalid_units",
            DealError::DuplicateField { .. } => "duplicate_field",
        }
    }

    /// The field at fault, when one is.
    pub fn field(&self) -> DealFieldKind {
        match self {
            DealError::MissingField { field, .. }
            | DealError::EmptyValue { field, .. }
            | DealError::DuplicateField { field, .. } => *field,
            DealError::InvalidAmount { .. } | DealError::AmbiguousAmount { .. } => {
                DealFieldKind::Amount
            }
            DealError::InvalidUnits { .. } => DealFieldKind::Units,
        }
    }

    /// The byte span in the message at fault (`None` for a missing field).
    pub fn span(&self) -> Option<(usize, usize)> {
        match self {
            DealError::MissingField { .. } => None,
            DealError::EmptyValue { start, end, .. }
            | DealError::InvalidAmount { start, end, .. }
            | DealError::AmbiguousAmount { start, end, .. }
            | DealError::InvalidUnits { start, end, .. }
            | DealError::DuplicateField { start, end, .. } => Some((*start, *end)),
        }
    }

    /// What to tell the seller, in `language` (Spanish for [`Language::Unknown`]).
    pub fn message(&self, language: Language) -> String {
        match language {
            Language::Es | Language::Unknown => self.to_string(),
            Language::Pt => self.portuguese(),
            Language::En => self.english(),
        }
    }

    fn portuguese(&self) -> String {
        match self {
            DealError::MissingField { tag, .. } => format!("falta informar @{tag}"),
            DealError::EmptyValue { tag, .. } => format!("@{tag} está vazio"),
            DealError::InvalidAmount { tag, .. } => {
                format!("não entendi o valor de @{tag}: escreva por exemplo @{tag} 1500")
            }
            DealError::AmbiguousAmount {
                reading,
                alternative,
                ..
            } => {
                format!("valor ambíguo: {reading} ou {alternative}?")
            }
            DealError::InvalidUnits { tag, .. } => {
                format!("@{tag} deve ser um número inteiro, por exemplo @{tag} 5")
            }
            DealError::DuplicateField { tag, .. } => format!("@{tag} aparece duas vezes"),
        }
    }

    fn english(&self) -> String {
        match self {
            DealError::MissingField { tag, .. } => format!("@{tag} is missing"),
            DealError::EmptyValue { tag, .. } => format!("@{tag} is empty"),
            DealError::InvalidAmount { tag, .. } => {
                format!("cannot read the amount of @{tag}: write for example @{tag} 1500")
            }
            DealError::AmbiguousAmount {
                reading,
                alternative,
                ..
            } => {
                format!("ambiguous amount: {reading} or {alternative}?")
            }
            DealError::InvalidUnits { tag, .. } => {
                format!("@{tag} must be a whole number, for example @{tag} 5")
            }
            DealError::DuplicateField { tag, .. } => format!("@{tag} appears twice"),
        }
    }
}

/// A [`DealError`] as bindings and JSON show it: code, message in the grammar's
/// language, field and span.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DealProblem {
    /// [`DealError::code`].
    pub code: &'static str,
    /// [`DealError::message`].
    pub message: String,
    /// [`DealError::field`].
    pub field: DealFieldKind,
    /// Byte offset of the text at fault (`None` for a missing field).
    pub start: Option<usize>,
    /// Byte offset after it.
    pub end: Option<usize>,
}

impl DealProblem {
    pub(crate) fn new(error: &DealError, language: Language) -> Self {
        let span = error.span();
        DealProblem {
            code: error.code(),
            message: error.message(language),
            field: error.field(),
            start: span.map(|s| s.0),
            end: span.map(|s| s.1),
        }
    }
}
