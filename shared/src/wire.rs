//! Each wire type is written once, inside [`wire!`], and gets from that one definition both
//! serde's derives (which the backend and the OpenAPI document use) and [`FromJson`], the
//! small reader the web app uses instead of serde's derived `Deserialize`.
//!
//! Why two readers: serde's derive compiles a visitor, a field matcher and a sequence reader
//! for every type, each instantiated for serde_json's deserializer, which was about a seventh
//! of the wasm. [`FromJson`] parses once into a tree and takes each type's fields out of it by
//! name, so its per-type code is a list of calls. The macro reads the same `#[serde(...)]`
//! attributes it hands to serde, so the two cannot disagree on a name or a default, and it
//! refuses to compile an attribute it does not implement.

mod json;
mod read;
#[cfg(test)]
mod tests;

pub use json::Json;
pub use read::{Error, FromJson, from_str};
pub(crate) use read::{Fields, keyed, parse_str};

/// Defines a wire type: a struct with named fields, or an enum of unit variants each written
/// `Variant = "wire_name"`. Emits the item with `Serialize`, `Deserialize` and (with the
/// `openapi` feature) `utoipa::ToSchema`, plus its [`FromJson`]. Other derives, doc comments
/// and attributes are passed through unchanged.
///
/// Field attributes the reader follows, as serde does: `#[serde(rename = "..")]`,
/// `#[serde(default)]` (the type's `Default` when missing), `#[serde(flatten)]` (read from
/// what the other fields leave) and `#[serde(skip_serializing_if = "..")]` (writing only).
/// A missing `Option` is `None`, unknown fields are ignored. Any other serde attribute, on a
/// field or on the type, is a compile error rather than a reader that silently differs.
///
/// An enum gets `ALL`, `key()` (its wire name) and `from_key()`, all from the one list that
/// also gives serde and the schema their `rename`s: a new variant cannot compile without its
/// wire name. (The name is taken as a `tt`, not a `literal`: a `literal` fragment reaches the
/// derives wrapped in an invisible group, which utoipa does not look into, so the document
/// listed the Rust names.)
macro_rules! wire {
    (
        $(#[$($attr:tt)*])*
        $vis:vis struct $name:ident {
            $(
                $(#[$($fattr:tt)*])*
                $fvis:vis $field:ident : $ty:ty
            ),* $(,)?
        }
    ) => {
        $crate::wire::container!($([$($attr)*])*);

        $(#[$($attr)*])*
        #[derive(serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        $vis struct $name {
            $(
                $(#[$($fattr)*])*
                $fvis $field: $ty,
            )*
        }

        impl $crate::wire::FromJson for $name {
            fn from_json(j: $crate::wire::Json) -> Result<Self, $crate::wire::Error> {
                let mut o = $crate::wire::Fields::of(j)?;
                // Named fields first: a flattened field reads what they leave.
                $($crate::wire::field!(named o $field (stringify!($field)) take no; $([$($fattr)*])*);)*
                $($crate::wire::field!(flat o $field (stringify!($field)) take no; $([$($fattr)*])*);)*
                Ok($name { $($field),* })
            }
        }
    };
    (
        $(#[$($attr:tt)*])*
        $vis:vis enum $name:ident {
            $(
                $(#[$($vattr:tt)*])*
                $variant:ident = $key:tt
            ),+ $(,)?
        }
    ) => {
        $crate::wire::container!($([$($attr)*])*);

        $(#[$($attr)*])*
        #[derive(serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        $vis enum $name {
            $(
                $(#[$($vattr)*])*
                #[serde(rename = $key)]
                $variant,
            )+
        }

        impl $name {
            /// Every value, in the order declared.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value's name on the wire.
            pub const fn key(self) -> &'static str {
                match self {
                    $($name::$variant => $key,)+
                }
            }

            /// The value whose wire name is `key`.
            pub fn from_key(key: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.key() == key)
            }
        }

        impl $crate::wire::FromJson for $name {
            fn from_json(j: $crate::wire::Json) -> Result<Self, $crate::wire::Error> {
                $crate::wire::keyed(j, $name::from_key)
            }
        }
    };
}

/// The type's own attributes: serde's container attributes (`rename_all`,
/// `deny_unknown_fields`, …) would change the wire in ways the reader does not follow.
macro_rules! container {
    () => {};
    ([serde $($args:tt)*] $($rest:tt)*) => {
        compile_error!(concat!(
            "wire! does not read serde's container attributes: #[serde",
            stringify!($($args)*),
            "]; enums name each variant's wire name instead"
        ));
    };
    ([$($other:tt)*] $($rest:tt)*) => { $crate::wire::container!($($rest)*); };
}

/// One field's reading. Walks the field's attributes keeping its state, the wire name
/// (`$k`), how a missing field is read (`take` or `take_or_default`), whether it is
/// flattened, and emits its `let` in the pass (`named` or `flat`) that reads it.
macro_rules! field {
    // serde's attribute, one argument at a time
    (@serde () $($state:tt)*) => { $crate::wire::field!($($state)*) };
    (@serde (, $($a:tt)*) $($state:tt)*) => { $crate::wire::field!(@serde ($($a)*) $($state)*) };
    (@serde (default $($a:tt)*) $ph:ident $o:ident $f:ident ($k:expr) $how:ident $flat:ident; $($rest:tt)*) => {
        $crate::wire::field!(@serde ($($a)*) $ph $o $f ($k) take_or_default $flat; $($rest)*)
    };
    (@serde (rename = $key:literal $($a:tt)*) $ph:ident $o:ident $f:ident ($k:expr) $how:ident $flat:ident; $($rest:tt)*) => {
        $crate::wire::field!(@serde ($($a)*) $ph $o $f ($key) $how $flat; $($rest)*)
    };
    (@serde (flatten $($a:tt)*) $ph:ident $o:ident $f:ident ($k:expr) $how:ident $flat:ident; $($rest:tt)*) => {
        $crate::wire::field!(@serde ($($a)*) $ph $o $f ($k) $how yes; $($rest)*)
    };
    // what is left out when writing: the reader reads it like any other field
    (@serde (skip_serializing_if = $p:literal $($a:tt)*) $($state:tt)*) => {
        $crate::wire::field!(@serde ($($a)*) $($state)*)
    };
    (@serde ($other:tt $($a:tt)*) $($state:tt)*) => {
        compile_error!(concat!("wire! cannot read a field with serde's `", stringify!($other), "`"))
    };
    // every attribute read: the field's `let`, in its pass
    (named $o:ident $f:ident ($k:expr) $how:ident no;) => { let $f = $o.$how($k)?; };
    (flat $o:ident $f:ident ($k:expr) $how:ident yes;) => { let $f = $o.rest()?; };
    (named $o:ident $f:ident ($k:expr) $how:ident yes;) => {};
    (flat $o:ident $f:ident ($k:expr) $how:ident no;) => {};
    ($ph:ident $o:ident $f:ident ($k:expr) $how:ident $flat:ident; [serde($($a:tt)*)] $($rest:tt)*) => {
        $crate::wire::field!(@serde ($($a)*) $ph $o $f ($k) $how $flat; $($rest)*)
    };
    // a doc comment or the schema's attribute: not the reader's business
    ($ph:ident $o:ident $f:ident ($k:expr) $how:ident $flat:ident; [$($other:tt)*] $($rest:tt)*) => {
        $crate::wire::field!($ph $o $f ($k) $how $flat; $($rest)*)
    };
}

pub(crate) use {container, field, wire};
