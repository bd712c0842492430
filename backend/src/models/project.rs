use diesel::expression::SqlLiteral;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Integer, Text};
use keyproj_shared::{District, Nature};
use keyproj_shared::{DistrictFilter, ListQuery, ProjectFilter, Sort, SortColumn, StatusFilter};

use super::project_keyset::{Cursor, rank_sql};
use super::project_rollup;
use crate::db::{DbConnection, MultiBackend};
use crate::schema::{organisations, project_owners, projects, published_rows};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = projects)]
pub struct ProjectRow {
    pub id: i32,
    pub code: String,
    pub category: String,
    pub serial: i32,
    pub name: String,
    pub nature: String,
    pub nature_published: String,
    pub owner_published: String,
    pub content: String,
    pub start_published: String,
    pub start_earliest_year: i32,
    pub start_earliest_month: Option<i32>,
    pub start_latest_year: i32,
    pub start_latest_month: Option<i32>,
    pub start_approximate: bool,
    pub end_published: String,
    pub end_earliest_year: i32,
    pub end_earliest_month: Option<i32>,
    pub end_latest_year: i32,
    pub end_latest_month: Option<i32>,
    pub end_approximate: bool,
    pub total_investment_cents: i64,
    pub planned_investment_cents: i64,
    pub social_share_bp: Option<i32>,
    pub social_investment_cents: Option<i64>,
    pub remarks: Option<String>,
    pub district: Option<String>,
    pub district_basis: String,
    pub district_note: String,
    /// Master-data version, the project's ETag.
    pub version: i32,
    pub approved_report_id: Option<i32>,
    pub approved_period: Option<String>,
    pub approved_progress_bp: Option<i32>,
    pub approved_investment_completed_cents: Option<i64>,
    pub approved_social_investment_completed_cents: Option<i64>,
    pub approved_status: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = projects)]
pub struct NewProject {
    pub code: String,
    pub category: String,
    pub serial: i32,
    pub name: String,
    pub nature: String,
    pub nature_published: String,
    pub owner_published: String,
    pub content: String,
    pub start_published: String,
    pub start_earliest_year: i32,
    pub start_earliest_month: Option<i32>,
    pub start_latest_year: i32,
    pub start_latest_month: Option<i32>,
    pub start_approximate: bool,
    pub end_published: String,
    pub end_earliest_year: i32,
    pub end_earliest_month: Option<i32>,
    pub end_latest_year: i32,
    pub end_latest_month: Option<i32>,
    pub end_approximate: bool,
    pub total_investment_cents: i64,
    pub planned_investment_cents: i64,
    pub social_share_bp: Option<i32>,
    pub social_investment_cents: Option<i64>,
    pub remarks: Option<String>,
    pub district: Option<String>,
    pub district_basis: String,
    pub district_note: String,
}

/// Every cell as printed. Inserted once with its project, never changed.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = published_rows)]
pub struct PublishedRowRow {
    pub project_id: i32,
    pub serial: String,
    pub name: String,
    pub nature: String,
    pub owner: String,
    pub content: String,
    pub start_year: String,
    pub end_year: String,
    pub total_investment: String,
    pub planned_investment: String,
    pub social_share: String,
    pub remarks: String,
}

/// Counts and exact integer sums over a set of projects, computed by the database.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sums {
    pub count: i64,
    pub total_investment_cents: i64,
    pub planned_investment_cents: i64,
    pub social_investment_cents: i64,
    /// Approved 累计完成投资 only.
    pub approved_completed_cents: i64,
    pub start_approximate: i64,
    pub end_approximate: i64,
}

pub type SumsTuple = (i64, i64, i64, i64, i64, i64, i64);

impl Sums {
    /// Both sets together; `None` on overflow.
    pub fn checked_add(&self, o: &Sums) -> Option<Sums> {
        Some(Sums {
            count: self.count.checked_add(o.count)?,
            total_investment_cents: self
                .total_investment_cents
                .checked_add(o.total_investment_cents)?,
            planned_investment_cents: self
                .planned_investment_cents
                .checked_add(o.planned_investment_cents)?,
            social_investment_cents: self
                .social_investment_cents
                .checked_add(o.social_investment_cents)?,
            approved_completed_cents: self
                .approved_completed_cents
                .checked_add(o.approved_completed_cents)?,
            start_approximate: self.start_approximate.checked_add(o.start_approximate)?,
            end_approximate: self.end_approximate.checked_add(o.end_approximate)?,
        })
    }
}

