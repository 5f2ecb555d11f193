//! A macro for closed sets with stable snake_case names (serde, `Display`, `FromStr`).
//!
//! Exported (hidden) so that `arichat-channels` declares its closed sets the same way:
//! one list of names, one `FromStr` refusing anything else with `unknown_variant`.

#[doc(hidden)]
#[macro_export]
macro_rules! named_enum {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $expected:literal, { $($(#[$vdoc:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Where the value sits in [`Self::ALL`] (a small integer code, for
            /// columnar outputs: Arrow dictionary keys, lookup tables).
            pub fn index(self) -> usize {
                self as usize
            }

            /// The snake_case name used in JSON.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::CoreError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::CoreError::UnknownVariant { kind: $kind, value: s.to_owned(), expected: $expected }),
                }
            }
        }
    };
}
pub(crate) use crate::named_enum;

/// Asserts what every closed set of [`named_enum!`] promises: its names are distinct,
/// each parses back to its value, and an unknown name is refused with all of them listed
/// in order. For the unit tests of the crates that declare such sets (hidden: not API).
#[doc(hidden)]
pub fn assert_closed_set<T>(all: &[T])
where
    T: Copy
        + PartialEq
        + std::fmt::Debug
        + std::fmt::Display
        + std::str::FromStr<Err = crate::CoreError>,
{
    let names: Vec<String> = all.iter().map(T::to_string).collect();
    let mut unique = names.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "a name repeats: {names:?}");
    for value in all {
        assert_eq!(value.to_string().parse::<T>(), Ok(*value));
    }
    let err = "nope".parse::<T>().unwrap_err();
    assert!(err.to_string().ends_with(&names.join(", ")), "{err}");
}
