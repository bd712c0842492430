//! The 建设主体 names the owner filter offers (`GET /api/owners`).

use crate::wire::wire;

wire! {
    /// Every organisation that owns at least one project, each once, sorted by Unicode code
    /// point (Rust's `str` order, the same on both database engines): the choices of the
    /// owner filter, the names `owner=` takes.
    #[derive(Debug, Clone, PartialEq, Eq, Default)]
    pub struct OwnerNames {
        pub names: Vec<String>,
    }
}

#[cfg(test)]
mod tests {
    use super::OwnerNames;
    use crate::wire::{from_str, to_string};

    #[test]
    fn the_names_read_and_write_as_serde_does() {
        let json = r#"{"names":["湘潭县民政局","雨湖区民政局"]}"#;
        let ours: OwnerNames = from_str(json).expect("read");
        let derived: OwnerNames = serde_json::from_str(json).expect("serde read");
        assert_eq!(ours, derived);
        assert_eq!(ours.names.len(), 2);
        assert_eq!(
            to_string(&ours),
            serde_json::to_string(&derived).expect("serde write")
        );
    }
}
