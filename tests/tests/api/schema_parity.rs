//! Both engines' migrations end in the same schema, except for the differences listed here,
//! each with its reason: the same tables and views, with the same columns, each of the same
//! type and equally nullable.
//!
//! The comparison needs both engines, so it runs in the suite's PostgreSQL run
//! (`bash scripts/with-postgres.sh cargo test -p keyproj-tests --test api schema`, which
//! scripts/test.sh and CI do). On SQLite alone the test checks SQLite's side of every listed
//! difference and says that it skipped the rest.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};

use crate::helpers::{PG_ENV, fresh_database};

/// Tables and views that exist on SQLite only, and why.
const ONLY_ON_SQLITE: &[(&str, &str)] = &[
    (
        "category_totals",
        "the rollup's sums per category, kept by its triggers. PostgreSQL sums project_rollup's \
         cells per category instead: five rows rewritten by every write would queue a \
         category's writers on one row lock, and made loading 100,000 projects take 318 s \
         instead of 24 s (migrations/postgres/…000004_project_rollup)",
    ),
    (
        "project_rollup_change",
        "a view whose INSTEAD OF trigger applies one change to both rollups, because a SQLite \
         trigger cannot call a function; PostgreSQL's function project_rollup_add() is that step",
    ),
    (
        "project_search",
        "the FTS5 trigram index that answers `q` of three or more characters. PostgreSQL's are \
         indexes of expressions on projects (pg_trgm and bigram sets), no tables \
         (migrations/postgres/…000100_project_search)",
    ),
    (
        "project_bigrams",
        "every two-character substring of each project's search document, which answers `q` of \
         two characters (FTS5's trigrams cannot). PostgreSQL's is a GIN index of the bigram set \
         of the document, an expression on projects, no table (migrations/*/…000110_project_bigrams)",
    ),
    (
        "project_bigram_set",
        "the view that defines project_bigrams' rows, once for its triggers and its first fill",
    ),
    (
        "project_search_config",
        "FTS5's shadow table of project_search",
    ),
    (
        "project_search_data",
        "FTS5's shadow table of project_search",
    ),
    (
        "project_search_docsize",
        "FTS5's shadow table of project_search",
    ),
    (
        "project_search_idx",
        "FTS5's shadow table of project_search",
    ),
];

/// Tables and views that exist on PostgreSQL only, and why.
const ONLY_ON_POSTGRES: &[(&str, &str)] = &[];

/// Present on both, but not the application's schema: compared by name only.
const NOT_COMPARED: &[(&str, &str)] = &[(
    "__diesel_schema_migrations",
    "diesel's record of the migrations run, created by diesel in each engine's own type names",
)];

/// Columns that may hold NULL on SQLite only, and why. None now: SQLite's migration 000006
/// rebuilt `published_subtotals` so that its text primary key `scope` is NOT NULL too.
const NULLABLE_ON_SQLITE_ONLY: &[(&str, &str, &str)] = &[];

#[derive(QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    relation_kind: String,
    #[diesel(sql_type = Text)]
    relation: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    column_type: String,
    #[diesel(sql_type = Integer)]
    not_null: i32,
}

#[derive(Debug, PartialEq)]
struct Column {
    /// lower case; the migrations spell every type the same on both engines (`INTEGER`,
    /// `BIGINT`, `TEXT`, `BOOLEAN`), and PostgreSQL's `SERIAL` is an `integer`
    ty: String,
    not_null: bool,
}

#[derive(Debug, Default)]
struct Relation {
    kind: String,
    columns: BTreeMap<String, Column>,
}

type Schema = BTreeMap<String, Relation>;

/// Every table and view with its columns. A column is NOT NULL on SQLite when declared so,
/// or when it is a table's single INTEGER PRIMARY KEY: that is the rowid, never NULL.
const SQLITE_COLUMNS: &str = "
    SELECT m.type AS relation_kind, m.name AS relation, c.name AS column_name,
           lower(c.type) AS column_type,
           CASE WHEN c.\"notnull\" = 1
                  OR (c.pk = 1 AND lower(c.type) = 'integer'
                      AND (SELECT COUNT(*) FROM pragma_table_info(m.name) k WHERE k.pk > 0) = 1)
                THEN 1 ELSE 0 END AS not_null
    FROM sqlite_master m JOIN pragma_table_info(m.name) c
    WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";

