//! [`FromJson`]: a type taken out of the parsed tree, by serde's rules. Unknown fields are
//! ignored, a missing `Option` is `None`, a `#[serde(default)]` field may be missing, anything
//! else missing or of the wrong kind is an error. The per-type impls come from
//! [`wire!`](super::wire); here are the building blocks and the impls for std types.

use super::json::{self, Json};

/// Why an answer could not be read: what was wrong, and in which field (the innermost one
/// with a name). Static text in a box: formatting a message at every place a read can fail,
/// or a wider error in every `Result`, costs kilobytes of wasm, and the message is read by a
/// developer, once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(Box<Reason>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Reason {
    what: &'static str,
    field: &'static str,
}

impl Error {
    #[cold]
    #[inline(never)]
    pub(super) fn new(what: &'static str) -> Error {
        Error(Box::new(Reason { what, field: "" }))
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Reason { what, field } = *self.0;
        if field.is_empty() {
            f.write_str(what)
        } else {
            write!(f, "{field}: {what}")
        }
    }
}

/// `text` as `T`.
pub fn from_str<T: FromJson>(text: &str) -> Result<T, Error> {
    T::from_json(json::parse(text)?)
}

/// A type read from a JSON value.
pub trait FromJson: Sized {
    fn from_json(j: Json) -> Result<Self, Error>;

    /// The value of a field that is not there at all: an error, except for `Option`.
    fn missing() -> Result<Self, Error> {
        Err(Error::new("missing field"))
    }
}

/// The fields of an object, taken out one by one.
pub(crate) struct Fields(Vec<(String, Json)>);

impl Fields {
    pub(crate) fn of(j: Json) -> Result<Fields, Error> {
        match j {
            Json::Obj(fields) => Ok(Fields(fields)),
            other => Err(other.wrong()),
        }
    }

    fn take_raw(&mut self, key: &str) -> Option<Json> {
        let at = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.swap_remove(at).1)
    }

    /// A field the type requires (an `Option` may be missing). Never inlined: one copy per
    /// field type instead of one per field.
    #[inline(never)]
    pub(crate) fn take<T: FromJson>(&mut self, key: &'static str) -> Result<T, Error> {
        match self.take_raw(key) {
            Some(j) => T::from_json(j),
            None => T::missing(),
        }
        .map_err(|e| within(key, e))
    }

    /// A `#[serde(default)]` field.
    #[inline(never)]
    pub(crate) fn take_or_default<T: FromJson + Default>(
        &mut self,
        key: &'static str,
    ) -> Result<T, Error> {
        match self.take_raw(key) {
            Some(j) => T::from_json(j).map_err(|e| within(key, e)),
            None => Ok(T::default()),
        }
    }

    /// A `#[serde(flatten)]` field: whatever the other fields left.
    pub(crate) fn rest<T: FromJson>(self) -> Result<T, Error> {
        T::from_json(Json::Obj(self.0))
    }
}

/// `e`, said of the field `key` unless a field inside it is named already.
#[cold]
#[inline(never)]
fn within(key: &'static str, mut e: Error) -> Error {
    if e.0.field.is_empty() {
        e.0.field = key;
    }
    e
}

impl FromJson for String {
    fn from_json(j: Json) -> Result<Self, Error> {
        match j {
            Json::Str(s) => Ok(s),
            other => Err(other.wrong()),
        }
    }
}

impl FromJson for bool {
    fn from_json(j: Json) -> Result<Self, Error> {
        match j {
            Json::Bool(b) => Ok(b),
            other => Err(other.wrong()),
        }
    }
}

/// A JSON integer, exactly: the sign, and the magnitude if it fits in 64 bits. One parser
/// for every integer type (a `str::parse` per type would be one copy each).
fn integer(j: Json) -> Result<(bool, u64), Error> {
    let n = match j {
        Json::Num(n) => n,
        other => return Err(other.wrong()),
    };
    let (negative, digits) = match n.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, n.as_str()),
    };
    digits
        .parse()
        .map(|m| (negative, m))
        .map_err(|_| Error::new("invalid value: not an integer"))
}

macro_rules! integers {
    ($($t:ty),+) => {$(
        impl FromJson for $t {
            fn from_json(j: Json) -> Result<Self, Error> {
                let out_of_range = || Error::new(concat!("invalid value: out of range for ", stringify!($t)));
                match integer(j)? {
                    (false, m) => <$t>::try_from(m).map_err(|_| out_of_range()),
                    // -m, through i128 so that i64::MIN's magnitude fits
                    (true, m) => <$t>::try_from(-i128::from(m)).map_err(|_| out_of_range()),
                }
            }
        }
    )+};
}

integers!(i64, u64, i32, u32, u16, u8);

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(j: Json) -> Result<Self, Error> {
        match j {
            Json::Null => Ok(None),
            j => T::from_json(j).map(Some),
        }
    }

    fn missing() -> Result<Self, Error> {
        Ok(None)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(j: Json) -> Result<Self, Error> {
        match j {
            Json::Arr(items) => {
                // A loop, not `collect` into a `Result`: that adapter costs kilobytes per `T`.
                let mut out = Vec::with_capacity(items.len());
                for j in items {
                    out.push(T::from_json(j)?);
                }
                Ok(out)
            }
            other => Err(other.wrong()),
        }
    }
}

/// A value the wire carries as a string (amounts, keys of vocabularies).
pub(crate) fn parse_str<T>(j: Json, parse: impl FnOnce(&str) -> Option<T>) -> Result<T, Error> {
    let s = String::from_json(j)?;
    parse(&s).ok_or_else(|| Error::new("invalid value"))
}
/// A unit enum, read from its wire name.
pub(crate) fn keyed<T>(j: Json, from_key: fn(&str) -> Option<T>) -> Result<T, Error> {
    parse_str(j, from_key)
}

/// An audit entry's before/after: any JSON, as a `serde_json::Value`. Integers are exact;
/// a fraction (the API sends none there) is kept as its text, since turning it into a float
/// would add a float parser to the app for nothing the page shows.
impl FromJson for serde_json::Value {
    fn from_json(j: Json) -> Result<Self, Error> {
        use serde_json::Value;
        Ok(match j {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(b),
            Json::Num(n) => match (n.parse::<i64>(), n.parse::<u64>()) {
                (Ok(i), _) => Value::from(i),
                (_, Ok(u)) => Value::from(u),
                _ => Value::String(n),
            },
            Json::Str(s) => Value::String(s),
            Json::Arr(items) => Value::Array(Vec::from_json(Json::Arr(items))?),
            Json::Obj(fields) => {
                let mut map = serde_json::Map::new();
                for (k, v) in fields {
                    map.insert(k, Value::from_json(v)?);
                }
                Value::Object(map)
            }
        })
    }
}
