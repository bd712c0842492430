//! The scale data the benchmarks share (`scale.rs`, `warning_scale.rs`): 100,000 projects and
//! 1,000,000 progress reports, spread over districts, categories, years and states, built the
//! same way on every run.

#![allow(dead_code)]

use std::time::Instant;

use diesel::RunQueryDsl;
use keyproj::db::DbConnection;

pub const PROJECTS: usize = 100_000;
pub const REPORTS: usize = 1_000_000;
pub const BATCH: usize = 500;

const DISTRICTS: [Option<&str>; 9] = [
    Some("municipal"),
    Some("yuhu"),
    Some("yuetang"),
    Some("xiangtan_county"),
    Some("xiangxiang"),
    Some("shaoshan"),
    Some("high_tech_zone"),
    Some("economic_zone"),
    None,
];
/// Weighted like the plan: most projects are elderly care (B).
const CATEGORIES: [&str; 10] = ["A", "B", "B", "B", "B", "B", "C", "D", "D", "E"];
const NATURES: [&str; 4] = ["new", "expansion", "renovation", "continued"];
const STATUSES: [&str; 4] = ["not_started", "in_progress", "completed", "suspended"];
const WORDS: [&str; 8] = [
    "敬老院",
    "养老服务中心",
    "社区服务设施",
    "儿童福利院",
    "公益性公墓",
    "救助管理站",
    "精神康复楼",
    "日间照料中心",
];

/// A small deterministic generator, so every run builds the same data.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

pub fn exec(conn: &mut DbConnection, sql: &str) {
    diesel::sql_query(sql)
        .execute(conn)
        .unwrap_or_else(|e| panic!("{e}: {}", &sql[..sql.len().min(200)]));
}

