//! Accounts and progress reports in the browser: an owner reports, finance reviews, the
//! figures change; finance and admins read the audit trail; an admin manages users.

use fantoccini::Locator;
use keyproj_shared::{Report, Role};

use crate::harness::{Session, figure, start};
use crate::helpers::{PASSWORD, SHAOSHAN, ok_json, report_body};

/// Types `text` into the field, replacing what it held.
pub(crate) async fn fill(s: &Session, css: &str, text: &str) {
    let field = s.wait_for(css).await;
    field.clear().await.expect("clear");
    field.send_keys(text).await.expect("type");
}

pub(crate) async fn click(s: &Session, css: &str) {
    s.wait_for(css).await.click().await.expect(css);
}

/// Logs in through the login page and waits until the header names the user.
pub(crate) async fn log_in(s: &Session, username: &str, password: &str) {
    s.open("/login").await;
    fill(s, "#login-username", username).await;
    fill(s, "#login-password", password).await;
    click(s, "[data-testid=login-submit]").await;
    s.until(&format!("{username} logged in"), || async {
        s.count("[data-testid=session-user]").await == 1
    })
    .await;
    assert!(
        s.text_of("[data-testid=session-user]")
            .await
            .contains(username)
    );
}

/// The message shown under a form field.
async fn field_error(s: &Session, field: &str) -> String {
    s.text_of(&format!("[data-testid=field-error][data-field={field}]"))
        .await
}

/// The "done when" in the browser: an owner submits a report (the form refusing
/// bad values in Chinese at the field first), finance approves it, and the project's
/// figures change on the dashboard, in the list and on the project page.
#[tokio::test]
async fn an_owner_reports_finance_approves_and_the_dashboard_figures_change() {
    let s = start().await;
    s.app.add_user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    s.app.add_user("qian", Role::Finance, None).await;
    let (own, _) = s.app.projects_of(SHAOSHAN).await;

    s.open("/").await;
    assert_eq!(
        figure(&s.text_of("[data-testid=kpi-completed]").await),
        "0.00"
    );
    assert_eq!(s.count("[data-testid=nav-my-projects]").await, 0);

    // the owner: 我的项目 → the project's report form
    log_in(&s, "zhang", PASSWORD).await;
    s.until("the owner's own page", || async {
        s.current_url().await.ends_with("/my-projects")
    })
    .await;
    assert_eq!(s.count("[data-testid=nav-review]").await, 0);
    // the audit trail is for finance and admins: 审计 is not offered to an owner
    assert_eq!(s.count("[data-testid=nav-audit]").await, 0);
    assert!(
        s.text_of("[data-testid=session-role]")
            .await
            .contains("建设单位")
    );
    let row = format!("[data-testid=my-project-row][data-code={}]", own.code);
    s.wait_for(&row).await;
    let theirs: keyproj_shared::ProjectPage =
        s.app.json("/api/projects", &[("owner", SHAOSHAN)]).await;
    assert_eq!(
        s.count("[data-testid=my-project-row]").await as u64,
        theirs.total
    );
    click(&s, &format!("{row} [data-testid=report-link]")).await;
    s.wait_for("[data-testid=report-form]").await;
    s.wait_for("[data-testid=no-reports]").await;

    // bad values: told at each field, in Chinese, and nothing is sent
    fill(&s, "#report-period", "2024-06").await;
    fill(&s, "#report-progress", "120").await;
    fill(&s, "#report-completed", "八十八").await;
    click(&s, "[data-testid=report-submit]").await;
    assert!(
        field_error(&s, "physical_progress_pct")
            .await
            .contains("形象进度应在 0 到 100 之间")
    );
    assert!(
        field_error(&s, "investment_completed")
            .await
            .contains("万元")
    );
    assert!(field_error(&s, "status").await.contains("请选择建设状态"));
    let focused = s
        .client
        .active_element()
        .await
        .expect("focus")
        .attr("id")
        .await
        .expect("id");
    assert_eq!(
        focused.as_deref(),
        Some("report-status"),
        "the first bad field has the focus"
    );
    assert_eq!(s.count("[data-testid=report-row]").await, 0);

    // put right: the messages go as the values are corrected, and the report is sent
    fill(&s, "#report-progress", "45.5").await;
    fill(&s, "#report-completed", "88.80").await;
    s.wait_for("#report-status")
        .await
        .select_by_value("in_progress")
        .await
        .expect("status");
    fill(&s, "#report-progress-text", "主体结构封顶").await;
    s.until("the messages to go", || async {
        s.count("[data-testid=field-error]").await == 0
    })
    .await;
    click(&s, "[data-testid=report-submit]").await;
    s.wait_for("[data-testid=report-submitted]").await;
    let submitted = "[data-testid=report-row][data-state=submitted][data-period='2024-06']";
    s.wait_for(submitted).await;
    assert_eq!(
        s.text_of(&format!("{submitted} [data-testid=state-badge]"))
            .await,
        "待审核"
    );

    // finance: the queue, approve
    click(&s, "[data-testid=logout]").await;
    s.wait_for("[data-testid=nav-login]").await;
    log_in(&s, "qian", PASSWORD).await;
    s.until("the review queue", || async {
        s.current_url().await.ends_with("/review")
    })
    .await;
    let queued = format!("[data-testid=review-row][data-code={}]", own.code);
    s.wait_for(&queued).await;
    assert!(s.text_of(&queued).await.contains("主体结构封顶"));
    click(&s, &format!("{queued} [data-testid=approve]")).await;
    assert!(
        s.text_of("[data-testid=review-message]")
            .await
            .contains("已通过")
    );
    s.wait_for("[data-testid=empty]").await;
    assert_eq!(s.count("[data-testid=review-row]").await, 0);

    // finance may read the audit trail: 审计 is in the nav, and the approval is in it
    assert_eq!(s.text_of("[data-testid=nav-audit]").await, "审计");
    click(&s, "[data-testid=nav-audit]").await;
    s.wait_for(
        "[data-testid=audit-page] [data-testid=audit-row][data-entity=report][data-action=approve]",
    )
    .await;
    assert_eq!(s.count("[data-testid=forbidden]").await, 0);

    // the figures: dashboard, list totals, the list row, the project page
    s.open("/").await;
    s.until("the approved figure on the dashboard", || async {
        figure(&s.text_of("[data-testid=kpi-completed]").await) == "88.80"
    })
    .await;
    s.open("/projects").await;
    assert_eq!(
        figure(&s.text_of("[data-testid=totals-completed]").await),
        "88.80"
    );
    s.open("/projects?status=in_progress").await;
    s.until("the list filtered to 在建", || async {
        s.count("[data-testid=project-row]").await == 1
    })
    .await;
    let listed = format!("[data-testid=project-row][data-code={}]", own.code);
    assert!(
        s.text_of(&format!("{listed} [data-testid=row-status]"))
            .await
            .contains("在建")
    );
    assert_eq!(
        figure(
            &s.text_of(&format!("{listed} [data-testid=row-completed]"))
                .await
        ),
        "88.80"
    );
    s.open(&format!("/projects/{}", own.code)).await;
    assert_eq!(
        figure(&s.text_of("[data-testid=approved-completed]").await),
        "88.80"
    );
    assert_eq!(s.text_of("[data-testid=approved-status]").await, "在建");
    assert_eq!(s.text_of("[data-testid=approved-pct]").await, "45.50%");
    s.close().await;
}

