//! A list filter as SQL conditions, built once for both places that answer it: `projects`
//! itself, and the rollup's cells (see `rollup`), which share the dimension columns. Each
//! step takes its input apart field by field, without `..`, so a new filter field is a
//! compile error until every path says what it does with it.

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Integer, Text};
use keyproj_shared::{Category, DistrictFilter, Nature, ProjectFilter, StatusFilter};

use crate::db::{DbConnection, MultiBackend};
use crate::schema::{organisations, project_owners, projects};

pub type BoxedProjects<'a> = projects::BoxedQuery<'a, MultiBackend>;

/// A WHERE condition on a table, built at run time.
pub type ConditionOn<T> = Box<dyn BoxableExpression<T, MultiBackend, SqlType = Bool>>;
/// A WHERE condition on projects.
pub type Condition = ConditionOn<projects::table>;

/// A column of a table, to compare.
pub type ColumnOf<T, ST> = Box<dyn BoxableExpression<T, MultiBackend, SqlType = ST>>;

/// The conditions on what every project has exactly one value of, and what the rollup's cells
/// are keyed by (docs/data.md): a project's start year is the earliest year of its 开工年份,
/// its completion year the latest year of its 竣工年份.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dimensions {
    pub district: Option<DistrictFilter>,
    pub category: Option<Category>,
    pub nature: Option<Nature>,
    pub start_year_from: Option<i32>,
    pub start_year_to: Option<i32>,
    pub end_year_from: Option<i32>,
    pub end_year_to: Option<i32>,
}

/// The conditions only the projects themselves can answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProjectsOnly<'a> {
    pub owner: Option<&'a str>,
    pub q: Option<&'a str>,
    pub has_social: Option<bool>,
    pub status: Option<StatusFilter>,
}

/// Sorts every field of `f` into the dimensions or the conditions on projects only.
pub fn split(f: &ProjectFilter) -> (Dimensions, ProjectsOnly<'_>) {
    let ProjectFilter {
        district,
        category,
        nature,
        owner,
        start_year_from,
        start_year_to,
        end_year_from,
        end_year_to,
        q,
        has_social,
        status,
    } = f;
    (
        Dimensions {
            district: *district,
            category: *category,
            nature: *nature,
            start_year_from: *start_year_from,
            start_year_to: *start_year_to,
            end_year_from: *end_year_from,
            end_year_to: *end_year_to,
        },
        ProjectsOnly {
            owner: owner.as_deref(),
            q: q.as_deref(),
            has_social: *has_social,
            status: *status,
        },
    )
}

impl ProjectsOnly<'_> {
    pub fn is_empty(&self) -> bool {
        let ProjectsOnly {
            owner,
            q,
            has_social,
            status,
        } = self;
        owner.is_none() && q.is_none() && has_social.is_none() && status.is_none()
    }
}

/// A table with the dimension columns.
pub trait DimensionColumns: Sized {
    fn district(d: DistrictFilter) -> ConditionOn<Self>;
    fn category() -> ColumnOf<Self, Text>;
    fn nature() -> ColumnOf<Self, Text>;
    fn start_year() -> ColumnOf<Self, Integer>;
    fn end_year() -> ColumnOf<Self, Integer>;
}

impl DimensionColumns for projects::table {
    fn district(d: DistrictFilter) -> Condition {
        match d {
            // `assume_not_null` only types the comparison as Bool: where it is NULL, WHERE
            // keeps no row, as it would for false
            DistrictFilter::Is(d) => Box::new(projects::district.assume_not_null().eq(d.key())),
            DistrictFilter::Unassigned => Box::new(projects::district.is_null()),
        }
    }
    fn category() -> ColumnOf<Self, Text> {
        Box::new(projects::category)
    }
    fn nature() -> ColumnOf<Self, Text> {
        Box::new(projects::nature)
    }
    fn start_year() -> ColumnOf<Self, Integer> {
        Box::new(projects::start_earliest_year)
    }
    fn end_year() -> ColumnOf<Self, Integer> {
        Box::new(projects::end_latest_year)
    }
}

impl Dimensions {
    /// The conditions on a table with the dimension columns.
    pub fn conditions<T: DimensionColumns + 'static>(&self) -> Vec<ConditionOn<T>> {
        let Dimensions {
            district,
            category,
            nature,
            start_year_from,
            start_year_to,
            end_year_from,
            end_year_to,
        } = *self;
        let mut out: Vec<ConditionOn<T>> = Vec::new();
        out.extend(district.map(T::district));
        if let Some(c) = category {
            out.push(Box::new(T::category().eq(c.key())));
        }
        if let Some(n) = nature {
            out.push(Box::new(T::nature().eq(n.key())));
        }
        if let Some(y) = start_year_from {
            out.push(Box::new(T::start_year().ge(y)));
        }
        if let Some(y) = start_year_to {
            out.push(Box::new(T::start_year().le(y)));
        }
        if let Some(y) = end_year_from {
            out.push(Box::new(T::end_year().ge(y)));
        }
        if let Some(y) = end_year_to {
            out.push(Box::new(T::end_year().le(y)));
        }
        out
    }
}