pub fn generate(conn: &mut DbConnection) {
    let started = Instant::now();
    let mut rng = Rng(0x5eed_cafe_f00d_1234);
    exec(conn, "BEGIN");
    for o in 0..1000 {
        exec(
            conn,
            &format!("INSERT INTO organisations (name) VALUES ('基准单位{o}')"),
        );
    }
    exec(
        conn,
        "INSERT INTO users (username, password_hash, role, organisation_id, disabled, created_at, version) \
         SELECT 'bench_owner_' || id, 'x', 'owner', id, FALSE, '2026-01-01T00:00:00.000Z', 1 FROM organisations WHERE name LIKE '基准单位%'",
    );
    let mut serial = [0usize; 5];
    let mut rows = Vec::with_capacity(BATCH);
    for p in 0..PROJECTS {
        let category = CATEGORIES[rng.below(CATEGORIES.len())];
        let ci = (category.as_bytes()[0] - b'A') as usize;
        serial[ci] += 1;
        let code = format!("{category}{:06}", serial[ci] + 100);
        let district =
            DISTRICTS[rng.below(DISTRICTS.len())].map_or("NULL".to_string(), |d| format!("'{d}'"));
        let start = 2020 + rng.below(5) as i32;
        let end = start + rng.below(4) as i32;
        let total = 3_000 + rng.below(10_000_000) as i64;
        let planned = total - if rng.below(5) == 0 { total / 5 } else { 0 };
        let (share, social) = if rng.below(8) == 0 {
            let bp = 500 + rng.below(9_500) as i64;
            (bp.to_string(), ((total * bp + 5_000) / 10_000).to_string())
        } else {
            ("NULL".into(), "NULL".into())
        };
        let word = WORDS[rng.below(WORDS.len())];
        let nature = NATURES[rng.below(NATURES.len())];
        rows.push(format!(
            "('{code}','{category}',{serial},'基准{word}建设项目{p}','{nature}','新建','基准单位','新建{word}一处，建筑面积{area}平方米。',\
             '{start}',{start},NULL,{start},NULL,FALSE,'{end}',{end},NULL,{end},NULL,FALSE,{total},{planned},{share},{social},NULL,{district},'project_name','基准数据')",
            serial = serial[ci] + 100,
            area = 500 + rng.below(20_000),
        ));
        if rows.len() == BATCH || p + 1 == PROJECTS {
            exec(
                conn,
                &format!(
                    "INSERT INTO projects (code, category, serial, name, nature, nature_published, owner_published, content, \
                 start_published, start_earliest_year, start_earliest_month, start_latest_year, start_latest_month, start_approximate, \
                 end_published, end_earliest_year, end_earliest_month, end_latest_year, end_latest_month, end_approximate, \
                 total_investment_cents, planned_investment_cents, social_share_bp, social_investment_cents, remarks, district, district_basis, district_note) VALUES {}",
                    rows.join(",")
                ),
            );
            rows.clear();
        }
    }
    exec(
        conn,
        "INSERT INTO project_owners (project_id, organisation_id, position) \
         SELECT p.id, o.id, 0 FROM projects p JOIN organisations o ON o.name = '基准单位' || (p.id % 1000) WHERE p.district_note = '基准数据'",
    );
    exec(conn, "COMMIT");
    println!(
        "  generated {PROJECTS} projects in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let first: i64 = scalar(
        conn,
        "SELECT CAST(MIN(id) AS BIGINT) AS v FROM projects WHERE district_note = '基准数据'",
    );
    let owner0: i64 = scalar(
        conn,
        "SELECT CAST(MIN(id) AS BIGINT) AS v FROM users WHERE username LIKE 'bench_owner_%'",
    );
    exec(conn, "BEGIN");
    let states = [
        "approved",
        "approved",
        "approved",
        "approved",
        "approved",
        "approved",
        "superseded",
        "superseded",
        "returned",
        "submitted",
    ];
    let mut rows = Vec::with_capacity(BATCH);
    for r in 0..REPORTS {
        let project = first + (r % PROJECTS) as i64;
        let month = 1 + (r / PROJECTS) % 12;
        let year = 2021 + (r / PROJECTS / 12) % 5;
        let progress = rng.below(10_001);
        let done = rng.below(5_000_000) as i64;
        let social = done / 10;
        let state = states[rng.below(states.len())];
        let status = STATUSES[rng.below(STATUSES.len())];
        let user = owner0 + (project % 1000);
        rows.push(format!(
            "({project},'{year}-{month:02}',{progress},{done},{social},'{status}',NULL,NULL,'按计划推进','无',NULL,'{state}',NULL,{user},'2026-01-01T00:00:00.000Z',NULL,NULL,NULL,NULL,NULL,1)"
        ));
        if rows.len() == BATCH || r + 1 == REPORTS {
            exec(
                conn,
                &format!(
                    "INSERT INTO reports (project_id, period, physical_progress_bp, investment_completed_cents, social_investment_completed_cents, status, \
                 actual_start, actual_end, progress_text, problems_text, over_total_reason, state, supersedes_id, submitted_by, submitted_at, \
                 reviewed_by, reviewed_at, review_reason, idempotency_key, request_fingerprint, version) VALUES {}",
                    rows.join(",")
                ),
            );
            rows.clear();
        }
    }
    // what approval keeps up to date: each project's latest approved report, found in one
    // grouped pass (a correlated MAX per project would probe the reports 100,000 times)
    exec(
        conn,
        "UPDATE projects SET approved_report_id = latest.id \
         FROM (SELECT project_id, MAX(id) AS id FROM reports WHERE state = 'approved' GROUP BY project_id) AS latest \
         WHERE latest.project_id = projects.id AND projects.district_note = '基准数据'",
    );
    exec(
        conn,
        "UPDATE projects SET approved_period = r.period, approved_progress_bp = r.physical_progress_bp, \
         approved_investment_completed_cents = r.investment_completed_cents, \
         approved_social_investment_completed_cents = r.social_investment_completed_cents, approved_status = r.status \
         FROM reports r WHERE r.id = projects.approved_report_id",
    );
    exec(conn, "COMMIT");
    println!(
        "  generated {REPORTS} reports in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // what autovacuum would have done by now: the triggers' rewrites of rollup cells leave
    // dead rows behind on PostgreSQL
    match conn {
        DbConnection::Postgres(_) => exec(conn, "VACUUM ANALYZE"),
        DbConnection::Sqlite(_) => exec(conn, "ANALYZE"),
    }
}

#[derive(diesel::QueryableByName)]
struct Scalar {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    v: i64,
}

pub fn scalar(conn: &mut DbConnection, sql: &str) -> i64 {
    diesel::sql_query(sql)
        .get_result::<Scalar>(conn)
        .unwrap_or_else(|e| panic!("{e}: {sql}"))
        .v
}
