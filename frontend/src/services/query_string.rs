//! The query string is the state of the list-like pages: these turn it into queries and back,
//! with the same names and validation as the server (`keyproj_shared::query`). Encoding is
//! `application/x-www-form-urlencoded`, as browsers and the server's parser use; the
//! encoding itself is `keyproj_shared::address`, which the server's preloads use too.

pub use keyproj_shared::address::{encode_pairs, filtered_search, parse_pairs};
use keyproj_shared::{FieldError, ListQuery};

/// The list query the address bar holds, or the errors that make it invalid.
pub fn list_query_from_search(search: &str) -> Result<ListQuery, Vec<FieldError>> {
    ListQuery::from_pairs(&parse_pairs(search))
}

#[cfg(test)]
mod tests {
    use keyproj_shared::{DistrictFilter, Sort, SortColumn};

    use super::*;

    #[test]
    fn a_list_query_survives_the_address_bar() {
        let mut q = ListQuery::default();
        q.filter.district = Some(DistrictFilter::Unassigned);
        q.filter.q = Some("敬老院 改造&扩建=100%".into());
        q.sort = Sort {
            column: SortColumn::TotalInvestment,
            descending: true,
        };
        q.page = 3;
        let s = encode_pairs(&q.to_pairs());
        assert!(s.contains("sort=-total_investment"), "{s}");
        assert_eq!(list_query_from_search(&format!("?{s}")), Ok(q));
    }

    #[test]
    fn decoding_follows_the_form_encoding() {
        assert_eq!(
            parse_pairs("?a=1+2&b=%E6%95%AC&c&=x&d=50%25&e=%zz%4"),
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
            encode_pairs(&[("q", "a b&c=d/é".into())]),
            "q=a+b%26c%3Dd%2F%C3%A9"
        );
    }

    #[test]
    fn chinese_values_survive_encoding_and_decoding() {
        let pairs = [
            ("owner", "湘潭市民政局".to_string()),
            ("q", "敬老院 改造+扩建 50%".to_string()),
        ];
        let s = encode_pairs(&pairs);
        assert!(s.starts_with("owner=%E6%B9%98%E6%BD%AD"), "{s}");
        assert!(!s.contains(' '), "{s}");
        let back: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), v.clone()))
            .collect();
        assert_eq!(parse_pairs(&format!("?{s}")), back);
    }

    #[test]
    fn the_default_query_is_an_empty_string() {
        assert_eq!(encode_pairs(&ListQuery::default().to_pairs()), "");
        assert_eq!(list_query_from_search(""), Ok(ListQuery::default()));
        assert_eq!(list_query_from_search("?"), Ok(ListQuery::default()));
    }

    #[test]
    fn a_bad_query_names_its_fields() {
        let errs = list_query_from_search("?district=火星区&page=0")
            .err()
            .unwrap_or_default();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["district", "page"]);
    }

    #[test]
    fn a_page_keeps_its_own_parameters_apart_from_the_filters() {
        let s = filtered_search("?district=yuhu&group=category", &["group"]).expect("valid");
        assert_eq!(
            s.filter.district,
            Some(DistrictFilter::Is(keyproj_shared::District::Yuhu))
        );
        assert_eq!(s.own("group"), Some("category"));
        assert_eq!(s.own("metric"), None);
        let errs = filtered_search("?group=category&page=2", &["group"])
            .err()
            .unwrap_or_default();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, "page");
    }
}