/// Finance returns a report, which needs a reason; the owner sees it returned, with the
/// reason, in the project's history. Nobody reviews their own report.
#[tokio::test]
async fn a_returned_report_shows_its_reason_and_nobody_reviews_their_own() {
    let s = start().await;
    let owner = s.app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    s.app.add_user("qian", Role::Finance, None).await;
    s.app.add_user("root", Role::Admin, None).await;
    let (own, _) = s.app.projects_of(SHAOSHAN).await;
    let report: Report = ok_json(
        owner.report(&own.code, &report_body("2024-05", "10")).await,
        "submit",
    )
    .await;
    let admin = s.app.login("root", PASSWORD).await;
    let admins: Report = ok_json(
        admin.report(&own.code, &report_body("2024-04", "5")).await,
        "admin submits",
    )
    .await;

    // an admin's own report waits for someone else
    log_in(&s, "root", PASSWORD).await;
    s.open("/review").await;
    let mine = format!("[data-testid=review-row][data-id='{}']", admins.id);
    s.wait_for(&format!("{mine} [data-testid=own-report]"))
        .await;
    assert_eq!(s.count(&format!("{mine} [data-testid=approve]")).await, 0);
    click(&s, "[data-testid=logout]").await;
    s.wait_for("[data-testid=nav-login]").await;

    log_in(&s, "qian", PASSWORD).await;
    s.open("/review").await;
    let row = format!("[data-testid=review-row][data-id='{}']", report.id);
    click(&s, &format!("{row} [data-testid=return]")).await;
    click(&s, "[data-testid=return-confirm]").await;
    assert!(field_error(&s, "reason").await.contains("退回须说明原因"));
    fill(&s, "#return-reason", "累计完成投资与财务凭证不符，请核实").await;
    click(&s, "[data-testid=return-confirm]").await;
    assert!(
        s.text_of("[data-testid=review-message]")
            .await
            .contains("已退回")
    );
    s.until("the returned report to leave the queue", || async {
        s.count(&row).await == 0
    })
    .await;
    click(&s, "[data-testid=tab-returned]").await;
    s.wait_for(&format!("{row}[data-state=returned]")).await;
    click(&s, "[data-testid=logout]").await;
    s.wait_for("[data-testid=nav-login]").await;

    log_in(&s, "zhang", PASSWORD).await;
    s.open(&format!("/projects/{}/reports", own.code)).await;
    let returned = format!("[data-testid=report-row][data-id='{}']", report.id);
    assert_eq!(
        s.text_of(&format!("{returned} [data-testid=state-badge]"))
            .await,
        "已退回"
    );
    assert!(s.text_of(&returned).await.contains("与财务凭证不符"));
    s.close().await;
}

