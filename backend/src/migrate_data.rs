//! `keyproj migrate-data --from URL --to URL`: copies a whole keyproj database to another,
//! typically a live SQLite file to PostgreSQL, keeping every id, then reads both back and
//! compares row counts and money sums table by table. The copy is one transaction on the
//! target: it lands whole or not at all.
//!
//! Every table is copied: the plan, accounts, sessions (so logged-in users stay logged in),
//! login failures, progress reports, annual plans with every revision, the warning rule
//! sets and the audit trail. The audit trail cannot be deleted
//! (triggers), so `--replace` is refused when the target's trail is not empty.

use anyhow::{Context, bail};
use diesel::prelude::*;
use keyproj_shared::Money;

use crate::db::{self, DbConnection};
use crate::models::audit::AuditRow;
use crate::models::organisation::{NewProjectOwner, OrganisationRow};
use crate::models::plan::{PlanRow, RuleSetRow};
use crate::models::project::{ProjectRow, PublishedRowRow};
use crate::models::report::ReportRow;
use crate::models::sample::SampleRow;
use crate::models::session::{LoginFailureRow, SessionRow};
use crate::models::subtotal::SubtotalRow;
use crate::models::user::UserRow;
use crate::schema::{
    audit_log, login_failures, organisations, plan_revisions, project_owners, projects,
    published_rows, published_subtotals, reports, sample_data, sessions, users, warning_rule_sets,
};

/// Everything a keyproj database holds, read in one go.
struct Snapshot {
    organisations: Vec<OrganisationRow>,
    subtotals: Vec<SubtotalRow>,
    projects: Vec<ProjectRow>,
    published: Vec<PublishedRowRow>,
    owners: Vec<NewProjectOwner>,
    users: Vec<UserRow>,
    sessions: Vec<SessionRow>,
    login_failures: Vec<LoginFailureRow>,
    reports: Vec<ReportRow>,
    plans: Vec<PlanRow>,
    rule_sets: Vec<RuleSetRow>,
    audit: Vec<AuditRow>,
    /// The `--demo` marker: a copy of a demo database still says it holds sample data.
    sample: Option<SampleRow>,
}

/// One table's figures on one side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCheck {
    pub table: &'static str,
    pub rows: usize,
    /// Money columns summed, as (column, sum).
    pub sums: Vec<(&'static str, Money)>,
}

#[derive(Debug)]
pub struct Report {
    pub source: Vec<TableCheck>,
    pub target: Vec<TableCheck>,
}

impl Report {
    pub fn matches(&self) -> bool {
        self.source == self.target
    }

    pub fn print(&self) {
        println!(
            "{:<22} {:>8} {:>8}   money sums (source = target)",
            "table", "source", "target"
        );
        for (s, t) in self.source.iter().zip(&self.target) {
            let sums: Vec<String> = s
                .sums
                .iter()
                .zip(&t.sums)
                .map(|((col, a), (_, b))| {
                    let mark = if a == b { "=" } else { "≠" };
                    format!("{col} {a} {mark} {b}")
                })
                .collect();
            let mark = if s.rows == t.rows { " " } else { "≠" };
            println!(
                "{:<22} {:>8} {:>8}{mark}  {}",
                s.table,
                s.rows,
                t.rows,
                sums.join("; ")
            );
        }
        println!(
            "{}",
            if self.matches() {
                "verified: every count and sum matches"
            } else {
                "MISMATCH"
            }
        );
    }
}

fn sum(values: impl Iterator<Item = i64>) -> anyhow::Result<Money> {
    Money::sum(values.map(Money::from_cents)).context("money sum overflowed")
}

fn read(conn: &mut DbConnection) -> anyhow::Result<Snapshot> {
    Ok(Snapshot {
        organisations: OrganisationRow::all(conn)?,
        subtotals: SubtotalRow::all(conn)?,
        projects: ProjectRow::all(conn)?,
        published: PublishedRowRow::all(conn)?,
        owners: OrganisationRow::all_links(conn)?,
        users: UserRow::all_rows(conn)?,
        sessions: SessionRow::all(conn)?,
        login_failures: LoginFailureRow::all(conn)?,
        reports: ReportRow::all(conn)?,
        plans: PlanRow::all(conn)?,
        rule_sets: RuleSetRow::all(conn)?,
        audit: AuditRow::all(conn)?,
        sample: SampleRow::get(conn)?,
    })
}

