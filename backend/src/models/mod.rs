//! Rows and the queries that read and write them. Each table has its Row (read), NewRow
//! (insert) and, once it is editable, Changeset; handlers never build SQL themselves.

pub mod audit;
pub mod organisation;
pub mod plan;
pub mod project;
pub mod report;
pub mod report_import;
pub mod sample;
pub mod session;
pub mod subtotal;
pub mod timeliness;
pub mod user;
