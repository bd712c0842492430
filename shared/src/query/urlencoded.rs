//! Query strings as browsers send them and actix's `web::Query` reads them
//! (`application/x-www-form-urlencoded`), so the app writes exactly what the server parses.

/// Splits `?a=1&b=2` (leading `?` optional) into decoded pairs, order kept. `+` is a space;
/// bad escapes and invalid UTF-8 are kept as they come, as the server does.
pub fn decode_pairs(query: &str) -> Vec<(String, String)> {
    let query = query.strip_prefix('?').unwrap_or(query);
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

/// Encodes pairs as `a=1&b=2`: no leading `?`, and empty when there are none.
pub fn encode_pairs<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

#[cfg(test)]
mod tests {
    use super::super::{ListQuery, Sort, SortColumn};
    use super::*;

    #[test]
    fn decoding_follows_the_form_encoding() {
        assert_eq!(
            decode_pairs("?a=1+2&b=%E6%95%AC&c&=x&d=50%25&e=%zz%4"),
            [
                ("a".to_string(), "1 2".to_string()),
                ("b".into(), "敬".into()),
                ("c".into(), "".into()),
                ("".into(), "x".into()),
                ("d".into(), "50%".into()),
                ("e".into(), "%zz%4".into()),
            ]
        );
        assert_eq!(
            encode_pairs(&[("q", "a b&c=d/é")]),
            "q=a+b%26c%3Dd%2F%C3%A9"
        );
        assert_eq!(decode_pairs("?"), []);
        assert_eq!(encode_pairs::<&str, &str>(&[]), "");
    }

    #[test]
    fn a_list_query_survives_the_address_bar() {
        let mut q = ListQuery::default();
        q.filter.q = Some("敬老院 改造&扩建=100%".into());
        q.sort = Sort {
            column: SortColumn::TotalInvestment,
            descending: true,
        };
        q.page = 3;
        let s = encode_pairs(&q.to_pairs());
        assert!(s.contains("sort=-total_investment"), "{s}");
        assert_eq!(
            ListQuery::from_pairs(&decode_pairs(&format!("?{s}"))),
            Ok(q)
        );
    }
}
