//! What every query string shares. A query type's parameters are declared once with
//! `params!` (each one's name, how its value is read and how it is written back), so parsing
//! and `to_pairs` cannot disagree about a name. `Parser` refuses unknown, repeated and
//! control-character parameters and collects one error per bad parameter.

use std::str::FromStr;

use crate::problem::FieldError;

/// Declares the parameters of a query type, in the order they are read and written:
///
/// ```text
/// params! { ListParams for ListQuery {
///     "page" { read: |q, s| set(&mut q.page, positive(s)), write: |q| unless_default(q.page, 1) }
/// } }
/// ```
///
/// `read` gets a present, non-empty value and stores it or says in Chinese what is wrong;
/// `write` gives the value for a query string, `None` for the default (left out). They become
/// separate functions (`read`, `write`, and `KEYS`) rather than a table of function pointers,
/// so a wasm bundle that only writes a query does not carry its parser.
macro_rules! params {
    ($(#[$meta:meta])* $vis:vis $name:ident for $q:ty {
        $($key:literal { read: $read:expr, write: $write:expr $(,)? })+
    }) => {
        $(#[$meta])*
        $vis struct $name;

        impl $name {
            $vis const KEYS: &'static [&'static str] = &[$($key),+];

            $vis fn read(p: &mut $crate::query::parse::Parser<'_>, query: &mut $q) {
                $(p.read_one(query, $key, $read);)+
            }

            $vis fn write(query: &$q, out: &mut Vec<(&'static str, String)>) {
                $($crate::query::parse::write_one(query, $key, $write, out);)+
            }
        }
    };
}
pub(crate) use params;

pub(crate) fn write_one<Q>(
    query: &Q,
    key: &'static str,
    write: impl FnOnce(&Q) -> Option<String>,
    out: &mut Vec<(&'static str, String)>,
) {
    if let Some(value) = write(query) {
        out.push((key, value));
    }
}

/// Collects one error per bad parameter instead of stopping at the first.
pub(crate) struct Parser<'a> {
    pairs: &'a [(String, String)],
    errors: Vec<FieldError>,
}

impl<'a> Parser<'a> {
    pub fn new(pairs: &'a [(String, String)], allowed: &[&str]) -> Self {
        let mut errors = Vec::new();
        // At most one entry per allowed key, so a list is enough (and a set's code would be
        // the only B-tree in the web app's public bundle).
        let mut seen: Vec<&str> = Vec::new();
        for (k, v) in pairs {
            if v.chars().any(char::is_control) {
                errors.push(FieldError::new(k, "含有控制字符"));
            } else if !allowed.contains(&k.as_str()) {
                errors.push(FieldError::new(
                    k,
                    format!("未知参数；可用参数: {}", allowed.join(", ")),
                ));
            } else if seen.contains(&k.as_str()) {
                errors.push(FieldError::new(k, "参数重复"));
            } else {
                seen.push(k);
            }
        }
        Parser { pairs, errors }
    }

    /// The value, or None when absent or empty (an emptied form field means "no filter").
    pub fn raw(&self, key: &str) -> Option<&'a str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// Reads the parameter `key`, if present, into `query`.
    pub fn read_one<Q>(
        &mut self,
        query: &mut Q,
        key: &str,
        read: impl FnOnce(&mut Q, &str) -> Result<(), String>,
    ) {
        if let Some(raw) = self.raw(key)
            && let Err(message) = read(query, raw)
        {
            self.error(key, message);
        }
    }

    /// An error that concerns more than one parameter, reported on `key`.
    pub fn error(&mut self, key: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(key, message));
    }

    pub fn finish<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self.errors)
        }
    }
}

/// Stores a read value; the shape every `Param::read` ends in.
pub(crate) fn set<T>(slot: &mut T, value: Result<T, String>) -> Result<(), String> {
    *slot = value?;
    Ok(())
}

/// The value to write unless it is the default.
pub(crate) fn unless_default<T: PartialEq + ToString>(value: T, default: T) -> Option<String> {
    (value != default).then(|| value.to_string())
}

/// A value of a closed vocabulary, or the message that lists the choices.
pub(crate) fn one_of<'c, T: FromStr>(
    s: &str,
    what: &str,
    choices: impl Iterator<Item = &'c str>,
    separator: &str,
) -> Result<Option<T>, String> {
    s.parse().map(Some).map_err(|_| {
        let names: Vec<&str> = choices.collect();
        format!("未知的{what}；可选: {}", names.join(separator))
    })
}

pub(crate) fn positive(s: &str) -> Result<u32, String> {
    match s.parse::<u32>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err("应为正整数".to_string()),
    }
}

pub(crate) fn per_page_within(s: &str, max: u32) -> Result<u32, String> {
    match positive(s) {
        Ok(n) if n <= max => Ok(n),
        Ok(_) => Err(format!("每页最多 {max} 条")),
        Err(e) => Err(e),
    }
}

/// Text up to `max` characters.
pub(crate) fn at_most(s: &str, max: usize, message: &str) -> Result<String, String> {
    if s.chars().count() > max {
        Err(message.to_string())
    } else {
        Ok(s.to_string())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// The pairs `to_pairs` gives, as `from_pairs` takes them.
    pub(crate) fn owned(items: Vec<(&'static str, String)>) -> Vec<(String, String)> {
        items.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    }

    pub(crate) fn fields<T>(r: Result<T, Vec<FieldError>>) -> Vec<String> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    /// A query's tables name each parameter once.
    pub(crate) fn assert_unique(tables: &[&[&str]]) {
        let all: Vec<&str> = tables.concat();
        for (i, k) in all.iter().enumerate() {
            assert!(!all[..i].contains(k), "{k} is in the table twice");
        }
    }

    #[test]
    fn an_empty_value_means_absent_and_errors_name_their_parameter() {
        let given = pairs(&[("a", ""), ("b", "x"), ("c", "\u{7}")]);
        let mut p = Parser::new(&given, &["a", "b"]);
        assert_eq!(p.raw("a"), None);
        assert_eq!(p.raw("b"), Some("x"));
        p.error("b", "坏");
        let e = p.finish(()).err().unwrap_or_default();
        let got: Vec<_> = e
            .iter()
            .map(|e| (e.field.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(got, [("c", "含有控制字符"), ("b", "坏")]);
    }

    #[test]
    fn an_unknown_parameter_is_told_the_known_ones() {
        let given = pairs(&[("x", "1")]);
        let e = Parser::new(&given, &["a", "b"])
            .finish(())
            .err()
            .unwrap_or_default();
        assert_eq!(e[0].message, "未知参数；可用参数: a, b");
    }

    #[test]
    fn paging_numbers_are_positive_and_bounded() {
        assert_eq!(positive("3"), Ok(3));
        assert!(positive("0").is_err());
        assert!(positive("-1").is_err());
        assert_eq!(per_page_within("100", 100), Ok(100));
        assert_eq!(per_page_within("101", 100), Err("每页最多 100 条".into()));
    }
}
