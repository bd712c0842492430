//! The `--demo` sample: annual plans for 2025 and a year of monthly reports for seven
//! projects in five districts, so that a newcomer sees every colour of warning. The published
//! plan has no annual plans and no reports, so every figure here is made up: the database is
//! marked (`sample_data`), `/healthz` says `sample_data: true` and the web app shows a banner.
//!
//! The sample goes only into a database that holds no plans, no reports and no accounts but
//! the demo ones; any other is refused at start rather than mixed with real data. It is
//! written through the services real writes use (`plans::revise`, `reports::submit`,
//! `reports::review`), audited as `(demo loader)`.

use anyhow::{Context, bail};
use keyproj_shared::{MilestoneBody, Money, PlanBody, ReportBody, plan_etag};

use crate::accounts::DEMO_USERS;
use crate::audit::Actor;
use crate::auth::AuthUser;
use crate::clock;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::models::report::ReportRow;
use crate::models::sample::{SampleRow, UserData};
use crate::models::user::UserRow;
use crate::plans;
use crate::precondition::Expected;
use crate::reports::{self, Decision, Submission};

/// The year of the sample: the last of the plan period, the latest year any project's span
/// reaches (so the latest a plan may be entered for).
pub const YEAR: i32 = 2025;

/// What the sample marks every text with.
const MARK: &str = "演示数据：示例，非真实数据";

/// One sample project: its 2025 plan and, for each month, the share of that plan done by
/// the month's end (本年完成投资 / 年度计划投资, %), or `None` where no report is filed.
struct Sample {
    code: &'static str,
    /// 年度计划投资, 万元
    plan: i64,
    /// 上年末累计完成投资, 万元
    baseline: i64,
    start: Option<u32>,
    completion: Option<u32>,
    done: [Option<i64>; 12],
    /// 建设状态 in every report, but `completed` from the month the share reaches 100 when
    /// the plan has its 竣工 in the year and `finishes` is set.
    status: &'static str,
    finishes: bool,
    /// 形象进度 below investment progress by this many points (0: equal).
    progress_behind: i64,
    /// Months whose report comes on the 12th of the next month, after the deadline.
    late: &'static [u32],
}

const fn every(shares: [i64; 12]) -> [Option<i64>; 12] {
    let mut out = [None; 12];
    let mut i = 0;
    while i < 12 {
        out[i] = Some(shares[i]);
        i += 1;
    }
    out
}

const ON_TRACK: [i64; 12] = [8, 17, 25, 33, 42, 50, 58, 67, 75, 83, 92, 100];

