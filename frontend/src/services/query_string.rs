//! The query string is the state of the list page: these turn it into a `ListQuery` and back,
//! with the same names and validation as the server (`keyproj_shared::query`).

use keyproj_shared::{FieldError, ListQuery};

/// Splits `?a=1&b=2` (leading `?` optional) into decoded pairs, order kept.
pub fn parse_pairs(query: &str) -> Result<Vec<(String, String)>, FieldError> {
    let query = query.strip_prefix('?').unwrap_or(query);
    serde_urlencoded::from_str(query)
        .map_err(|e| FieldError::new("query", format!("查询字符串无法解析: {e}")))
}

/// Encodes pairs as `a=1&b=2` (no leading `?`; empty when there are none).
pub fn encode_pairs(pairs: &[(&'static str, String)]) -> String {
    // Serialising a slice of string pairs cannot fail; an empty string is the safe fallback.
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

/// The list query the address bar holds, or the errors that make it invalid.
pub fn list_query_from_search(search: &str) -> Result<ListQuery, Vec<FieldError>> {
    let pairs = parse_pairs(search).map_err(|e| vec![e])?;
    ListQuery::from_pairs(&pairs)
}

#[cfg(test)]
mod tests {
    use keyproj_shared::{DistrictFilter, Sort, SortColumn};

    use super::*;

    #[test]
    fn a_list_query_survives_the_address_bar() {
        let mut q = ListQuery::default();
        q.filter.district = Some(DistrictFilter::Unassigned);
        q.filter.q = Some("敬老院 改造&扩建".into());
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
}
