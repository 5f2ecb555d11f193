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