fn checks(s: &Snapshot) -> anyhow::Result<Vec<TableCheck>> {
    Ok(vec![
        TableCheck {
            table: "organisations",
            rows: s.organisations.len(),
            sums: vec![],
        },
        TableCheck {
            table: "published_subtotals",
            rows: s.subtotals.len(),
            sums: vec![
                (
                    "总投资",
                    sum(s.subtotals.iter().map(|r| r.total_investment_cents))?,
                ),
                (
                    "计划投资",
                    sum(s.subtotals.iter().map(|r| r.planned_investment_cents))?,
                ),
            ],
        },
        TableCheck {
            table: "projects",
            rows: s.projects.len(),
            sums: vec![
                (
                    "总投资",
                    sum(s.projects.iter().map(|r| r.total_investment_cents))?,
                ),
                (
                    "计划投资",
                    sum(s.projects.iter().map(|r| r.planned_investment_cents))?,
                ),
                (
                    "社会投资",
                    sum(s.projects.iter().filter_map(|r| r.social_investment_cents))?,
                ),
                (
                    "已审核完成投资",
                    sum(s
                        .projects
                        .iter()
                        .filter_map(|r| r.approved_investment_completed_cents))?,
                ),
            ],
        },
        TableCheck {
            table: "published_rows",
            rows: s.published.len(),
            sums: vec![],
        },
        TableCheck {
            table: "project_owners",
            rows: s.owners.len(),
            sums: vec![],
        },
        TableCheck {
            table: "users",
            rows: s.users.len(),
            sums: vec![],
        },
        TableCheck {
            table: "sessions",
            rows: s.sessions.len(),
            sums: vec![],
        },
        TableCheck {
            table: "login_failures",
            rows: s.login_failures.len(),
            sums: vec![],
        },
        TableCheck {
            table: "reports",
            rows: s.reports.len(),
            sums: vec![(
                "累计完成投资",
                sum(s.reports.iter().map(|r| r.investment_completed_cents))?,
            )],
        },
        TableCheck {
            table: "plan_revisions",
            rows: s.plans.len(),
            sums: vec![(
                "年度计划投资",
                sum(s.plans.iter().map(|r| r.planned_investment_cents))?,
            )],
        },
        TableCheck {
            table: "warning_rule_sets",
            rows: s.rule_sets.len(),
            sums: vec![],
        },
        TableCheck {
            table: "audit_log",
            rows: s.audit.len(),
            sums: vec![],
        },
        TableCheck {
            table: "sample_data",
            rows: usize::from(s.sample.is_some()),
            sums: vec![],
        },
    ])
}

/// Row counts and money sums of every table of the database behind `conn`: what a copy (or a
/// backup, or a restore) must match.
pub fn inventory(conn: &mut DbConnection) -> anyhow::Result<Vec<TableCheck>> {
    checks(&read(conn)?)
}

fn is_empty(conn: &mut DbConnection) -> anyhow::Result<bool> {
    let n: i64 = projects::table.count().get_result(conn)?;
    let m: i64 = organisations::table.count().get_result(conn)?;
    let k: i64 = published_subtotals::table.count().get_result(conn)?;
    let u: i64 = users::table.count().get_result(conn)?;
    let a: i64 = audit_log::table.count().get_result(conn)?;
    Ok(n + m + k + u + a == 0)
}

