//! RFC 9457 problem details, the body of every error answer.

use crate::wire::wire;

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// An answer lists at most this many field errors, so that a body of thousands of unknown
/// keys gets a short answer; `errors_total` then says how many there were.
pub const MAX_LISTED_ERRORS: usize = 50;

wire! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Problem {
        #[serde(rename = "type")]
        pub kind: String,
        pub title: String,
        pub status: u16,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub detail: Option<String>,
        /// One entry per parameter or field at fault.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub errors: Vec<FieldError>,
        /// How many errors there were, when there were more than `errors` lists (50 at most).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub errors_total: Option<u32>,
    }
}

wire! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct FieldError {
        /// The query parameter or body field, e.g. `per_page`.
        pub field: String,
        /// What is wrong, in Chinese, for the person who typed it.
        pub message: String,
    }
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}