/// The sample, by the colour it shows in 2025 (see docs/demo.md for the figures).
const SAMPLE: &[Sample] = &[
    // 湘乡市: on plan, completed in December: green
    Sample {
        code: "A05",
        plan: 900,
        baseline: 600,
        start: None,
        completion: Some(12),
        done: every(ON_TRACK),
        status: "in_progress",
        finishes: true,
        progress_behind: 0,
        late: &[],
    },
    // 湘潭县: 20 points behind 序时进度 from March: yellow
    Sample {
        code: "B17",
        plan: 4000,
        baseline: 12000,
        start: None,
        completion: None,
        done: every([0, 0, 5, 13, 22, 30, 38, 47, 55, 63, 72, 80]),
        status: "in_progress",
        finishes: false,
        progress_behind: 0,
        late: &[],
    },
    // 湘乡市: slipping, yellow from February, red from May
    Sample {
        code: "B22",
        plan: 6000,
        baseline: 10000,
        start: None,
        completion: None,
        done: every([2, 4, 6, 8, 10, 12, 15, 18, 22, 26, 30, 35]),
        status: "in_progress",
        finishes: false,
        progress_behind: 0,
        late: &[],
    },
    // 湘潭高新区: stops reporting after September: not reported, yellow then red
    Sample {
        code: "B49",
        plan: 40,
        baseline: 90,
        start: None,
        completion: None,
        done: [
            Some(8),
            Some(17),
            Some(25),
            Some(33),
            Some(42),
            Some(50),
            Some(58),
            Some(67),
            Some(75),
            None,
            None,
            None,
        ],
        status: "in_progress",
        finishes: false,
        progress_behind: 0,
        late: &[],
    },
    // 岳塘区: on plan, but July's report came late
    Sample {
        code: "C06",
        plan: 300,
        baseline: 900,
        start: None,
        completion: None,
        done: every(ON_TRACK),
        status: "in_progress",
        finishes: false,
        progress_behind: 0,
        late: &[7],
    },
    // 韶山市: planned to start in March and never did: start lag, investment lag red
    Sample {
        code: "D14",
        plan: 1500,
        baseline: 0,
        start: Some(3),
        completion: None,
        done: every([0; 12]),
        status: "not_started",
        finishes: false,
        progress_behind: 0,
        late: &[],
    },
    // 韶山市: money spent by September, 竣工 planned then but not reached: completion lag;
    // 形象进度 far behind the money: divergence
    Sample {
        code: "B35",
        plan: 800,
        baseline: 2500,
        start: None,
        completion: Some(9),
        done: every([11, 22, 33, 44, 56, 67, 78, 89, 100, 100, 100, 100]),
        status: "in_progress",
        finishes: false,
        progress_behind: 40,
        late: &[],
    },
];

/// What start-up did about the sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Loaded { plans: i32, reports: i32 },
    AlreadyPresent,
}

/// Refuses `--demo` on a database that holds what users put there; call it before the demo
/// accounts are created.
pub fn check_fresh(conn: &mut DbConnection) -> anyhow::Result<()> {
    if SampleRow::present(conn)? {
        return Ok(());
    }
    let demo: Vec<&str> = DEMO_USERS.iter().map(|(name, _, _)| *name).collect();
    let found = UserData::count(conn, &demo)?;
    if !found.is_empty() {
        bail!(
            "--demo 被拒绝：此数据库已有真实数据（年度计划修订 {} 条、月报 {} 条、非演示账号 {} 个），\
             不能混入示例数据。请去掉 --demo 启动，或用一个新的数据库试用 --demo \
             (--demo refused: this database already holds user data; start without --demo, \
             or point --database-url at a new database to try the demo)",
            found.plans,
            found.reports,
            found.accounts
        );
    }
    Ok(())
}

/// Loads the sample unless the database holds it already. The demo accounts must exist.
pub fn load(conn: &mut DbConnection) -> anyhow::Result<Outcome> {
    if SampleRow::present(conn)? {
        return Ok(Outcome::AlreadyPresent);
    }
    // marked first: were the load cut short, the database still says it holds sample data
    SampleRow::mark(conn, &clock::stamp(clock::now()))?;
    let actor = Actor::system("demo loader");
    let planner = account(conn, "demo-planner")?;
    let submitter = account(conn, "demo-admin")?;
    let reviewer = account(conn, "demo-finance")?;
    let (mut plans_written, mut reports_written) = (0, 0);
    for s in SAMPLE {
        write_plan(conn, &actor, &planner, s).with_context(|| format!("sample plan {}", s.code))?;
        plans_written += 1;
        for (month, share) in (1u32..).zip(s.done) {
            let Some(share) = share else { continue };
            write_report(conn, &actor, &submitter, &reviewer, s, month, share)
                .with_context(|| format!("sample report {} {YEAR}-{month:02}", s.code))?;
            reports_written += 1;
        }
    }
    SampleRow::finish(conn, plans_written, reports_written)?;
    Ok(Outcome::Loaded {
        plans: plans_written,
        reports: reports_written,
    })
}

fn account(conn: &mut DbConnection, name: &str) -> anyhow::Result<AuthUser> {
    let row = UserRow::find_by_username(conn, name)?
        .with_context(|| format!("the demo account {name} is missing"))?;
    let with_org = UserRow::find(conn, row.id)?
        .with_context(|| format!("the demo account {name} vanished"))?;
    AuthUser::from_row(with_org.0, with_org.1).map_err(api)
}

