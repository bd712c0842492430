//! [`ToJson`]: a value written as JSON text, by serde's rules, for the bodies the app sends.
//! serde_json's serializer would write the same, at a weight the wasm does without. The
//! per-type impls come from [`wire!`](super::wire); here are the impls for std types.

/// A type written as JSON.
pub trait ToJson {
    fn write_json(&self, out: &mut String);
}

/// `value` as JSON text.
pub fn to_string<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    value.write_json(&mut out);
    out
}

/// An object being written, field by field.
pub(crate) struct Object<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> Object<'a> {
    pub(crate) fn open(out: &'a mut String) -> Self {
        out.push('{');
        Object { out, empty: true }
    }

    fn comma(&mut self) {
        if !std::mem::replace(&mut self.empty, false) {
            self.out.push(',');
        }
    }

    /// Never inlined: one copy per field type instead of one per field.
    #[inline(never)]
    pub(crate) fn field<T: ToJson + ?Sized>(&mut self, key: &str, value: &T) {
        self.comma();
        string(self.out, key);
        self.out.push(':');
        value.write_json(self.out);
    }

    /// A field with `skip_serializing_if`: left out when `skip`.
    pub(crate) fn field_unless<T: ToJson + ?Sized>(&mut self, key: &str, value: &T, skip: bool) {
        if !skip {
            self.field(key, value);
        }
    }

    /// A `#[serde(flatten)]` field: its object's fields, written into this one.
    pub(crate) fn flatten<T: ToJson + ?Sized>(&mut self, value: &T) {
        let inner = to_string(value);
        let fields = inner.strip_prefix('{').and_then(|s| s.strip_suffix('}'));
        if let Some(fields) = fields.filter(|f| !f.is_empty()) {
            self.comma();
            self.out.push_str(fields);
        }
    }

    pub(crate) fn close(self) {
        self.out.push('}');
    }
}

/// `s` as a JSON string, escaped as serde_json escapes it.
pub(crate) fn string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let b = u32::from(c) as usize;
                out.push_str("\\u00");
                out.push(char::from(HEX[b >> 4]));
                out.push(char::from(HEX[b & 0xf]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        string(out, self);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        string(out, self);
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

macro_rules! integers {
    ($($t:ty),+) => {$(
        impl ToJson for $t {
            fn write_json(&self, out: &mut String) {
                out.push_str(&self.to_string());
            }
        }
    )+};
}

integers!(i64, u64, i32, u32, u16, u8);

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(v) => v.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            v.write_json(out);
        }
        out.push(']');
    }
}

/// An audit entry's before/after, through serde_json (the app never sends one).
impl ToJson for serde_json::Value {
    fn write_json(&self, out: &mut String) {
        out.push_str(&self.to_string());
    }
}
