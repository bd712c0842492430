//! Every type the app reads, read both ways: serde's derive and [`FromJson`] must agree on
//! the value or on refusing it.

use serde::de::DeserializeOwned;

use super::{FromJson, Json, ToJson, from_str, to_string};
use crate::{
    AuditPage, Category, District, DistrictBasis, FindingKind, LoginRequest, Nature, NewUser,
    Pivot, Problem, ProgressStatus, ProjectDetail, ProjectEdit, ProjectPage, Reconciliation,
    ReportBody, ReportList, ReportPage, ReportState, ReturnRequest, Role, SessionInfo, SessionUser,
    Summary, Totals, UserList, UserPatch,
};
use crate::{
    DueList, DueMonth, DueProject, Evaluation, EvaluationGroup, EvaluationProject, Money, Outcome,
    OutcomeCounts, Percent, Ranking, RankingEntry, Timeliness, TimelinessCounts, TimelinessMonth,
    TimelinessOrganisation, TimelinessProject,
};

/// Reads `json` both ways: the two must agree, on the value or on failing.
fn same<T: FromJson + DeserializeOwned + PartialEq + std::fmt::Debug>(json: &str) -> T {
    let derived: Result<T, _> = serde_json::from_str(json);
    let ours: Result<T, _> = from_str(json);
    match (derived, ours) {
        (Ok(d), Ok(o)) => {
            assert_eq!(d, o, "{json}");
            o
        }
        (d, o) => panic!("derived {d:?}, ours {o:?}, for {json}"),
    }
}

fn both_refuse<T: FromJson + DeserializeOwned + std::fmt::Debug>(json: &str) {
    assert!(
        serde_json::from_str::<T>(json).is_err(),
        "serde took {json}"
    );
    assert!(from_str::<T>(json).is_err(), "we took {json}");
}

const ITEM: &str = r#""code":"B14","category":"B","serial":14,"name":"湘潭县云湖桥镇中心敬老院建设项目",
    "nature":"expansion","nature_published":"改扩建","owners":[{"id":12,"name":"云湖桥镇人民政府"}],
    "district":"xiangtan_county",
    "start":{"published":"2021-2023","earliest_year":2021,"earliest_month":null,"latest_year":2023,"latest_month":null,"approximate":true},
    "end":{"published":"2021.8","earliest_year":2021,"earliest_month":8,"latest_year":2021,"latest_month":8,"approximate":false},
    "total_investment":"200.00","planned_investment":"120.00","social_share_pct":"9.24","social_investment":"18.48",
    "remarks":null,"has_findings":true"#;

const APPROVED: &str = r#""approved":{"report_id":7,"period":"2024-06","physical_progress_pct":"45.50",
    "investment_completed":"88.80","social_investment_completed":"0.00","status":"in_progress"}"#;

const TOTALS: &str = r#"{"count":3,"total_investment":"5409.88","planned_investment":"120",
    "social_investment":"0.5","social_share_pct":null}"#;

