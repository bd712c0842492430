//! Reading the API's answers. The reader lives with the wire types in `keyproj_shared::wire`:
//! each type's `FromJson` comes from the same definition as its serde derive, so the two
//! cannot drift; its tests hold every type the app reads against serde's parse.

pub use keyproj_shared::wire::{Error, FromJson, from_str};
