use std::collections::HashMap;

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::{organisations, project_owners};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = organisations)]
pub struct OrganisationRow {
    pub id: i32,
    pub name: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = organisations)]
pub struct NewOrganisation<'a> {
    pub name: &'a str,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = project_owners)]
pub struct NewProjectOwner {
    pub project_id: i32,
    pub organisation_id: i32,
    pub position: i32,
}

impl OrganisationRow {
    /// The organisation's id, inserting it first if it is new. Call it inside a write
    /// transaction: the look-up and the insert must not interleave with another writer's.
    pub fn find_or_create(conn: &mut DbConnection, name: &str) -> QueryResult<i32> {
        let find = |conn: &mut DbConnection| {
            organisations::table
                .filter(organisations::name.eq(name))
                .select(organisations::id)
                .first(conn)
                .optional()
        };
        if let Some(id) = find(conn)? {
            return Ok(id);
        }
        diesel::insert_into(organisations::table)
            .values(NewOrganisation { name })
            .execute(conn)?;
        find(conn)?.ok_or(diesel::result::Error::NotFound)
    }

    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<OrganisationRow>> {
        organisations::table
            .order(organisations::id)
            .select(OrganisationRow::as_select())
            .load(conn)
    }

    pub fn all_links(conn: &mut DbConnection) -> QueryResult<Vec<NewProjectOwner>> {
        project_owners::table
            .order((project_owners::project_id, project_owners::position))
            .select(NewProjectOwner::as_select())
            .load(conn)
    }

    pub fn find_by_name(
        conn: &mut DbConnection,
        name: &str,
    ) -> QueryResult<Option<OrganisationRow>> {
        organisations::table
            .filter(organisations::name.eq(name))
            .select(OrganisationRow::as_select())
            .first(conn)
            .optional()
    }

    /// The names of the organisations that own at least one project, each once, in Rust's
    /// `str` order (by code point). Sorted here, not by the database: PostgreSQL's collation
    /// would order them otherwise than SQLite's byte order, and the filter must not depend
    /// on the engine.
    pub fn owner_names(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
        // one probe of `project_owners_organisation` per organisation, rather than reading
        // every link (as `IN (SELECT …)` does on SQLite)
        let owns = diesel::dsl::exists(
            project_owners::table.filter(project_owners::organisation_id.eq(organisations::id)),
        );
        let mut names: Vec<String> = organisations::table
            .filter(owns)
            .select(organisations::name)
            .load(conn)?;
        // each once: `organisations.name` is UNIQUE, and a filter does not repeat a row
        names.sort_unstable();
        Ok(names)
    }

    /// Up to `limit` organisation names containing `text`, to suggest when a name is unknown.
    pub fn names_like(conn: &mut DbConnection, text: &str, limit: i64) -> QueryResult<Vec<String>> {
        organisations::table
            .filter(organisations::name.like(format!("%{text}%")))
            .order(organisations::name)
            .limit(limit)
            .select(organisations::name)
            .load(conn)
    }

    pub fn exists(conn: &mut DbConnection, name: &str) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            organisations::table.filter(organisations::name.eq(name)),
        ))
        .get_result(conn)
    }

    /// The owners of each given project, in published order.
    pub fn owners_of(
        conn: &mut DbConnection,
        project_ids: &[i32],
    ) -> QueryResult<HashMap<i32, Vec<OrganisationRow>>> {
        let rows: Vec<(i32, OrganisationRow)> = project_owners::table
            .inner_join(organisations::table)
            .filter(project_owners::project_id.eq_any(project_ids))
            .order((project_owners::project_id, project_owners::position))
            .select((project_owners::project_id, OrganisationRow::as_select()))
            .load(conn)?;
        let mut map: HashMap<i32, Vec<OrganisationRow>> = HashMap::new();
        for (pid, org) in rows {
            map.entry(pid).or_default().push(org);
        }
        Ok(map)
    }

    pub fn link_owners(conn: &mut DbConnection, links: &[NewProjectOwner]) -> QueryResult<usize> {
        // one statement per link: the portable backend has no multi-row INSERT
        links.iter().try_fold(0, |n, link| {
            Ok(n + diesel::insert_into(project_owners::table)
                .values(link)
                .execute(conn)?)
        })
    }
}

/// A column of the projects' query: the ids of the project's owners in published order, as
/// `3,17` (NULL without owners), so that a page brings its owners in the same statement.
/// Each engine spells an ordered string aggregate its own way.
pub fn owner_ids_column(
    conn: &DbConnection,
) -> diesel::expression::SqlLiteral<diesel::sql_types::Nullable<diesel::sql_types::Text>> {
    let aggregate = match conn {
        DbConnection::Postgres(_) => {
            "string_agg(CAST(o.organisation_id AS TEXT), ',' ORDER BY o.position)"
        }
        DbConnection::Sqlite(_) => "group_concat(o.organisation_id, ',' ORDER BY o.position)",
    };
    diesel::dsl::sql(&format!(
        "(SELECT {aggregate} FROM project_owners o WHERE o.project_id = projects.id)"
    ))
}

/// The ids `owner_ids_column` wrote; `None` for anything else.
pub fn parse_owner_ids(ids: Option<&str>) -> Option<Vec<i32>> {
    match ids {
        None | Some("") => Some(Vec::new()),
        Some(s) => s.split(',').map(|id| id.parse().ok()).collect(),
    }
}