#[test]
fn a_project_page_reads_as_derived() {
    let page: ProjectPage = same(&format!(
        r#"{{"items":[{{{ITEM}}},{{{ITEM},{APPROVED},"unknown":[1,{{"x":null}}]}}],
        "total":2,"page":1,"per_page":20,"totals":{TOTALS}}}"#
    ));
    assert_eq!(page.items.len(), 2);
    assert!(page.items[1].approved.is_some());
    same::<Totals>(&TOTALS.replace('}', r#","investment_completed":"1.00"}"#));
}

#[test]
fn a_detail_reads_as_derived_through_its_flattened_item() {
    let detail = format!(
        r#"{{{ITEM},"content":"改扩建\n两处","category_label":"老年人福利类",
        "district_basis":"project_name","district_note":"项目名称含“湘潭县”",
        "outside_plan_investment":"80.00","government_investment":"181.52",
        "published":{{"serial":"14","name":"n","nature":"改扩建","owner":"o","content":"c","start_year":"2021-2023",
          "end_year":"2021.8","total_investment":"200","planned_investment":"120","social_share":"9.24%","remarks":""}},
        "findings":[{{"kind":"planned_differs_from_schedule","message":"m"}},{{"kind":"text_contradicts_amount","message":"m"}},
          {{"kind":"category_subtotal_mismatch","message":"m"}}]"#
    );
    let d: ProjectDetail = same(&format!("{detail}}}"));
    assert_eq!(d.item.code, "B14");
    same::<ProjectDetail>(&format!(
        r#"{detail},"version":3,"etag":"\"p1-v3\"",{APPROVED}}}"#
    ));
    both_refuse::<ProjectDetail>(&format!(r#"{detail},"district_basis":"elsewhere"}}"#));
}

#[test]
fn summaries_pivots_and_reconciliation_read_as_derived() {
    let group = r#"{"key":"B","label":"老年人福利类","count":2,"total_investment":"1.00",
        "planned_investment":"2.00","social_investment":"0.00","social_share_pct":"0.00"}"#;
    same::<Summary>(&format!(
        r#"{{"group_by":"category","groups":[{group},{}],"total":{TOTALS}}}"#,
        group.replace('}', r#","approximate_count":1}"#)
    ));
    same::<Pivot>(&format!(
        r#"{{"rows":[{group}],"columns":[],"cells":[{{"district":"yuhu","category":"E","totals":{TOTALS}}}],"total":{TOTALS}}}"#
    ));
    let diff = r#"{"count":-1,"total_investment":"-3.05","planned_investment":"0"}"#;
    same::<Reconciliation>(&format!(
        r#"{{"rows":[{{"scope":"category","category":"A","published":{{"label":"儿童福利类","count":4,
        "total_investment":"1","planned_investment":"2","total_investment_text":"1","planned_investment_text":"2"}},
        "computed":{TOTALS},"difference":{diff},"matches":false,"sum_of_published_categories":{diff}}}],
        "contradictions":[{{"code":"A1","name":"n","stated_text":"约1万元","stated_amount":"1","total_investment":"2","difference":"1"}}]}}"#
    ));
}

#[test]
fn accounts_reports_and_the_audit_trail_read_as_derived() {
    let user = r#"{"id":2,"username":"qian","role":"owner","organisation":{"id":12,"name":"云湖桥镇人民政府"}}"#;
    same::<SessionInfo>(&format!(
        r#"{{"user":{user},"expires_at":"2024-06-01T10:00:00Z","idle_timeout_secs":1800}}"#
    ));
    same::<SessionUser>(r#"{"id":1,"username":"admin","role":"admin","organisation":null}"#);
    same::<SessionUser>(r#"{"id":1,"username":"admin","role":"admin"}"#);
    both_refuse::<SessionUser>(r#"{"id":1,"username":"admin","role":"系统管理员"}"#);
    same::<UserList>(
        r#"{"items":[{"id":1,"username":"a","role":"finance","organisation":null,"disabled":true,
        "created_at":"2024-01-01T00:00:00Z","version":2,"etag":"\"u1-v2\""}]}"#,
    );
    let report = r#"{"id":9,"project_code":"B14","project_name":"n","period":"2024-06","physical_progress_pct":"45.5",
        "investment_completed":"88.80","social_investment_completed":"0","status":"completed","actual_start":"2024-03-01",
        "actual_end":null,"progress_text":"主体\"封顶\"\t\u4e0b一步 \ud83d\ude00","problems_text":"","over_total_reason":null,
        "state":"returned","supersedes_id":3,"submitted_by":{"id":2,"username":"qian"},"submitted_at":"2024-06-02T01:00:00Z",
        "reviewed_by":{"id":3,"username":"sun"},"reviewed_at":"2024-06-03T01:00:00Z","review_reason":"不符","version":2,"etag":"\"r9-v2\""}"#;
    let r: ReportList = same(&format!(r#"{{"items":[{report}]}}"#));
    assert!(r.items[0].progress_text.ends_with('😀'));
    same::<ReportPage>(&format!(
        r#"{{"items":[{report},{report}],"total":2,"page":1,"per_page":50}}"#
    ));
    same::<AuditPage>(
        r#"{"items":[{"id":5,"at":"2024-06-01T10:00:00Z","user_id":null,"username":"admin","role":"admin",
        "organisation_id":4,"entity":"user","entity_id":"3","action":"update",
        "before":{"role":"owner","version":1,"n":-5,"big":18446744073709551615,"x":[true,false,null,{"username":"q"}]},
        "after":null,"request_id":"abc"}],"total":1,"page":1,"per_page":50}"#,
    );
}

