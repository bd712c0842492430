//! One project: every field the API gives, the text exactly as published (line breaks kept),
//! its schedule on the 2020-2026 axis, its money split two ways, and the reconciliation
//! findings, shown at the top where there are any; its annual plans, the year planned
//! against actual and the month's warnings (`project_month`), loaded with it.

use std::rc::Rc;

use keyproj_shared::{
    AppRoute, Finding, FindingKind, Money, ProjectDetail, ProjectPlans, Role, ScheduleDate,
};
use yew::prelude::*;

use crate::components::charts::{Part, split_bar};
use crate::components::error_box::error_box;
use crate::components::gantt::{GanttBar, Span, gantt_bar, gantt_header, today_tenths};
use crate::components::loading::loading;
use crate::components::money::{format_money, format_percent, money_text, percent_text};
use crate::components::report_history::approved_progress;
use crate::hooks::{Fetched, answer, use_api, use_title};
use crate::pages::project_month::{Month, ProjectMonth, default_month, load_month};
use crate::services::{self, ApiError, nav};

/// The project, its plans and the default month, asked together: the page appears whole.
struct Loaded {
    detail: ProjectDetail,
    plans: Rc<ProjectPlans>,
    month: Option<Rc<Month>>,
}

async fn load(code: AttrValue) -> Result<Loaded, ApiError> {
    let month = async {
        match default_month() {
            Some(p) => load_month(&code, p).await.map(Some),
            None => Ok(None),
        }
    };
    let (detail, plans, month) = futures::try_join!(
        services::get_project(&code),
        services::project_plans(&code),
        month,
    )?;
    Ok(Loaded {
        detail,
        plans: Rc::new(plans),
        month: month.map(Rc::new),
    })
}

#[derive(Properties, PartialEq)]
pub struct ProjectPageProps {
    pub code: AttrValue,
    /// The logged-in user's role: what the page offers beyond reading.
    pub role: Option<Role>,
}

#[component]
pub fn ProjectPage(props: &ProjectPageProps) -> Html {
    let api = use_api(props.code.clone(), |code| {
        Box::pin(async move { answer(load(code).await) })
    });
    let title = match api.get::<Loaded>() {
        Fetched::Ready(l) => format!("{} {}", l.detail.item.code, l.detail.item.name),
        _ => props.code.to_string(),
    };
    use_title(title);
    let body = match api.get::<Loaded>() {
        Fetched::Loading => loading(),
        Fetched::Failed(error) => error_box(
            error,
            &api.retry,
            html! { <a href={AppRoute::Projects.path()} class="button">{ "返回项目列表" }</a> },
        ),
        Fetched::Ready(l) => {
            let plans = match &l.month {
                Some(month) => html! {
                    <ProjectMonth code={props.code.clone()} plans={Rc::clone(&l.plans)}
                        first={Rc::clone(month)} />
                },
                None => Html::default(),
            };
            view(&l.detail, props.role, plans)
        }
    };
    html! {
        <section class="page project" data-testid="project-page">
            <nav class="breadcrumb" aria-label="位置">
                <a href={AppRoute::Projects.path()}>{ "项目" }</a>
                <span aria-hidden="true">{ " › " }</span>
                <span aria-current="page">{ props.code.clone() }</span>
            </nav>
            { body }
        </section>
    }
}

fn field(label: &'static str, value: Html) -> Html {
    html! {
        <div class="field-row">
            <dt>{ label }</dt>
            <dd>{ value }</dd>
        </div>
    }
}

fn schedule(d: &ScheduleDate) -> Html {
    html! {
        <>
            <span>{ d.label() }</span>
            if d.approximate {
                <span class="muted">{ "（原表为年份区间）" }</span>
            }
        </>
    }
}

fn finding_kind(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::CategorySubtotalMismatch => "类别小计不符",
        FindingKind::TextContradictsAmount => "文字与金额不符",
        FindingKind::PlannedDiffersFromSchedule => "计划投资与工期不符",
        FindingKind::AnnualPlansDifferFromPlanned => "年度计划与十四五计划投资不符",
    }
}

fn figure(
    label: &'static str,
    value: String,
    unit: &'static str,
    testid: &'static str,
    title: Option<String>,
) -> Html {
    html! {
        <div class="kpi">
            <dt>{ label }</dt>
            <dd title={title}>
                <span class="kpi-value num" data-testid={testid}>{ value }</span>
                if !unit.is_empty() {
                    <span class="unit">{ unit }</span>
                }
            </dd>
        </div>
    }
}

