//! What every query string shares: each parameter is one `Param` (its name, how its value is
//! read and how it is written back), and a query type is a table of them, so parsing and
//! `to_pairs` cannot disagree about a name. `Parser` refuses unknown, repeated and
//! control-character parameters and collects one error per bad parameter.

use std::str::FromStr;

use crate::problem::FieldError;

/// One query parameter of the query type `Q`.
pub(crate) struct Param<Q> {
    pub key: &'static str,
    /// Reads a present, non-empty value into the query, or says in Chinese what is wrong.
    pub read: fn(&mut Q, &str) -> Result<(), String>,
    /// The value to put in a query string, `None` when it is the default and left out.
    pub write: fn(&Q) -> Option<String>,
}

pub(crate) fn keys<Q>(params: &[Param<Q>]) -> impl Iterator<Item = &'static str> + '_ {
    params.iter().map(|p| p.key)
}

/// Appends the pairs of `params` that differ from their defaults, in table order.
pub(crate) fn write<Q>(query: &Q, params: &[Param<Q>], out: &mut Vec<(&'static str, String)>) {
    out.extend(
        params
            .iter()
            .filter_map(|p| (p.write)(query).map(|v| (p.key, v))),
    );
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

    /// Reads every parameter of `params` that is present into `query`.
    pub fn read<Q>(&mut self, query: &mut Q, params: &[Param<Q>]) {
        for p in params {
            if let Some(raw) = self.raw(p.key)
                && let Err(message) = (p.read)(query, raw)
            {
                self.error(p.key, message);
            }
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
    pub(crate) fn assert_unique<'a>(keys: impl IntoIterator<Item = &'a str>) {
        let all: Vec<&str> = keys.into_iter().collect();
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
