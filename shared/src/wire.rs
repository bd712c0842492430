//! Each wire type is written once, inside [`wire!`], and gets from that one definition both
//! serde's derives (which the backend and the OpenAPI document use) and the web app's own
//! reader and writer, [`FromJson`] and [`ToJson`].
//!
//! Why not serde in the app: its derived `Deserialize` compiles a visitor, a field matcher and
//! a sequence reader for every type, each instantiated for serde_json's deserializer, which
//! was about a seventh of the wasm. [`FromJson`] parses once into a tree and takes each
//! type's fields out of it by name, so its per-type code is a list of calls; [`ToJson`] writes
//! a field per call. The macro follows the same `#[serde(...)]` attributes it hands to serde,
//! so the two cannot disagree on a name, a default or a skipped field, and it refuses to
//! compile a serde attribute it does not follow. The tests hold every type against
//! serde_json, both ways.

mod json;
mod read;
#[cfg(test)]
mod tests;
mod write;

pub use json::Json;
pub use read::{Error, FromJson, from_str};
pub(crate) use read::{Fields, keyed, parse_str};
pub(crate) use write::{Object, string};
pub use write::{ToJson, to_string};

/// Defines a wire type: a struct with named fields, or an enum of unit variants each written
/// `Variant = "wire_name"`. Emits the item with `Serialize`, `Deserialize` and (with the
/// `openapi` feature) `utoipa::ToSchema`, plus its [`FromJson`] and [`ToJson`]. Other
/// derives, doc comments and attributes are passed through unchanged.
///
/// Field attributes followed, as serde follows them: `#[serde(rename = "..")]`,
/// `#[serde(default)]` (the type's `Default` when missing), `#[serde(flatten)]` (read from
/// what the other fields leave, written into the same object) and
/// `#[serde(skip_serializing_if = "Option::is_none")]` or `"Vec::is_empty"`. A missing
/// `Option` reads as `None`, unknown fields are ignored. Any other serde attribute, on a field
/// or on the type, is a compile error rather than a reader or writer that silently differs.
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

        // first, so that the type's own attributes may use their helpers (`schema`)
        #[derive(serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        $(#[$($attr)*])*
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
                $($crate::wire::field!(named o $field (stringify!($field)) take no never; $([$($fattr)*])*);)*
                $($crate::wire::field!(flat o $field (stringify!($field)) take no never; $([$($fattr)*])*);)*
                Ok($name { $($field),* })
            }
        }

        impl $crate::wire::ToJson for $name {
            fn write_json(&self, out: &mut String) {
                let $name { $($field),* } = self;
                let mut o = $crate::wire::Object::open(out);
                $($crate::wire::field!(write o $field (stringify!($field)) take no never; $([$($fattr)*])*);)*
                o.close();
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

        // first, so that the type's own attributes may use their helpers (`schema`)
        #[derive(serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        $(#[$($attr)*])*
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

        impl $crate::wire::ToJson for $name {
            fn write_json(&self, out: &mut String) {
                $crate::wire::ToJson::write_json(self.key(), out);
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

/// One field's reading and writing. Walks the field's attributes keeping its state: the wire
/// name (`$k`), how a missing field is read (`take` or `take_or_default`), whether it is
/// flattened, and when writing leaves it out (`never`, `is_none`, `is_empty`). Then emits
/// the field's part of the pass asked for: `named` and `flat` read, `write` writes.
macro_rules! field {
    // serde's attribute, one argument at a time
    (@serde () $($state:tt)*) => { $crate::wire::field!($($state)*) };
    (@serde (, $($a:tt)*) $($state:tt)*) => { $crate::wire::field!(@serde ($($a)*) $($state)*) };
    (@serde (default $($a:tt)*) $ph:ident $o:ident $f:ident ($k:expr) $how:ident $flat:ident $skip:ident; $($rest:tt)*) => {
        $crate::wire::field!(@serde ($($a)*) $ph $o $f ($k) take_or_default $flat $skip; $($rest)*)
    };
    (@serde (rename = $key:literal $($a:tt)*) $ph:ident $o:ident $f:ident ($k:expr) $how:ident $flat:ident $skip:ident; $($rest:tt)*) => {
        $crate::wire::field!(@serde ($($a)*) $ph $o $f ($key) $how $flat $skip; $($rest)*)
    };
    (@serde (flatten $($a:tt)*) $ph:ident $o:ident $f:ident ($k:expr) $how:ident $flat:ident $skip:ident; $($rest:tt)*) => {
        $crate::wire::field!(@serde ($($a)*) $ph $o $f ($k) $how yes $skip; $($rest)*)
    };
    (@serde (skip_serializing_if = "Option::is_none" $($a:tt)*) $ph:ident $o:ident $f:ident ($k:expr) $how:ident $flat:ident $skip:ident; $($rest:tt)*) => {
        $crate::wire::field!(@serde ($($a)*) $ph $o $f ($k) $how $flat is_none; $($rest)*)
    };
    (@serde (skip_serializing_if = "Vec::is_empty" $($a:tt)*) $ph:ident $o:ident $f:ident ($k:expr) $how:ident $flat:ident $skip:ident; $($rest:tt)*) => {
        $crate::wire::field!(@serde ($($a)*) $ph $o $f ($k) $how $flat is_empty; $($rest)*)
    };
    (@serde ($other:tt $($a:tt)*) $($state:tt)*) => {
        compile_error!(concat!(
            "wire! cannot follow serde's `", stringify!($other $($a)*), "` (it knows rename, default, ",
            "flatten, and skip_serializing_if = \"Option::is_none\" or \"Vec::is_empty\")"
        ))
    };
    // every attribute read: the field's part of the pass
    (named $o:ident $f:ident ($k:expr) $how:ident no $skip:ident;) => { let $f = $o.$how($k)?; };
    (flat $o:ident $f:ident ($k:expr) $how:ident yes $skip:ident;) => { let $f = $o.rest()?; };
    (named $o:ident $f:ident ($k:expr) $how:ident yes $skip:ident;) => {};
    (flat $o:ident $f:ident ($k:expr) $how:ident no $skip:ident;) => {};
    (write $o:ident $f:ident ($k:expr) $how:ident no never;) => { $o.field($k, $f); };
    (write $o:ident $f:ident ($k:expr) $how:ident no $skip:ident;) => { $o.field_unless($k, $f, $f.$skip()); };
    (write $o:ident $f:ident ($k:expr) $how:ident yes $skip:ident;) => { $o.flatten($f); };
    ($ph:ident $o:ident $f:ident ($k:expr) $how:ident $flat:ident $skip:ident; [serde($($a:tt)*)] $($rest:tt)*) => {
        $crate::wire::field!(@serde ($($a)*) $ph $o $f ($k) $how $flat $skip; $($rest)*)
    };
    // a doc comment or the schema's attribute: not the wire's business
    ($ph:ident $o:ident $f:ident ($k:expr) $how:ident $flat:ident $skip:ident; [$($other:tt)*] $($rest:tt)*) => {
        $crate::wire::field!($ph $o $f ($k) $how $flat $skip; $($rest)*)
    };
}

pub(crate) use {container, field, wire};
