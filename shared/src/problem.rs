//! RFC 9457 problem details, the body of every error answer.

use crate::wire::wire;

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

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