fn legend_item(class: &'static str, label: &'static str, value: Html) -> Html {
    html! {
        <li>
            <span {class} aria-hidden="true"></span>
            <span class="legend-label">{ label }</span>
            <span class="num">{ value }</span>
        </li>
    }
}

fn budget(d: &ProjectDetail) -> Html {
    let p = &d.item;
    let social = p.social_investment.unwrap_or(Money::ZERO);
    let share = p
        .social_share_pct
        .map_or_else(|| "无".to_string(), format_percent);
    html! {
        <div class="budget-split">
            <div class="split">
                <h3>{ "总投资按时段" }</h3>
                { split_bar(
                    &[
                        Part { value: p.planned_investment.cents(), class: "seg planned" },
                        Part { value: d.outside_plan_investment.cents(), class: "seg outside" },
                    ],
                    format!(
                        "总投资 {} 万元：“十四五”期内 {} 万元，期外 {} 万元",
                        format_money(p.total_investment),
                        format_money(p.planned_investment),
                        format_money(d.outside_plan_investment)
                    ),
                ) }
                <ul class="split-legend">
                    { legend_item("swatch planned", "“十四五”计划投资（2021-2025年）",
                        money_text(p.planned_investment, true)) }
                    { legend_item("swatch outside", "“十四五”期外",
                        html! { <span data-testid="project-outside">{ money_text(d.outside_plan_investment, true) }</span> }) }
                </ul>
            </div>
            <div class="split">
                <h3>{ "总投资按来源" }</h3>
                { split_bar(
                    &[
                        Part { value: d.government_investment.cents(), class: "seg gov" },
                        Part { value: social.cents(), class: "seg social" },
                    ],
                    format!(
                        "总投资 {} 万元：政府投资 {} 万元，社会投资 {} 万元（占比 {share}）",
                        format_money(p.total_investment),
                        format_money(d.government_investment),
                        format_money(social)
                    ),
                ) }
                <ul class="split-legend">
                    { legend_item("swatch gov", "政府投资",
                        html! { <span data-testid="project-government">{ money_text(d.government_investment, true) }</span> }) }
                    { legend_item("swatch social", "社会投资",
                        html! {
                            <span data-testid="project-social">
                                { match p.social_investment {
                                    Some(m) => money_text(m, true),
                                    None => html! { <span class="muted">{ "无" }</span> },
                                } }
                            </span>
                        }) }
                    { legend_item("swatch share", "社会投资占比",
                        html! { <span data-testid="project-share">{ share.clone() }</span> }) }
                </ul>
            </div>
        </div>
    }
}

/// The approved figures, and the way to the reports: for anyone logged in (owners of other
/// organisations are told no by the server), the audit trail for finance and admins.
fn progress(d: &ProjectDetail, role: Option<Role>) -> Html {
    let code = &d.item.code;
    let links = match role {
        None => html! {
            <p class="note">
                <a href={nav::login_href()}>{ "登录" }</a>
                { "后可查看月报；建设单位可填报本单位项目的月报。" }
            </p>
        },
        Some(role) => html! {
            <p class="links">
                <a class="button" href={AppRoute::reports(code).path()} data-testid="reports-link">
                    { if matches!(role, Role::Owner | Role::Admin) { "填报与查看月报" } else { "查看月报" } }
                </a>
                if matches!(role, Role::Finance | Role::Admin) {
                    <a class="button link" href={nav::href(&AppRoute::Audit, &[("entity", "project".into()), ("entity_id", code.clone())])}
                        data-testid="audit-link">
                        { "修改与审核记录" }
                    </a>
                }
            </p>
        },
    };
    html! {
        <>
            <h2>{ "建设进度（已审核）" }</h2>
            { approved_progress(d.item.approved.as_ref()) }
            { links }
        </>
    }
}