/// A pivot cell's key: the district (None when unassigned) and the category.
pub type DistrictAndCategory = (Option<String>, String);

impl From<SumsTuple> for Sums {
    fn from(t: SumsTuple) -> Self {
        Sums {
            count: t.0,
            total_investment_cents: t.1,
            planned_investment_cents: t.2,
            social_investment_cents: t.3,
            approved_completed_cents: t.4,
            start_approximate: t.5,
            end_approximate: t.6,
        }
    }
}

/// `SUM` as an exact BIGINT on both engines (PostgreSQL would answer NUMERIC).
fn sum_of(expression: &str) -> SqlLiteral<BigInt> {
    diesel::dsl::sql::<BigInt>(&format!("CAST(COALESCE(SUM({expression}), 0) AS BIGINT)"))
}

#[allow(clippy::type_complexity)]
fn sums_columns() -> (
    diesel::dsl::CountStar,
    SqlLiteral<BigInt>,
    SqlLiteral<BigInt>,
    SqlLiteral<BigInt>,
    SqlLiteral<BigInt>,
    SqlLiteral<BigInt>,
    SqlLiteral<BigInt>,
) {
    (
        diesel::dsl::count_star(),
        sum_of("total_investment_cents"),
        sum_of("planned_investment_cents"),
        sum_of("social_investment_cents"),
        sum_of("approved_investment_completed_cents"),
        sum_of("CASE WHEN start_approximate THEN 1 ELSE 0 END"),
        sum_of("CASE WHEN end_approximate THEN 1 ELSE 0 END"),
    )
}

/// The filtered projects' sums per value of one or more columns.
macro_rules! sums_by {
    ($conn:expr, $filter:expr, $key:expr, $key_type:ty) => {
        restrict!(
            projects::table
                .group_by($key)
                .select(($key, sums_columns()))
                .into_boxed(),
            $filter,
            has_trigram_table($conn)
        )
        .load::<($key_type, SumsTuple)>($conn)
        .map(|rows| rows.into_iter().map(|(k, s)| (k, Sums::from(s))).collect())
    };
}

/// A planner's edit of the master data; `None` leaves a column alone.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = projects)]
pub struct ProjectChangeset {
    pub district: Option<Option<String>>,
    pub district_basis: Option<String>,
    pub district_note: Option<String>,
    pub start_published: Option<String>,
    pub start_earliest_year: Option<i32>,
    pub start_earliest_month: Option<Option<i32>>,
    pub start_latest_year: Option<i32>,
    pub start_latest_month: Option<Option<i32>>,
    pub start_approximate: Option<bool>,
    pub end_published: Option<String>,
    pub end_earliest_year: Option<i32>,
    pub end_earliest_month: Option<Option<i32>>,
    pub end_latest_year: Option<i32>,
    pub end_latest_month: Option<Option<i32>>,
    pub end_approximate: Option<bool>,
    pub total_investment_cents: Option<i64>,
    pub planned_investment_cents: Option<i64>,
    pub social_share_bp: Option<Option<i32>>,
    pub social_investment_cents: Option<Option<i64>>,
    pub remarks: Option<Option<String>>,
}

/// The latest approved figures of a project, or all `None` when none is approved.
#[derive(Debug, Clone, Default, PartialEq, Eq, AsChangeset)]
#[diesel(table_name = projects, treat_none_as_null = true)]
pub struct ApprovedFigures {
    pub approved_report_id: Option<i32>,
    pub approved_period: Option<String>,
    pub approved_progress_bp: Option<i32>,
    pub approved_investment_completed_cents: Option<i64>,
    pub approved_social_investment_completed_cents: Option<i64>,
    pub approved_status: Option<String>,
}

type BoxedProjects<'a> = projects::BoxedQuery<'a, MultiBackend>;

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