const POSTGRES_COLUMNS: &str = "
    SELECT CASE t.table_type WHEN 'VIEW' THEN 'view' ELSE 'table' END AS relation_kind,
           CAST(c.table_name AS TEXT) AS relation, CAST(c.column_name AS TEXT) AS column_name,
           CAST(c.data_type AS TEXT) AS column_type,
           CASE WHEN c.is_nullable = 'NO' THEN 1 ELSE 0 END AS not_null
    FROM information_schema.columns c
    JOIN information_schema.tables t
      ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE c.table_schema = current_schema()";

/// Migrates a fresh database of the URL's engine and reads its schema.
fn migrated_schema(database_url: &str, query: &str) -> Schema {
    let pool = keyproj::db::connect(database_url, 1).expect("the migrations run");
    let mut conn = pool.get().expect("a connection");
    let rows = diesel::sql_query(query)
        .load::<ColumnRow>(&mut conn)
        .expect("the schema is readable");
    let mut schema = Schema::new();
    for r in rows {
        let relation = schema.entry(r.relation).or_default();
        relation.kind = r.relation_kind;
        relation.columns.insert(
            r.column_name,
            Column {
                ty: r.column_type,
                not_null: r.not_null != 0,
            },
        );
    }
    assert!(
        schema.contains_key("projects"),
        "no schema read: {:?}",
        schema.keys()
    );
    schema
}

/// Removes the listed relations, each of which must be there: a difference that is gone must
/// leave the list too.
fn take_out(schema: &mut Schema, engine: &str, listed: &[(&str, &str)]) {
    for (name, _why) in listed {
        assert!(
            schema.remove(*name).is_some(),
            "{name} is listed as a known difference but {engine} has no such table or view"
        );
    }
}

/// Every difference between the two schemas, one line each.
fn differences(sqlite: &Schema, postgres: &Schema) -> Vec<String> {
    let mut found = Vec::new();
    for name in sqlite.keys().chain(postgres.keys()) {
        match (sqlite.get(name), postgres.get(name)) {
            (Some(_), None) => found.push(format!("{name}: on SQLite only")),
            (None, Some(_)) => found.push(format!("{name}: on PostgreSQL only")),
            (Some(s), Some(p)) if s.kind != p.kind => found.push(format!(
                "{name}: a {} on SQLite, a {} on PostgreSQL",
                s.kind, p.kind
            )),
            (Some(s), Some(p)) => {
                for column in s.columns.keys().chain(p.columns.keys()) {
                    match (s.columns.get(column), p.columns.get(column)) {
                        (Some(a), Some(b)) if a != b => {
                            found.push(format!("{name}.{column}: SQLite {a:?}, PostgreSQL {b:?}"))
                        }
                        (Some(_), Some(_)) => {}
                        (a, _) => found.push(format!(
                            "{name}.{column}: on {} only",
                            if a.is_some() { "SQLite" } else { "PostgreSQL" }
                        )),
                    }
                }
            }
            (None, None) => unreachable!("the name came from one of them"),
        }
    }
    found.sort();
    found.dedup();
    found
}

#[test]
fn both_engines_migrate_to_the_same_tables_and_columns_but_for_the_listed_differences() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut sqlite = migrated_schema(
        &dir.path().join("parity.db").display().to_string(),
        SQLITE_COLUMNS,
    );
    take_out(&mut sqlite, "SQLite", ONLY_ON_SQLITE);
    take_out(&mut sqlite, "SQLite", NOT_COMPARED);
    for (table, column, _why) in NULLABLE_ON_SQLITE_ONLY {
        let c = sqlite
            .get_mut(*table)
            .and_then(|t| t.columns.get_mut(*column))
            .unwrap_or_else(|| panic!("{table}.{column} is listed but SQLite has no such column"));
        assert!(
            !c.not_null,
            "{table}.{column} is NOT NULL on SQLite now: take it off the list"
        );
        // what PostgreSQL must say of it
        c.not_null = true;
    }

    if std::env::var_os(PG_ENV).is_none() {
        println!(
            "schema parity: {PG_ENV} is not set, so PostgreSQL's side is not compared; \
             run `bash scripts/with-postgres.sh cargo test -p keyproj-tests --test api schema`"
        );
        return;
    }
    // fresh_database gives a new database on that server when the variable is set
    let mut postgres = migrated_schema(&fresh_database(dir.path()), POSTGRES_COLUMNS);
    take_out(&mut postgres, "PostgreSQL", ONLY_ON_POSTGRES);
    take_out(&mut postgres, "PostgreSQL", NOT_COMPARED);

    let found = differences(&sqlite, &postgres);
    assert!(
        found.is_empty(),
        "the engines' schemas differ beyond the listed differences:\n{}",
        found.join("\n")
    );
}