/// `plans`: the annual plans, the year planned against actual and the month's warnings.
fn view(d: &ProjectDetail, role: Option<Role>, plans: Html) -> Html {
    let p = &d.item;
    let owners = html! {
        <ul class="inline-list">
            { for p.owners.iter().map(|o| html! {
                <li>
                    <a href={nav::href(&AppRoute::Projects, &[("owner", o.name.clone())])}
                        title="查看该建设主体的全部项目">
                        { &o.name }
                    </a>
                </li>
            }) }
        </ul>
    };
    let district = html! {
        <>
            { match p.district {
                Some(dist) => html! {
                    <a href={nav::href(&AppRoute::Projects, &[("district", dist.key().to_string())])}>{ dist.label() }</a>
                },
                None => html! { <span class="muted">{ "未分配" }</span> },
            } }
            <div class="note" data-testid="district-basis">
                { d.district_basis.label() }
                if !d.district_note.is_empty() {
                    { "：" }{ &d.district_note }
                }
            </div>
        </>
    };
    let nature = html! {
        <>
            { &p.nature_published }
            if p.nature.label() != p.nature_published {
                <span class="muted">{ format!("（归类：{}）", p.nature.label()) }</span>
            }
        </>
    };
    let money = |m| money_text(m, true);
    let span = Span::covering([&p.start, &p.end]);
    let today = today_tenths(span);
    html! {
        <>
            <h1>
                <span class="code title-code">{ &p.code }</span>
                <span data-testid="project-name">{ &p.name }</span>
            </h1>
            if !d.findings.is_empty() {
                <div class="callout findings" role="note" data-testid="findings">
                    <p class="callout-title">{ "核对提示：本项目在原表核对中有以下发现" }</p>
                    <ul>
                        { for findings_first_own(&d.findings).into_iter().map(|f| html! {
                            <li data-testid="finding" data-kind={finding_kind_key(f.kind)}>
                                <strong>{ finding_kind(f.kind) }</strong>{ "：" }
                                <span class="pre">{ &f.message }</span>
                                if f.kind == FindingKind::CategorySubtotalMismatch {
                                    { " " }<a href={format!("{}#reconciliation", AppRoute::Budget.path())}>{ "查看对账" }</a>
                                }
                            </li>
                        }) }
                    </ul>
                </div>
            }
            <dl class="kpis compact">
                { figure("总投资", format_money(p.total_investment), "万元", "project-total", None) }
                { figure("“十四五”计划投资", format_money(p.planned_investment), "万元", "project-planned", None) }
                { figure("开工年份", p.start.label(), "", "project-start", Some(format!("原表：{}", p.start.published))) }
                { figure("竣工年份", p.end.label(), "", "project-end", Some(format!("原表：{}", p.end.published))) }
            </dl>

            { progress(d, role) }

            { plans }

            <h2>{ "工期" }</h2>
            <div class="gantt single" data-testid="project-schedule">
                <div class="gantt-row gantt-head">
                    <span></span>
                    { gantt_header(span, today) }
                </div>
                <div class="gantt-row">
                    <span class="gantt-label">{ format!("{} → {}", p.start.label(), p.end.label()) }</span>
                    { gantt_bar(span, today, GanttBar {
                        code: &p.code,
                        start: &p.start,
                        end: &p.end,
                        href: None,
                        label: format!("开工 {}，竣工 {}", p.start.published, p.end.published),
                    }) }
                </div>
            </div>
            <p class="note legend-line">
                <span class="swatch sure" aria-hidden="true"></span>{ "确定的年份 " }
                <span class="swatch fuzzy" aria-hidden="true"></span>{ "年份区间（约） " }
                <span class="swatch plan-window" aria-hidden="true"></span>{ "“十四五”期（2021-2025年） " }
                if today.is_some() {
                    <span class="swatch today" aria-hidden="true"></span>{ "今天" }
                }
            </p>

            <h2>{ "投资" }</h2>
            { budget(d) }

            <h2>{ "项目信息" }</h2>
            <dl class="fields" data-testid="project-fields">
                { field("编号", html! { <span class="code">{ &p.code }</span> }) }
                { field("类别", html! {
                    <a href={nav::href(&AppRoute::Projects, &[("category", p.category.key().to_string())])}>
                        { format!("{}（序号 {}）", d.category_label, p.serial) }
                    </a>
                }) }
                { field("县市区", district) }
                { field("建设性质", nature) }
                { field("建设主体", owners) }
                { field("开工年份", schedule(&p.start)) }
                { field("竣工年份", schedule(&p.end)) }
                { field("总投资", money(p.total_investment)) }
                { field("“十四五”计划投资", money(p.planned_investment)) }
                { field("“十四五”期外投资", money(d.outside_plan_investment)) }
                { field("社会投资占比", percent_text(p.social_share_pct)) }
                { field("社会投资", match p.social_investment {
                    Some(m) => money(m),
                    None => html! { <span class="muted">{ "—" }</span> },
                }) }
                { field("政府投资", money(d.government_investment)) }
                { field("备注", match &p.remarks {
                    Some(r) if !r.is_empty() => html! { <span class="pre">{ r }</span> },
                    _ => html! { <span class="muted">{ "无" }</span> },
                }) }
            </dl>

            <h2>{ "主要建设内容和规模" }</h2>
            <div class="pre content" data-testid="project-content">{ &d.content }</div>

            <h2>{ "原表数据与当前数据" }</h2>
            <p class="note">
                { "“原表数据”为规划附件1中该行各栏的原文，不会改变；“当前数据”为系统中的现值，规划编制人员修改后与原表不同的栏目会标出。" }
            </p>
            { published(d) }
        </>
    }
}