/// The projects matching a filter. A project's start year is the earliest year of its
/// 开工年份 and its completion year the latest year of its 竣工年份 (docs/data.md).
/// Adds a filter's conditions to a boxed query over `projects`, whatever it selects or
/// groups by. A macro because diesel does not name the boxed query's type generically.
macro_rules! restrict {
    ($query:expr, $filter:expr, $trigram_index:expr) => {{
        let mut q = $query;
        let f: &ProjectFilter = $filter;
        match f.district {
            Some(DistrictFilter::Is(d)) => q = q.filter(projects::district.eq(d.key())),
            Some(DistrictFilter::Unassigned) => q = q.filter(projects::district.is_null()),
            None => {}
        }
        if let Some(c) = f.category {
            q = q.filter(projects::category.eq(c.key()));
        }
        if let Some(n) = f.nature {
            q = q.filter(projects::nature.eq(n.key()));
        }
        if let Some(owner) = &f.owner {
            q = q.filter(
                projects::id.eq_any(
                    project_owners::table
                        .inner_join(organisations::table)
                        .filter(organisations::name.eq(owner.clone()))
                        .select(project_owners::project_id),
                ),
            );
        }
        if let Some(y) = f.start_year_from {
            q = q.filter(projects::start_earliest_year.ge(y));
        }
        if let Some(y) = f.start_year_to {
            q = q.filter(projects::start_earliest_year.le(y));
        }
        if let Some(y) = f.end_year_from {
            q = q.filter(projects::end_latest_year.ge(y));
        }
        if let Some(y) = f.end_year_to {
            q = q.filter(projects::end_latest_year.le(y));
        }
        match f.has_social {
            Some(true) => q = q.filter(projects::social_investment_cents.gt(0)),
            Some(false) => {
                q = q.filter(
                    projects::social_investment_cents
                        .is_null()
                        .or(projects::social_investment_cents.eq(0)),
                )
            }
            None => {}
        }
        match f.status {
            Some(StatusFilter::Is(s)) => q = q.filter(projects::approved_status.eq(s.key())),
            Some(StatusFilter::Unreported) => q = q.filter(projects::approved_status.is_null()),
            None => {}
        }
        if let Some(text) = &f.q {
            q = q.filter(text_matches(text, $trigram_index));
        }
        q
    }};
}

fn filtered(f: &ProjectFilter, trigram_index: bool) -> BoxedProjects<'static> {
    restrict!(projects::table.into_boxed(), f, trigram_index)
}

/// SQLite's trigram index (migration 000005) answers searches of three or more characters;
/// PostgreSQL has none (see that migration) and scans with LIKE.
fn has_trigram_table(conn: &DbConnection) -> bool {
    matches!(conn, DbConnection::Sqlite(_))
}

/// A WHERE condition on projects, built at run time.
pub type Condition = Box<dyn BoxableExpression<projects::table, MultiBackend, SqlType = Bool>>;

/// `q` as a substring of the name, the owners (as published, or an owner organisation's
/// name, which joins what the cell splits, e.g. `湘乡市 民政局`) or the content.
fn text_matches(text: &str, trigram_table: bool) -> Condition {
    let p = like_pattern(text);
    let by_owner = projects::id.eq_any(
        project_owners::table
            .inner_join(organisations::table)
            .filter(organisations::name.like(p.clone()).escape('\\'))
            .select(project_owners::project_id),
    );
    if trigram_table && text.chars().count() >= 3 {
        // one FTS5 phrase: the whole text, quotes doubled, matched as a substring
        let phrase = format!("\"{}\"", text.replace('"', "\"\""));
        return Box::new(
            diesel::dsl::sql::<Bool>(
                "projects.id IN (SELECT rowid FROM project_search WHERE project_search MATCH ",
            )
            .bind::<Text, _>(phrase)
            .sql(")")
            .or(by_owner),
        );
    }
    Box::new(
        projects::name
            .like(p.clone())
            .escape('\\')
            .or(projects::owner_published.like(p.clone()).escape('\\'))
            .or(projects::content.like(p).escape('\\'))
            .or(by_owner),
    )
}

macro_rules! order_by_direction {
    ($q:expr, $expr:expr, $desc:expr) => {
        if $desc {
            $q.order_by($expr.desc())
        } else {
            $q.order_by($expr.asc())
        }
    };
}

/// Districts and natures sort in the plan's order rather than by their ASCII keys.
fn rank_by(column: &str, keys: impl IntoIterator<Item = &'static str>) -> SqlLiteral<Integer> {
    diesel::dsl::sql::<Integer>(&rank_sql(column, keys))
}

