//! The audit trail: one entry per change, never updated or deleted.

use crate::wire::wire;

wire! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct AuditEntry {
        pub id: i64,
        /// UTC, RFC 3339 with milliseconds.
        pub at: String,
        /// Who: `None` for the command line (`username` then says so).
        pub user_id: Option<i64>,
        pub username: String,
        /// The role at the time: `admin`, `planner`, `finance`, `owner`, or `system` (CLI).
        pub role: String,
        pub organisation_id: Option<i64>,
        /// `project`, `report`, `user`, `session` or `warning_rules`.
        pub entity: String,
        /// A project's code, or the id of a report, user or session, or a rule-set version.
        pub entity_id: String,
        /// e.g. `edit`, `submit`, `supersede`, `approve`, `return`, `approved_figures`,
        /// `create`, `disable`, `enable`, `update`, `login`, `logout`.
        pub action: String,
        /// The values before and after (changed fields only for edits).
        #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
        pub before: Option<serde_json::Value>,
        #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
        pub after: Option<serde_json::Value>,
        /// The request that made the change (also sent as the `X-Request-Id` answer header).
        pub request_id: String,
    }
}

wire! {
    /// Newest first.
    #[derive(Debug, Clone, PartialEq)]
    pub struct AuditPage {
        pub items: Vec<AuditEntry>,
        pub total: u64,
        pub page: u32,
        pub per_page: u32,
    }
}

/// The entities the audit trail names.
pub const AUDIT_ENTITIES: &[&str] = &["project", "report", "user", "session", "warning_rules"];