/// The row's own findings first, then the one it shares with its whole category.
fn findings_first_own(findings: &[Finding]) -> Vec<&Finding> {
    let shared = |f: &&Finding| f.kind == FindingKind::CategorySubtotalMismatch;
    let mut out: Vec<&Finding> = findings.iter().filter(|f| !shared(f)).collect();
    out.extend(findings.iter().filter(shared));
    out
}

fn finding_kind_key(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::CategorySubtotalMismatch => "category_subtotal_mismatch",
        FindingKind::TextContradictsAmount => "text_contradicts_amount",
        FindingKind::PlannedDiffersFromSchedule => "planned_differs_from_schedule",
        FindingKind::AnnualPlansDifferFromPlanned => "annual_plans_differ_from_planned",
    }
}

/// Each column as published next to its current value. Differences are marked only once
/// the project has been edited (version above 1): before that the two are the same data,
/// written two ways (`200` and `200.00`).
fn published(d: &ProjectDetail) -> Html {
    let r = &d.published;
    let p = &d.item;
    let owners: Vec<&str> = p.owners.iter().map(|o| o.name.as_str()).collect();
    let share = p
        .social_share_pct
        .map_or_else(String::new, |s| format!("{s}%"));
    let rows: [(&'static str, &String, Option<String>); 11] = [
        ("序号", &r.serial, Some(p.serial.to_string())),
        ("项目名称", &r.name, Some(p.name.clone())),
        ("建设性质", &r.nature, Some(p.nature_published.clone())),
        ("项目建设主体", &r.owner, Some(owners.join("、"))),
        ("主要建设内容和规模", &r.content, None),
        ("开工年份", &r.start_year, Some(p.start.published.clone())),
        ("竣工年份", &r.end_year, Some(p.end.published.clone())),
        (
            "总投资(万元)",
            &r.total_investment,
            Some(p.total_investment.to_string()),
        ),
        (
            "“十四五”计划投资(万元)",
            &r.planned_investment,
            Some(p.planned_investment.to_string()),
        ),
        ("社会投资占比(%)", &r.social_share, Some(share)),
        (
            "备注",
            &r.remarks,
            Some(p.remarks.clone().unwrap_or_default()),
        ),
    ];
    let edited = d.version > 1;
    html! {
        <div class="table-scroll">
            <table class="data published" data-testid="published-row">
                <thead>
                    <tr>
                        <th scope="col">{ "栏目" }</th>
                        <th scope="col">{ "原表数据" }</th>
                        <th scope="col">{ "当前数据" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for rows.iter().map(|(label, printed, current)| {
                        let changed = edited
                            && current.as_ref().is_some_and(|c| !same_value(printed, c));
                        html! {
                            <tr class={changed.then_some("changed")} data-changed={changed.then_some("true")}>
                                <th scope="row">{ *label }</th>
                                <td class="pre">{ printed.as_str() }</td>
                                <td class="pre">
                                    { match current {
                                        Some(c) => html! { c.as_str() },
                                        None => html! { <span class="muted">{ "同原表" }</span> },
                                    } }
                                    if changed {
                                        <span class="badge pending">{ "已修改" }</span>
                                    }
                                </td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </div>
    }
}

/// Whether a published cell and a current value say the same: amounts and shares compared
/// as numbers (`200` = `200.00`, `9.24%` = `9.24`), text after trimming.
fn same_value(printed: &str, current: &str) -> bool {
    let number = |s: &str| s.trim().trim_end_matches('%').parse::<Money>().ok();
    match (number(printed), number(current)) {
        (Some(a), Some(b)) => a == b,
        _ => printed.trim() == current.trim(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_and_current_values_compare_as_numbers_where_they_are() {
        assert!(same_value("200", "200.00"));
        assert!(same_value("9.24%", "9.24"));
        assert!(!same_value("200", "250.00"));
        assert!(same_value(" 新建 ", "新建"));
        assert!(!same_value("", "市本级项目"));
    }

    #[test]
    fn a_rows_own_findings_come_before_its_categorys() {
        let f = |kind| Finding {
            kind,
            message: String::new(),
        };
        let all = [
            f(FindingKind::CategorySubtotalMismatch),
            f(FindingKind::TextContradictsAmount),
            f(FindingKind::PlannedDiffersFromSchedule),
        ];
        let kinds: Vec<FindingKind> = findings_first_own(&all).iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            [
                FindingKind::TextContradictsAmount,
                FindingKind::PlannedDiffersFromSchedule,
                FindingKind::CategorySubtotalMismatch
            ]
        );
    }
}