fn sorted(q: BoxedProjects<'static>, sort: Sort) -> BoxedProjects<'static> {
    let desc = sort.descending;
    let q = match sort.column {
        SortColumn::Code => order_by_direction!(q, projects::code, desc),
        SortColumn::Name => order_by_direction!(q, projects::name, desc),
        SortColumn::Category => order_by_direction!(q, projects::category, desc),
        SortColumn::Nature => order_by_direction!(
            q,
            rank_by("nature", Nature::ALL.iter().map(|n| n.key())),
            desc
        ),
        SortColumn::Owner => order_by_direction!(q, projects::owner_published, desc),
        // unassigned projects rank after every district
        SortColumn::District => order_by_direction!(
            q,
            rank_by("district", District::ALL.iter().map(|d| d.key())),
            desc
        ),
        SortColumn::Start => order_by_direction!(q, projects::start_earliest_year, desc),
        SortColumn::End => order_by_direction!(q, projects::end_latest_year, desc),
        SortColumn::TotalInvestment => {
            order_by_direction!(q, projects::total_investment_cents, desc)
        }
        SortColumn::PlannedInvestment => {
            order_by_direction!(q, projects::planned_investment_cents, desc)
        }
        // projects without a share come last in either direction
        SortColumn::SocialSharePct => {
            let q = q.order_by(projects::social_share_bp.is_null());
            if desc {
                q.then_order_by(projects::social_share_bp.desc())
            } else {
                q.then_order_by(projects::social_share_bp.asc())
            }
        }
        SortColumn::SocialInvestment => {
            let q = q.order_by(projects::social_investment_cents.is_null());
            if desc {
                q.then_order_by(projects::social_investment_cents.desc())
            } else {
                q.then_order_by(projects::social_investment_cents.asc())
            }
        }
    };
    q.then_order_by(projects::code.asc())
}

impl ProjectRow {
    pub fn find_by_code(conn: &mut DbConnection, code: &str) -> QueryResult<ProjectRow> {
        projects::table
            .filter(projects::code.eq(code))
            .select(ProjectRow::as_select())
            .first(conn)
    }

    pub fn code_exists(conn: &mut DbConnection, code: &str) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            projects::table.filter(projects::code.eq(code)),
        ))
        .get_result(conn)
    }

    /// One page of the filtered, sorted list, plus the first row of the next page if there
    /// is one: after `cursor` when given (keyset), else at `q.page` (OFFSET).
    pub fn page(
        conn: &mut DbConnection,
        q: &ListQuery,
        cursor: Option<&Cursor>,
    ) -> QueryResult<Vec<ProjectRow>> {
        let limit = i64::from(q.per_page) + 1;
        let query = sorted(filtered(&q.filter, has_trigram_table(conn)), q.sort);
        let query = match cursor {
            Some(c) => query.filter(c.condition()),
            None => query.offset(i64::from(q.page.saturating_sub(1)) * i64::from(q.per_page)),
        };
        query
            .limit(limit)
            .select(ProjectRow::as_select())
            .load(conn)
    }

    /// Every matching project, sorted: what an export holds.
    pub fn matching(
        conn: &mut DbConnection,
        f: &ProjectFilter,
        sort: Sort,
    ) -> QueryResult<Vec<ProjectRow>> {
        sorted(filtered(f, has_trigram_table(conn)), sort)
            .select(ProjectRow::as_select())
            .load(conn)
    }

    /// Sums over every project matching the filter: from the rollup when the filter is on its
    /// dimensions only, otherwise from the projects themselves.
    pub fn sums(conn: &mut DbConnection, f: &ProjectFilter) -> QueryResult<Sums> {
        if project_rollup::covers(f) {
            return project_rollup::sums(conn, f);
        }
        restrict!(
            projects::table.select(sums_columns()).into_boxed(),
            f,
            has_trigram_table(conn)
        )
        .first::<SumsTuple>(conn)
        .map(Sums::from)
    }

    pub fn sums_by_district(
        conn: &mut DbConnection,
        f: &ProjectFilter,
    ) -> QueryResult<Vec<(Option<String>, Sums)>> {
        if project_rollup::covers(f) {
            return project_rollup::sums_by_district(conn, f);
        }
        sums_by!(conn, f, projects::district, Option<String>)
    }

    pub fn sums_by_category(
        conn: &mut DbConnection,
        f: &ProjectFilter,
    ) -> QueryResult<Vec<(String, Sums)>> {
        if project_rollup::covers(f) {
            return project_rollup::sums_by_category(conn, f);
        }
        sums_by!(conn, f, projects::category, String)
    }

    pub fn sums_by_nature(
        conn: &mut DbConnection,
        f: &ProjectFilter,
    ) -> QueryResult<Vec<(String, Sums)>> {
        if project_rollup::covers(f) {
            return project_rollup::sums_by_nature(conn, f);
        }
        sums_by!(conn, f, projects::nature, String)
    }

    /// By start year: the earliest year of 开工年份.
    pub fn sums_by_start_year(
        conn: &mut DbConnection,
        f: &ProjectFilter,
    ) -> QueryResult<Vec<(i32, Sums)>> {
        if project_rollup::covers(f) {
            return project_rollup::sums_by_start_year(conn, f);
        }
        sums_by!(conn, f, projects::start_earliest_year, i32)
    }

    /// By completion year: the latest year of 竣工年份.
    pub fn sums_by_end_year(
        conn: &mut DbConnection,
        f: &ProjectFilter,
    ) -> QueryResult<Vec<(i32, Sums)>> {
        if project_rollup::covers(f) {
            return project_rollup::sums_by_end_year(conn, f);
        }
        sums_by!(conn, f, projects::end_latest_year, i32)
    }

    pub fn sums_by_district_and_category(
        conn: &mut DbConnection,
        f: &ProjectFilter,
    ) -> QueryResult<Vec<(DistrictAndCategory, Sums)>> {
        if project_rollup::covers(f) {
            return project_rollup::sums_by_district_and_category(conn, f);
        }
        sums_by!(
            conn,
            f,
            (projects::district, projects::category),
            (Option<String>, String)
        )
    }

    /// Every project, in code order.
    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<ProjectRow>> {
        projects::table
            .order(projects::code)
            .select(ProjectRow::as_select())
            .load(conn)
    }

    pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
        projects::table.count().get_result(conn)
    }

    pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<ProjectRow> {
        projects::table
            .find(id)
            .select(ProjectRow::as_select())
            .first(conn)
    }

    /// Applies an edit if the project is still at `expected_version`, moving it to the next
    /// version; answers how many rows changed (0: someone else changed it first).
    pub fn apply_edit(
        conn: &mut DbConnection,
        id: i32,
        expected_version: i32,
        changes: &ProjectChangeset,
    ) -> QueryResult<usize> {
        diesel::update(
            projects::table
                .filter(projects::id.eq(id))
                .filter(projects::version.eq(expected_version)),
        )
        .set((changes, projects::version.eq(projects::version + 1)))
        .execute(conn)
    }

    pub fn approved_figures(&self) -> ApprovedFigures {
        ApprovedFigures {
            approved_report_id: self.approved_report_id,
            approved_period: self.approved_period.clone(),
            approved_progress_bp: self.approved_progress_bp,
            approved_investment_completed_cents: self.approved_investment_completed_cents,
            approved_social_investment_completed_cents: self
                .approved_social_investment_completed_cents,
            approved_status: self.approved_status.clone(),
        }
    }

    /// Writes the latest approved figures; the master-data version stays.
    pub fn set_approved(
        conn: &mut DbConnection,
        id: i32,
        figures: &ApprovedFigures,
    ) -> QueryResult<usize> {
        diesel::update(projects::table.filter(projects::id.eq(id)))
            .set(figures)
            .execute(conn)
    }

    /// Replaces the owners with these organisations, in order.
    pub fn replace_owners(
        conn: &mut DbConnection,
        id: i32,
        organisation_ids: &[i32],
    ) -> QueryResult<()> {
        diesel::delete(project_owners::table.filter(project_owners::project_id.eq(id)))
            .execute(conn)?;
        for (position, organisation_id) in (0..).zip(organisation_ids) {
            diesel::insert_into(project_owners::table)
                .values((
                    project_owners::project_id.eq(id),
                    project_owners::organisation_id.eq(organisation_id),
                    project_owners::position.eq(position),
                ))
                .execute(conn)?;
        }
        Ok(())
    }
}

impl NewProject {
    /// Inserts the project and answers its id (found by its unique code: the portable
    /// backend has no RETURNING).
    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<i32> {
        diesel::insert_into(projects::table)
            .values(self)
            .execute(conn)?;
        projects::table
            .filter(projects::code.eq(&self.code))
            .select(projects::id)
            .first(conn)
    }
}

impl PublishedRowRow {
    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<PublishedRowRow>> {
        published_rows::table
            .order(published_rows::project_id)
            .select(PublishedRowRow::as_select())
            .load(conn)
    }

    pub fn find(conn: &mut DbConnection, project_id: i32) -> QueryResult<PublishedRowRow> {
        published_rows::table
            .find(project_id)
            .select(PublishedRowRow::as_select())
            .first(conn)
    }

    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<usize> {
        diesel::insert_into(published_rows::table)
            .values(self)
            .execute(conn)
    }
}
