//! Rows and the queries that read and write them. Each table has its Row (read), NewRow
//! (insert) and, once it is editable, Changeset; handlers never build SQL themselves.

pub mod organisation;
pub mod project;
pub mod subtotal;