fn write(conn: &mut DbConnection, s: &Snapshot, replace: bool) -> anyhow::Result<()> {
    db::write_transaction(conn, |conn| -> anyhow::Result<()> {
        if !is_empty(conn)? {
            if !replace {
                bail!("the target database already holds data; pass --replace to overwrite it");
            }
            let audited: i64 = audit_log::table.count().get_result(conn)?;
            if audited > 0 {
                bail!(
                    "the target's audit trail holds {audited} entries, and nothing may delete an audit trail: --replace is refused; copy into a new, empty database instead"
                );
            }
            diesel::delete(sessions::table).execute(conn)?;
            diesel::delete(login_failures::table).execute(conn)?;
            diesel::delete(reports::table).execute(conn)?;
            diesel::delete(plan_revisions::table).execute(conn)?;
            diesel::delete(users::table).execute(conn)?;
            diesel::delete(project_owners::table).execute(conn)?;
            diesel::delete(published_rows::table).execute(conn)?;
            diesel::delete(projects::table).execute(conn)?;
            diesel::delete(published_subtotals::table).execute(conn)?;
            diesel::delete(organisations::table).execute(conn)?;
            diesel::delete(sample_data::table).execute(conn)?;
        }
        // row by row: the portable backend has no multi-row INSERT
        for r in &s.organisations {
            diesel::insert_into(organisations::table)
                .values(r)
                .execute(conn)?;
        }
        for r in &s.subtotals {
            diesel::insert_into(published_subtotals::table)
                .values(r)
                .execute(conn)?;
        }
        for r in &s.projects {
            diesel::insert_into(projects::table)
                .values(r)
                .execute(conn)?;
        }
        for r in &s.published {
            diesel::insert_into(published_rows::table)
                .values(r)
                .execute(conn)?;
        }
        for r in &s.owners {
            diesel::insert_into(project_owners::table)
                .values(r)
                .execute(conn)?;
        }
        for r in &s.users {
            diesel::insert_into(users::table).values(r).execute(conn)?;
        }
        for r in &s.sessions {
            diesel::insert_into(sessions::table)
                .values(r)
                .execute(conn)?;
        }
        for r in &s.login_failures {
            diesel::insert_into(login_failures::table)
                .values(r)
                .execute(conn)?;
        }
        // in id order: a correction's supersedes_id names an earlier row
        for r in &s.reports {
            diesel::insert_into(reports::table)
                .values(r)
                .execute(conn)?;
        }
        for r in &s.plans {
            diesel::insert_into(plan_revisions::table)
                .values(r)
                .execute(conn)?;
        }
        // the target's migration seeded version 1; the source's versions (its own 1 among
        // them) replace it
        diesel::delete(warning_rule_sets::table).execute(conn)?;
        for r in &s.rule_sets {
            diesel::insert_into(warning_rule_sets::table)
                .values(r)
                .execute(conn)?;
        }
        for r in &s.audit {
            diesel::insert_into(audit_log::table)
                .values(r)
                .execute(conn)?;
        }
        if let Some(r) = &s.sample {
            diesel::insert_into(sample_data::table)
                .values(r)
                .execute(conn)?;
        }
        // explicit ids leave PostgreSQL's sequences behind; move them past the copied rows
        if let DbConnection::Postgres(pg) = conn {
            for table in [
                "organisations",
                "projects",
                "users",
                "sessions",
                "login_failures",
                "reports",
                "plan_revisions",
                "audit_log",
            ] {
                diesel::sql_query(format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {table}"
                ))
                .execute(pg)?;
            }
        }
        Ok(())
    })
}

/// Copies `from` into `to` (both migrated first) and verifies the copy.
pub fn run(from: &str, to: &str, replace: bool) -> anyhow::Result<Report> {
    if db::Engine::from_url(from) == db::Engine::from_url(to) {
        bail!("--from and --to name the same database");
    }
    let source_pool = db::connect(from, 1).context("opening the source (--from)")?;
    let target_pool = db::connect(to, 1).context("opening the target (--to)")?;
    let mut source = source_pool.get()?;
    let mut target = target_pool.get()?;
    let snapshot = read(&mut source)?;
    let source_version = db::data_version::current(&mut source)?;
    write(&mut target, &snapshot, replace)?;
    // the source's clients hold tags of its versions: the target's must be past them all
    db::data_version::move_past(&mut target, source_version)?;
    let report = Report {
        source: checks(&snapshot)?,
        target: checks(&read(&mut target)?)?,
    };
    if !report.matches() {
        report.print();
        bail!("the copy does not match its source");
    }
    Ok(report)
}
