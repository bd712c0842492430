//! Request bodies as JSON. Each body's writer comes from its type's one definition in
//! `keyproj_shared::wire`, the same that gives serde its derive; the tests there hold every
//! body against serde_json's text, byte for byte.

pub use keyproj_shared::wire::to_string;