fn api(e: ApiError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

fn milestone(kind: &str, month: Option<u32>) -> Option<MilestoneBody> {
    month.map(|m| MilestoneBody {
        kind: kind.to_string(),
        name: None,
        month: format!("{YEAR}-{m:02}"),
    })
}

fn write_plan(
    conn: &mut DbConnection,
    actor: &Actor,
    planner: &AuthUser,
    s: &Sample,
) -> anyhow::Result<()> {
    let body = PlanBody {
        reason: format!("{MARK}（--demo 载入）"),
        planned_investment: s.plan.to_string(),
        social_investment: None,
        target_progress_pct: None,
        content: format!("{MARK}：{YEAR}年度建设内容"),
        baseline_completed: Some(s.baseline.to_string()),
        milestones: [
            milestone("start", s.start),
            milestone("completion", s.completion),
        ]
        .into_iter()
        .flatten()
        .collect(),
        monthly_breakdown: None,
        over_total_reason: None,
    };
    let first = Expected::exactly(&plan_etag(s.code, YEAR, 0));
    plans::revise(conn, actor, planner.id, s.code, YEAR, &first, &body).map_err(api)?;
    Ok(())
}

/// `cents` as a decimal string of 万元 (`123456` → `"1234.56"`).
fn yuan(cents: i64) -> String {
    Money::from_cents(cents).to_string()
}

fn write_report(
    conn: &mut DbConnection,
    actor: &Actor,
    submitter: &AuthUser,
    reviewer: &AuthUser,
    s: &Sample,
    month: u32,
    share: i64,
) -> anyhow::Result<()> {
    let project = plans::find_project(conn, s.code).map_err(api)?;
    let total = project.total_investment_cents.max(1);
    let cumulative = s.baseline * 100 + s.plan * share;
    // 形象进度 follows the money (累计完成投资 / 总投资) unless the sample says otherwise
    let progress_bp = (cumulative * 10_000 / total - s.progress_behind * 100).clamp(0, 10_000);
    let completed = s.finishes && share >= 100;
    let body = ReportBody {
        period: format!("{YEAR}-{month:02}"),
        physical_progress_pct: format!("{}.{:02}", progress_bp / 100, progress_bp % 100),
        investment_completed: yuan(cumulative),
        social_investment_completed: None,
        status: if completed { "completed" } else { s.status }.to_string(),
        actual_start: None,
        actual_end: completed.then(|| format!("{YEAR}-{month:02}-28")),
        progress_text: format!("{MARK}：本年完成年度计划的 {share}%"),
        problems_text: String::new(),
        over_total_reason: None,
    };
    let submission = Submission {
        code: s.code.to_string(),
        body,
        shape_errors: Vec::new(),
        idempotency_key: None,
        fingerprint: format!("demo:{}:{YEAR}-{month:02}", s.code),
    };
    let (report, _) = reports::submit(conn, submitter, actor, &submission).map_err(api)?;
    let id = i32::try_from(report.id)?;
    let approved = reports::review(
        conn,
        reviewer,
        actor,
        id,
        &Expected::exactly(&report.etag),
        &Decision::Approve,
    )
    .map_err(api)?;
    // filed on the 3rd of the next month (the 12th when late), reviewed the day after
    let (y, m) = if month == 12 {
        (YEAR + 1, 1)
    } else {
        (YEAR, month + 1)
    };
    let day = if s.late.contains(&month) { 12 } else { 3 };
    ReportRow::date_sample(
        conn,
        i32::try_from(approved.id)?,
        &format!("{y}-{m:02}-{day:02}T01:00:00.000Z"),
        &format!("{y}-{m:02}-{:02}T01:00:00.000Z", day + 1),
    )?;
    Ok(())
}
