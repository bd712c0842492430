//! What every list page and project page derives from the whole plan, computed once per data
//! version (`db::data_version`) instead of once per request: the categories whose published
//! subtotal does not add up (the reconciliation flags) and the organisations (owners' names).
//! The key is the version in the database, so a write through any server sharing it moves
//! every server on to fresh values at its next request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use keyproj_shared::Category;

use super::reads::mismatched_categories;
use crate::db::{DbConnection, data_version};
use crate::error::ApiError;
use crate::models::organisation::OrganisationRow;

/// The plan-wide values at one data version.
#[derive(Debug)]
pub struct PlanWide {
    version: i64,
    pub mismatched: Vec<Category>,
    organisations: HashMap<i32, OrganisationRow>,
}

impl PlanWide {
    /// Reads them now, from `conn`'s view of the data.
    pub fn read(conn: &mut DbConnection, version: i64) -> Result<PlanWide, ApiError> {
        Ok(PlanWide {
            version,
            mismatched: mismatched_categories(conn)?,
            organisations: OrganisationRow::all(conn)?
                .into_iter()
                .map(|o| (o.id, o))
                .collect(),
        })
    }

    pub fn organisation(&self, id: i32) -> Option<&OrganisationRow> {
        self.organisations.get(&id)
    }

    pub fn organisation_named(&self, name: &str) -> bool {
        self.organisations.values().any(|o| o.name == name)
    }
}

/// The latest `PlanWide` a server has read (application data, one per server).
#[derive(Debug, Default)]
pub struct Derived {
    latest: Mutex<Option<Arc<PlanWide>>>,
}

impl Derived {
    /// The values at `version` (the one the request's ETag was made from, read before any of
    /// its data, see `routes::conditional`; read here when the request has none). A write
    /// committed after that read can only make them newer than their key, and the next
    /// version replaces them.
    pub fn at(
        &self,
        conn: &mut DbConnection,
        version: Option<i64>,
    ) -> Result<Arc<PlanWide>, ApiError> {
        let version = match version {
            Some(v) => v,
            None => data_version::current(conn)?,
        };
        if let Some(p) = self.lock().as_ref().filter(|p| p.version == version) {
            return Ok(p.clone());
        }
        let fresh = Arc::new(PlanWide::read(conn, version)?);
        let mut latest = self.lock();
        // a slower request of an older version must not replace a newer one
        if latest.as_ref().is_none_or(|p| p.version < version) {
            *latest = Some(fresh.clone());
        }
        Ok(fresh)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Arc<PlanWide>>> {
        // the value is replaced whole, so one a panicking thread left is still consistent
        self.latest.lock().unwrap_or_else(|e| e.into_inner())
    }
}
