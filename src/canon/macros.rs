//! `vocabulary!` turns one declaration into a Rust enum that CAVRA code can
//! use as a type and the [`Vocabulary`](crate::model::Vocabulary) the guide
//! and checker read. The `///` line above each variant is the meaning the
//! guide renders, so the code's documentation and the guide cannot differ.

macro_rules! vocabulary {
    (
        $(#[doc = $tdoc:literal])*
        $ty:ident {
            id: $id:literal,
            label: $label:literal,
            aliases: [$($alias:literal),* $(,)?],
            fields: [$($field:expr),* $(,)?],
            terms: {
                $(
                    #[doc = $doc:literal]
                    $variant:ident = $name:literal,
                )+
            }
        }
    ) => {
        $(#[doc = $tdoc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $ty {
            $(
                #[doc = $doc]
                #[serde(rename = $name)]
                $variant,
            )+
        }

        impl $ty {
            /// Every term, in canonical order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The vocabulary this type is generated from.
            pub const VOCABULARY: $crate::model::Vocabulary = $crate::model::Vocabulary {
                id: $id,
                label: $label,
                aliases: &[$($alias),*],
                fields: &[$($field),*],
                terms: &[$($crate::model::Term { name: $name, doc: $doc }),+],
                rust_type: stringify!($ty),
            };

            /// The canonical snake_case spelling.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }

            /// The one-line meaning the guide renders.
            pub fn meaning(self) -> &'static str {
                match self {
                    $($ty::$variant => $doc.trim()),+
                }
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $ty {
            type Err = $crate::canon::UnknownTerm;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($name => Ok($ty::$variant),)+
                    _ => Err($crate::canon::UnknownTerm { vocabulary: $id, value: s.to_string() }),
                }
            }
        }
    };
}

/// A field that always belongs to its vocabulary.
macro_rules! field {
    ($key:literal) => {
        $crate::model::Field {
            key: $key,
            only_with: None,
        }
    };
    ($key:literal if $marker:literal) => {
        $crate::model::Field {
            key: $key,
            only_with: Some($marker),
        }
    };
}

/// A boundary item with optional accepted alternative wordings.
macro_rules! item {
    ($text:literal) => {
        $crate::model::Item {
            text: $text,
            also: &[],
        }
    };
    ($text:literal ~ $($also:literal),+) => {
        $crate::model::Item {
            text: $text,
            also: &[$($also),+],
        }
    };
}