#[test]
fn problems_read_as_derived() {
    same::<Problem>(r#"{"type":"about:blank","title":"参数有误","status":400}"#);
    same::<Problem>(
        r#"{"type":"about:blank","title":"t","status":409,"detail":"d",
        "errors":[{"field":"per_page","message":"每页最多 100 条"}]}"#,
    );
    both_refuse::<Problem>(r#"{"title":"t","status":400}"#);
    both_refuse::<Problem>(r#"{"type":"x","title":"t","status":70000}"#);
}

#[test]
fn what_is_not_json_or_not_the_type_is_refused() {
    for bad in [
        "",
        "{}",
        r#"{"key":"k"}"#,
        "[]",
        "null",
        r#"{"count":1,"total_investment":"1","planned_investment":"1","social_investment":"1","social_share_pct":null"#,
        r#"{"count":1.0,"total_investment":"1","planned_investment":"1","social_investment":"1","social_share_pct":null}"#,
        r#"{"count":-1,"total_investment":"1","planned_investment":"1","social_investment":"1","social_share_pct":null}"#,
        r#"{"count":01,"total_investment":"1","planned_investment":"1","social_investment":"1","social_share_pct":null}"#,
        r#"{"count":1,"total_investment":"1.234","planned_investment":"1","social_investment":"1","social_share_pct":null}"#,
        r#"{"count":1,"total_investment":null,"planned_investment":"1","social_investment":"1","social_share_pct":null}"#,
        r#"{"count":1,"total_investment":"1","planned_investment":"1","social_investment":"1","social_share_pct":null} x"#,
        r#"{"count":1,"total_investment":"1","planned_investment":"1","social_investment":"1","social_share_pct":null,}"#,
        r#"{"count":1,"total_investment":"1","planned_investment":"1","social_investment":"1","social_share_pct":"\x"}"#,
        r#"{"count":1,"total_investment":"1","planned_investment":"1","social_investment":"1","social_share_pct":"\ud800"}"#,
        r#"{"count":1,"total_investment":"1","planned_investment":"1","social_investment":"1","investment_completed":null,"social_share_pct":null}"#,
    ] {
        both_refuse::<Totals>(bad);
    }
    same::<Totals>(
        " {\"count\" : 1 ,\n\"total_investment\":\"1\",\"planned_investment\":\"1\",\"social_investment\":\"1\",\"social_share_pct\":null}\t",
    );
}
#[test]
fn an_error_names_the_innermost_field_at_fault() {
    let error = |json: &str| match from_str::<ProjectPage>(json) {
        Ok(_) => panic!("took {json}"),
        Err(e) => e.to_string(),
    };
    let page = |items: &str| {
        format!(r#"{{"items":[{items}],"total":1,"page":1,"per_page":20,"totals":{TOTALS}}}"#)
    };
    assert_eq!(
        error(&page(
            &format!(r#"{{{ITEM}}}"#).replace(r#""serial":14"#, r#""serial":"14""#)
        )),
        "serial: invalid type: a string"
    );
    assert_eq!(
        error(&page(&format!(r#"{{{ITEM}}}"#).replace(
            r#""district":"xiangtan_county""#,
            r#""district":"elsewhere""#
        ))),
        "district: invalid value"
    );
    assert_eq!(
        error(&page(
            &format!(r#"{{{ITEM}}}"#).replace(r#""earliest_year":2021,"#, "")
        )),
        "earliest_year: missing field"
    );
    assert_eq!(error(r#"{"items":[]}"#), "total: missing field");
    assert_eq!(error("[1,"), "expected value");
}

#[test]
fn integers_are_exact_over_each_types_whole_range_and_refused_outside_it() {
    let read = |t: &str| Json::Num(t.to_string());
    assert_eq!(i64::from_json(read("-9223372036854775808")), Ok(i64::MIN));
    assert_eq!(i64::from_json(read("9223372036854775807")), Ok(i64::MAX));
    assert!(i64::from_json(read("9223372036854775808")).is_err());
    assert_eq!(u64::from_json(read("18446744073709551615")), Ok(u64::MAX));
    assert!(u64::from_json(read("18446744073709551616")).is_err());
    assert_eq!(u64::from_json(read("-0")), Ok(0));
    assert!(u64::from_json(read("-1")).is_err());
    assert_eq!(u8::from_json(read("255")), Ok(255));
    assert!(u8::from_json(read("256")).is_err());
    assert_eq!(i32::from_json(read("-2147483648")), Ok(i32::MIN));
    assert!(u16::from_json(read("1.0")).is_err());
    assert!(u16::from_json(Json::Str("1".into())).is_err());
}

/// Every variant of every enum the app reads: serde's name for it reads back as it.
fn every_variant_reads_back<T>(all: &[T])
where
    T: FromJson + serde::Serialize + PartialEq + std::fmt::Debug + Copy,
{
    for &v in all {
        let text = serde_json::to_string(&v).unwrap_or_default();
        assert_eq!(from_str::<T>(&text), Ok(v), "{text}");
    }
}

#[test]
fn every_enum_variant_round_trips_from_serde_to_the_reader() {
    every_variant_reads_back(Category::ALL);
    every_variant_reads_back(District::ALL);
    every_variant_reads_back(Nature::ALL);
    every_variant_reads_back(Role::ALL);
    every_variant_reads_back(ProgressStatus::ALL);
    every_variant_reads_back(ReportState::ALL);
    every_variant_reads_back(DistrictBasis::ALL);
    every_variant_reads_back(FindingKind::ALL);
    every_variant_reads_back(crate::Level::ALL);
    every_variant_reads_back(crate::RuleId::ALL);
    every_variant_reads_back(crate::LagMode::ALL);
    every_variant_reads_back(crate::MilestoneKind::ALL);
    every_variant_reads_back(Timeliness::ALL);
    every_variant_reads_back(Outcome::ALL);
}

/// 报送情况 and 终期评估 as the server writes them (serde), read back by the app.
#[test]
fn timeliness_and_the_evaluation_read_as_derived() {
    let month = TimelinessMonth {
        period: "2026-11".into(),
        due_date: "2026-12-05".into(),
        late_from: "2026-12-05T16:00:00.000Z".into(),
        deadline_label: "2026年12月5日24时（北京时间）".into(),
        over: true,
        totals: TimelinessCounts {
            projects: 2,
            on_time: 1,
            not_reported: 1,
            ..TimelinessCounts::default()
        },
        organisations: vec![TimelinessOrganisation {
            id: 3,
            name: "韶山市民政局".into(),
            counts: TimelinessCounts::default(),
            projects: vec![TimelinessProject {
                code: "B29".into(),
                name: "x".into(),
                status: Timeliness::OnTime,
                submitted_at: Some("2026-12-01T01:00:00.000Z".into()),
                report_id: Some(9),
            }],
        }],
    };
    let json = serde_json::to_string(&month).unwrap_or_default();
    assert_eq!(same::<TimelinessMonth>(&json), month);
    let ranking = Ranking {
        from: "2025-12".into(),
        until: "2026-11".into(),
        months_over: vec!["2025-12".into()],
        tie_rule: "规则".into(),
        items: vec![RankingEntry {
            rank: 1,
            id: 3,
            name: "韶山市民政局".into(),
            projects: 19,
            expected: 19,
            on_time: 3,
            late: 1,
            not_reported: 15,
            on_time_rate_pct: Some(Percent::from_basis_points(1579)),
        }],
    };
    let json = serde_json::to_string(&ranking).unwrap_or_default();
    assert_eq!(same::<Ranking>(&json), ranking);
    let month_due = DueMonth {
        period: "2026-12".into(),
        due_date: "2027-01-05".into(),
        deadline_label: "2027年1月5日24时（北京时间）".into(),
    };
    let due = DueList {
        today: "2026-12-06".into(),
        next_deadline: Some(month_due.clone()),
        projects: vec![DueProject {
            code: "B29".into(),
            name: "x".into(),
            overdue: vec!["2026-10".into()],
            open: vec![month_due],
        }],
    };
    let json = serde_json::to_string(&due).unwrap_or_default();
    assert_eq!(same::<DueList>(&json), due);
    let group = EvaluationGroup {
        key: "total".into(),
        label: "合计".into(),
        projects: 1,
        outcomes: OutcomeCounts {
            no_report: 1,
            ..OutcomeCounts::default()
        },
        planned_investment: Money::from_cents(120_000),
        with_figure: 0,
        planned_of_with_figure: Money::ZERO,
        investment_completed: Money::ZERO,
        rate_pct: None,
        published: None,
        finding: Some("原表".into()),
    };
    let evaluation = Evaluation {
        as_of: "2025-12".into(),
        generated_at: "2026-12-06T01:00:00.000Z".into(),
        projects: vec![EvaluationProject {
            code: "B09".into(),
            name: "x".into(),
            category: Category::ElderlyWelfare,
            district: None,
            planned_end: "2023".into(),
            planned_investment: Money::from_cents(120_000),
            outcome: Outcome::NoReport,
            report_period: None,
            completed_in: None,
            cumulative_completed: None,
            investment_completed: None,
            rate_pct: None,
            note: Some("不计为零".into()),
        }],
        by_category: vec![group.clone()],
        by_district: vec![],
        total: group,
    };
    let json = serde_json::to_string(&evaluation).unwrap_or_default();
    assert_eq!(same::<Evaluation>(&json), evaluation);
}

/// The OpenAPI document lists each enum's values as serde writes them. It once listed the
/// Rust names (`ChildWelfare` where the wire says `A`).
#[cfg(feature = "openapi")]
#[test]
fn the_schema_of_every_enum_lists_its_wire_names() {
    fn listed<T: utoipa::PartialSchema + serde::Serialize>(all: &[T]) {
        let schema = serde_json::to_value(T::schema()).unwrap_or_default();
        let wire: Vec<_> = all
            .iter()
            .map(|v| serde_json::to_value(v).unwrap_or_default())
            .collect();
        assert_eq!(schema["enum"], serde_json::Value::Array(wire), "{schema}");
    }
    listed(Category::ALL);
    listed(District::ALL);
    listed(Nature::ALL);
    listed(Role::ALL);
    listed(ProgressStatus::ALL);
    listed(ReportState::ALL);
    listed(DistrictBasis::ALL);
    listed(FindingKind::ALL);
    listed(crate::Level::ALL);
    listed(crate::RuleId::ALL);
    listed(crate::LagMode::ALL);
    listed(crate::MilestoneKind::ALL);
    listed(Timeliness::ALL);
    listed(Outcome::ALL);
}

/// Writes `v` both ways: the text must be the same, byte for byte.
fn written_as_serde_writes<T: ToJson + serde::Serialize>(v: &T) {
    assert_eq!(to_string(v), serde_json::to_string(v).unwrap_or_default());
}

#[test]
fn the_bodies_the_app_sends_are_written_as_serde_writes_them() {
    let report = ReportBody {
        period: "2024-06".into(),
        physical_progress_pct: "45.5".into(),
        investment_completed: "88.80".into(),
        social_investment_completed: None,
        status: "in_progress".into(),
        actual_start: Some("2024-03-01".into()),
        actual_end: None,
        progress_text: "主体\"封顶\"\n\t下一步：装修\u{1}\u{8}\u{c}\r\\ 😀".into(),
        problems_text: String::new(),
        over_total_reason: None,
    };
    written_as_serde_writes(&report);
    written_as_serde_writes(&NewUser {
        username: "li".into(),
        role: "owner".into(),
        organisation: Some("韶山市民政局".into()),
        password: "a \\ long password".into(),
    });
    written_as_serde_writes(&UserPatch {
        role: Some("finance".into()),
        ..UserPatch::default()
    });
    assert_eq!(to_string(&UserPatch::default()), "{}");
    written_as_serde_writes(&LoginRequest {
        username: "qian".into(),
        password: "pw".into(),
    });
    written_as_serde_writes(&ReturnRequest {
        reason: "不符".into(),
    });
    written_as_serde_writes(&ProjectEdit {
        reason: "核对原件".into(),
        owners: Some(vec!["甲".into(), "乙\u{1f}".into()]),
        remarks: Some(String::new()),
        ..ProjectEdit::default()
    });
}

#[test]
fn answers_are_written_as_serde_writes_them_through_renames_skips_and_flattening() {
    let problem: Problem = same(
        r#"{"type":"about:blank","title":"t","status":409,
        "errors":[{"field":"per_page","message":"每页最多 100 条"}]}"#,
    );
    written_as_serde_writes(&problem);
    written_as_serde_writes(&same::<Problem>(
        r#"{"type":"x","title":"t","status":400,"detail":"d"}"#,
    ));
    let detail: ProjectDetail = same(&format!(
        r#"{{{ITEM},{APPROVED},"content":"c","category_label":"l","district_basis":"edited",
        "district_note":"n","outside_plan_investment":"-80.00","government_investment":"1.5",
        "published":{{"serial":"14","name":"n","nature":"n","owner":"o","content":"c","start_year":"2021",
          "end_year":"2021","total_investment":"200","planned_investment":"120","social_share":"","remarks":""}},
        "findings":[{{"kind":"text_contradicts_amount","message":"m"}}],"version":3,"etag":"\"p1-v3\""}}"#
    ));
    written_as_serde_writes(&detail);
    let audit: AuditPage = same(
        r#"{"items":[{"id":5,"at":"t","user_id":null,"username":"admin","role":"admin",
        "organisation_id":4,"entity":"user","entity_id":"3","action":"update",
        "before":{"role":"owner","n":-5,"x":[true,null,{"username":"q"}]},
        "after":null,"request_id":"abc"}],"total":1,"page":1,"per_page":50}"#,
    );
    written_as_serde_writes(&audit);
}

#[test]
fn plans_and_warnings_read_and_write_as_serde_does() {
    let plans: crate::ProjectPlans = same(
        r#"{"code":"B09","total_investment":"5000.00","planned_investment":"4000.00",
        "first_year":2021,"last_year":2025,"plans_total":"1000.00","history":[],
        "plans":[{"year":2024,"version":2,"planned_investment":"1000.00","social_investment":"0.00",
          "target_progress_pct":"60.00","content":"c","baseline_completed":null,
          "milestones":[{"kind":"start","name":"开工","month":"2024-03"}],
          "monthly_breakdown":["0.00","100.00"],"reason":"r","over_total_reason":null,
          "created_by":"li","created_at":"t","etag":"\"plan-B09-2024-v2\""}]}"#,
    );
    written_as_serde_writes(&plans);
    let w: crate::ProjectWarnings = same(
        r#"{"code":"B09","period":"2024-06","rule_set_version":1,
        "year_to_date":{"period":"2024-06","planned":"1000.00","cumulative":null,"baseline":null,
          "baseline_source":null,"completed":null,"completion_rate":null,
          "expected_progress":"50.00","note":"n"},
        "warnings":[{"code":"B09","name":"n","period":"2024-06","rule":"investment_lag",
          "level":"yellow","gap":"18.00","rule_set_version":1,"explanation":"e"}]}"#,
    );
    written_as_serde_writes(&w);
    both_refuse::<crate::Warning>(
        r#"{"code":"B09","name":"n","period":"2024-06","rule":"late","level":"yellow","gap":null,"rule_set_version":1,"explanation":"e"}"#,
    );
}

#[test]
fn a_projects_year_month_by_month_reads_and_writes_as_serde_does() {
    let p: crate::ProjectProgress = same(
        r#"{"code":"B09","year":2024,"period":"2024-06","rule_set_version":2,
        "planned":"1000.00","baseline":null,
        "months":[{"period":"2024-06","expected_progress":"50.00","expected_completed":"500.00",
          "cumulative":"420.00","completed":"320.00","completion_rate":"32.00","colour":"red"},
          {"period":"2024-07","expected_progress":"58.33","expected_completed":"583.30",
          "cumulative":null,"completed":null,"completion_rate":null,"colour":null}]}"#,
    );
    assert_eq!(p.months[0].colour, Some(crate::Level::Red));
    written_as_serde_writes(&p);
    both_refuse::<crate::ProgressMonth>(
        r#"{"period":"2024-06","expected_progress":null,"expected_completed":null,"cumulative":null,"completed":null,"completion_rate":null,"colour":"purple"}"#,
    );
}
