//! `If-Match`, as the services compare it: the strong ETags the client says it last read.

use actix_web::HttpRequest;
use actix_web::http::header::{self, Header, IfMatch};

use crate::error::ApiError;

/// The strong ETags an update's `If-Match` lists, each quoted as we send them (`"p12-v3"`).
/// `*` and weak tags are kept out, so they never match: an update must name the version it
/// changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected(Vec<String>);

impl Expected {
    /// From the request: 428 without the header (or with a blank one). A value that does not
    /// parse lists nothing, so it matches nothing (412).
    pub fn from_request(req: &HttpRequest) -> Result<Expected, ApiError> {
        let present = req
            .headers()
            .get_all(header::IF_MATCH)
            .any(|v| v.to_str().map_or(true, |s| !s.trim().is_empty()));
        if !present {
            return Err(ApiError::PreconditionRequired);
        }
        let tags = match IfMatch::parse(req) {
            Ok(IfMatch::Items(items)) => items
                .into_iter()
                .filter(|t| !t.weak)
                .map(|t| t.to_string())
                .collect(),
            Ok(IfMatch::Any) | Err(_) => Vec::new(),
        };
        Ok(Expected(tags))
    }

    /// The one tag a caller inside the server names, e.g. the demo loader writing a
    /// first version (`"plan-A05-2025-v0"`).
    pub fn exactly(tag: &str) -> Expected {
        Expected(vec![tag.to_string()])
    }

    /// Whether the resource's current ETag is one of those listed.
    pub fn matches(&self, current: &str) -> bool {
        self.0.iter().any(|t| t == current)
    }
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn parse(value: &str) -> Result<Expected, ApiError> {
        Expected::from_request(
            &TestRequest::default()
                .insert_header(("if-match", value))
                .to_http_request(),
        )
    }

    #[test]
    fn any_listed_strong_tag_matches_and_star_or_weak_never_do() {
        let e = parse(r#""x", "p12-v3""#).expect("present");
        assert!(e.matches(r#""p12-v3""#));
        assert!(e.matches(r#""x""#));
        assert!(!e.matches(r#""p12-v4""#));
        assert!(!parse("*").expect("present").matches(r#""p12-v3""#));
        assert!(
            !parse(r#"W/"p12-v3""#)
                .expect("present")
                .matches(r#""p12-v3""#)
        );
        assert!(!parse("p12-v3").expect("present").matches(r#""p12-v3""#));
        assert!(matches!(parse("  "), Err(ApiError::PreconditionRequired)));
        let absent = Expected::from_request(&TestRequest::default().to_http_request());
        assert!(matches!(absent, Err(ApiError::PreconditionRequired)));
    }
}
