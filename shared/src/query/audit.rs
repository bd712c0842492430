//! `GET /api/audit?entity=report&entity_id=12&page=1&per_page=50`, and a project's own trail,
//! which takes only the paging.

use super::parse::{Parser, at_most, params, per_page_within, positive, set, unless_default};
use crate::audit::AUDIT_ENTITIES;
use crate::problem::FieldError;

pub const MAX_AUDIT_PER_PAGE: u32 = 200;
pub const DEFAULT_AUDIT_PER_PAGE: u32 = 50;
/// The longest `entity_id`, in characters.
pub const MAX_AUDIT_ENTITY_ID_LEN: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditQuery {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub page: u32,
    pub per_page: u32,
}

impl Default for AuditQuery {
    fn default() -> Self {
        AuditQuery {
            entity: None,
            entity_id: None,
            page: 1,
            per_page: DEFAULT_AUDIT_PER_PAGE,
        }
    }
}

params! {
    /// What the trail is narrowed to; the global query only.
    AuditScope for AuditQuery {
        "entity" {
            read: |q, s| {
                if !AUDIT_ENTITIES.contains(&s) {
                    return Err(format!(
                        "未知的对象类型；可选: {}",
                        AUDIT_ENTITIES.join(", ")
                    ));
                }
                set(&mut q.entity, Ok(Some(s.to_string())))
            },
            write: |q| q.entity.clone(),
        }
        "entity_id" {
            read: |q, s| {
                set(
                    &mut q.entity_id,
                    at_most(s, MAX_AUDIT_ENTITY_ID_LEN, &format!("最多 {MAX_AUDIT_ENTITY_ID_LEN} 个字符")).map(Some),
                )
            },
            write: |q| q.entity_id.clone(),
        }
    }
}

params! {
    AuditPaging for AuditQuery {
        "page" {
            read: |q, s| set(&mut q.page, positive(s)),
            write: |q| unless_default(q.page, 1),
        }
        "per_page" {
            read: |q, s| set(&mut q.per_page, per_page_within(s, MAX_AUDIT_PER_PAGE)),
            write: |q| unless_default(q.per_page, DEFAULT_AUDIT_PER_PAGE),
        }
    }
}

impl AuditQuery {
    /// The global query; `paging_only` for a project's own trail, which takes only paging.
    pub fn from_pairs(
        pairs: &[(String, String)],
        paging_only: bool,
    ) -> Result<Self, Vec<FieldError>> {
        let scope = if paging_only { &[] } else { AuditScope::KEYS };
        let mut p = Parser::new(pairs, &[scope, AuditPaging::KEYS].concat());
        let mut q = AuditQuery::default();
        if !paging_only {
            AuditScope::read(&mut p, &mut q);
        }
        AuditPaging::read(&mut p, &mut q);
        p.finish(q)
    }

    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        AuditScope::write(self, &mut out);
        AuditPaging::write(self, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse::tests::{assert_unique, fields, owned, pairs};
    use super::*;

    #[test]
    fn an_audit_query_survives_a_round_trip_through_its_pairs() {
        let q = AuditQuery {
            entity: Some(AUDIT_ENTITIES[0].into()),
            entity_id: Some("B09".into()),
            page: 3,
            per_page: 10,
        };
        assert_eq!(AuditQuery::from_pairs(&owned(q.to_pairs()), false), Ok(q));
        assert_eq!(AuditQuery::default().to_pairs(), []);
        assert_unique(&[AuditScope::KEYS, AuditPaging::KEYS]);
    }

    #[test]
    fn a_projects_own_trail_takes_only_paging() {
        let given = pairs(&[("entity", "report"), ("page", "2")]);
        assert_eq!(fields(AuditQuery::from_pairs(&given, true)), ["entity"]);
        let q = AuditQuery::from_pairs(&pairs(&[("page", "2")]), true).expect("valid");
        assert_eq!((q.entity, q.page), (None, 2));
    }

    #[test]
    fn a_bad_audit_query_names_each_parameter() {
        let r = AuditQuery::from_pairs(
            &pairs(&[
                ("entity", "planet"),
                ("entity_id", &"x".repeat(101)),
                ("per_page", "201"),
            ]),
            false,
        );
        assert_eq!(fields(r), ["entity", "entity_id", "per_page"]);
    }
}