impl ProjectsOnly<'_> {
    fn conditions(&self, engine: SearchIndex) -> Vec<Condition> {
        let ProjectsOnly {
            owner,
            q,
            has_social,
            status,
        } = *self;
        let mut out: Vec<Condition> = Vec::new();
        if let Some(owner) = owner {
            out.push(Box::new(
                projects::id.eq_any(
                    project_owners::table
                        .inner_join(organisations::table)
                        .filter(organisations::name.eq(owner.to_string()))
                        .select(project_owners::project_id),
                ),
            ));
        }
        match has_social {
            Some(true) => out.push(Box::new(
                projects::social_investment_cents.assume_not_null().gt(0),
            )),
            Some(false) => out.push(Box::new(
                projects::social_investment_cents
                    .is_null()
                    .or(projects::social_investment_cents.assume_not_null().eq(0)),
            )),
            None => {}
        }
        match status {
            Some(StatusFilter::Is(s)) => out.push(Box::new(
                projects::approved_status.assume_not_null().eq(s.key()),
            )),
            Some(StatusFilter::Unreported) => {
                out.push(Box::new(projects::approved_status.is_null()))
            }
            None => {}
        }
        out.extend(q.map(|text| text_matches(text, engine)));
        out
    }
}

/// Every condition of `f` on projects.
pub fn conditions(conn: &DbConnection, f: &ProjectFilter) -> Vec<Condition> {
    let (dimensions, projects_only) = split(f);
    let mut out = dimensions.conditions::<projects::table>();
    out.extend(projects_only.conditions(SearchIndex::of(conn)));
    out
}

/// The projects matching `f`.
pub fn filtered(conn: &DbConnection, f: &ProjectFilter) -> BoxedProjects<'static> {
    let mut q = projects::table.into_boxed();
    for c in conditions(conn, f) {
        q = q.filter(c);
    }
    q
}

/// The indexes that answer a search (`q`) on each engine.
#[derive(Debug, Clone, Copy)]
enum SearchIndex {
    /// FTS5's trigram index (migration 000005): three characters or more; the bigram
    /// table (migration 000110): two.
    Sqlite,
    /// pg_trgm and the bigram sets (migration 000100): two characters or more.
    Postgres,
}

impl SearchIndex {
    fn of(conn: &DbConnection) -> SearchIndex {
        match conn {
            DbConnection::Sqlite(_) => SearchIndex::Sqlite,
            DbConnection::Postgres(_) => SearchIndex::Postgres,
        }
    }
}

/// `%`, `_` and the escape character itself match literally in a search.
fn like_pattern(q: &str) -> String {
    let mut p = String::with_capacity(q.len() + 2);
    p.push('%');
    for ch in q.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(ch);
    }
    p.push('%');
    p
}

/// PostgreSQL's search document, as its indexes (migration 000100) are defined.
const PG_DOCUMENT: &str =
    "project_search_document(projects.name, projects.owner_published, projects.content)";

/// `q` as a substring of the name, the owners (as published, or an owner organisation's
/// name, which joins what the cell splits, e.g. `湘乡市 民政局`) or the content.
fn text_matches(text: &str, index: SearchIndex) -> Condition {
    let p = like_pattern(text);
    let chars = text.chars().count();
    match index {
        SearchIndex::Postgres if chars >= 2 && !text.contains('\n') => {
            // the document's index, or the projects of the organisations so named: an OR of
            // two bitmap index scans over projects (an `IN (subquery)` of the owners would
            // make PostgreSQL scan them all; the owners' ids are read once, as an array)
            const OWNERS: &str = " OR projects.id = ANY(ARRAY(SELECT o.project_id \
                 FROM project_owners o JOIN organisations g ON g.id = o.organisation_id \
                 WHERE g.name LIKE ";
            let document = if chars == 2 {
                sql::<Bool>(&format!(
                    "(project_search_bigrams({PG_DOCUMENT}) @> ARRAY[CAST("
                ))
                .bind::<Text, _>(text.to_string())
                .sql(" AS TEXT)]")
            } else {
                // backslash is LIKE's escape character without ESCAPE, which would hide the
                // pattern from pg_trgm's index
                sql::<Bool>(&format!("({PG_DOCUMENT} LIKE "))
                    .bind::<Text, _>(p.clone())
                    .sql("")
            };
            Box::new(document.sql(OWNERS).bind::<Text, _>(p).sql(")))"))
        }
        SearchIndex::Sqlite if chars == 2 && !text.contains('\n') => {
            // the bigram table (migration 000110), folded to lower case as LIKE folds
            Box::new(
                sql::<Bool>(
                    "projects.id IN (SELECT project_id FROM project_bigrams WHERE gram = lower(",
                )
                .bind::<Text, _>(text.to_string())
                .sql("))")
                .or(by_owner(&p)),
            )
        }
        SearchIndex::Sqlite if chars >= 3 => {
            // one FTS5 phrase: the whole text, quotes doubled, matched as a substring
            let phrase = format!("\"{}\"", text.replace('"', "\"\""));
            Box::new(
                sql::<Bool>(
                    "projects.id IN (SELECT rowid FROM project_search WHERE project_search MATCH ",
                )
                .bind::<Text, _>(phrase)
                .sql(")")
                .or(by_owner(&p)),
            )
        }
        _ => Box::new(
            projects::name
                .like(p.clone())
                .escape('\\')
                .or(projects::owner_published.like(p.clone()).escape('\\'))
                .or(projects::content.like(p.clone()).escape('\\'))
                .or(by_owner(&p)),
        ),
    }
}

/// The projects of an organisation whose name is like `p`.
fn by_owner(p: &str) -> Condition {
    Box::new(
        projects::id.eq_any(
            project_owners::table
                .inner_join(organisations::table)
                .filter(organisations::name.like(p.to_string()).escape('\\'))
                .select(project_owners::project_id),
        ),
    )
}