/// Pages that need a login say so and come back after it; a wrong password is told in
/// Chinese; a role sees only its own entries and pages.
#[tokio::test]
async fn pages_ask_for_a_login_and_each_role_sees_its_own() {
    let s = start().await;
    s.app.add_user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    s.app.add_user("qian", Role::Finance, None).await;

    s.open("/review").await;
    s.wait_for("[data-testid=login-needed]").await;
    click(&s, "[data-testid=login-needed] a").await;
    s.until("the login page, coming back to the review", || async {
        s.current_url().await.contains("/login?next=%2Freview")
    })
    .await;
    fill(&s, "#login-username", "qian").await;
    fill(&s, "#login-password", "not the password").await;
    click(&s, "[data-testid=login-submit]").await;
    assert!(
        s.text_of("[data-testid=login-error]")
            .await
            .contains("用户名或密码不正确")
    );
    fill(&s, "#login-password", PASSWORD).await;
    click(&s, "[data-testid=login-submit]").await;
    s.wait_for("[data-testid=review-page] [data-testid=empty]")
        .await;
    assert!(s.current_url().await.ends_with("/review"));
    assert_eq!(s.count("[data-testid=nav-users]").await, 0);
    assert_eq!(s.count("[data-testid=nav-my-projects]").await, 0);

    // an owner may not review
    click(&s, "[data-testid=logout]").await;
    s.wait_for("[data-testid=login-needed]").await;
    log_in(&s, "zhang", PASSWORD).await;
    s.open("/review").await;
    s.wait_for("[data-testid=forbidden]").await;
    s.open("/users").await;
    s.wait_for("[data-testid=forbidden]").await;
    s.close().await;
}

/// An admin creates an account (the form refusing a short password and a taken name at the
/// field), disables it, and finds both in the audit trail.
#[tokio::test]
async fn an_admin_manages_users_and_reads_the_audit_trail() {
    let s = start().await;
    s.app.add_user("root", Role::Admin, None).await;
    log_in(&s, "root", PASSWORD).await;
    s.wait_for("[data-testid=nav-audit]").await;
    click(&s, "[data-testid=nav-users]").await;
    s.wait_for("[data-testid=user-row][data-username=root]")
        .await;

    fill(&s, "#new-username", "li").await;
    s.wait_for("#new-role")
        .await
        .select_by_value("owner")
        .await
        .expect("role");
    s.wait_for(&format!("#new-organisation option[value='{SHAOSHAN}']"))
        .await;
    s.wait_for("#new-organisation")
        .await
        .select_by_value(SHAOSHAN)
        .await
        .expect("organisation");
    fill(&s, "#new-password", "short").await;
    click(&s, "[data-testid=new-user-submit]").await;
    assert!(
        field_error(&s, "password")
            .await
            .contains("密码至少 10 个字符")
    );
    fill(&s, "#new-password", "a long enough password").await;
    click(&s, "[data-testid=new-user-submit]").await;
    assert!(
        s.text_of("[data-testid=users-message]")
            .await
            .contains("已创建用户 li")
    );
    let li = "[data-testid=user-row][data-username=li]";
    assert!(s.text_of(li).await.contains(SHAOSHAN));

    // the same name again
    fill(&s, "#new-username", "li").await;
    s.wait_for("#new-role")
        .await
        .select_by_value("finance")
        .await
        .expect("role");
    fill(&s, "#new-password", "another long password").await;
    click(&s, "[data-testid=new-user-submit]").await;
    assert!(!field_error(&s, "username").await.is_empty());

    click(&s, &format!("{li} [data-testid=user-disable]")).await;
    s.wait_for(&format!("{li}[data-disabled=true]")).await;
    // the admin cannot disable themselves
    assert_eq!(
        s.count("[data-testid=user-row][data-username=root] [data-testid=user-disable]")
            .await,
        0
    );

    click(&s, "[data-testid=nav-audit]").await;
    s.wait_for("[data-testid=audit-row][data-entity=user][data-action=disable]")
        .await;
    s.wait_for("[data-testid=audit-row][data-entity=user][data-action=create]")
        .await;
    // filtered to users only
    s.wait_for("#audit-entity")
        .await
        .select_by_value("user")
        .await
        .expect("entity");
    s.until("only user entries", || async {
        s.current_url().await.contains("entity=user")
            && s.count("[data-testid=audit-row][data-entity=session]")
                .await
                == 0
    })
    .await;
    let rows = s
        .client
        .find_all(Locator::Css("[data-testid=audit-row]"))
        .await
        .expect("rows");
    assert!(!rows.is_empty());
    s.close().await;
}
