//! 报送情况: a month's reports per owner organisation (on time, late, not reported, with the
//! deadline), and the organisations ranked by on-time rate; each with its downloads. The
//! month and the ranking's window live in the address bar (`period`, `months`, `until`).

use keyproj_shared::{
    AppRoute, Ranking, RankingQuery, Timeliness, TimelinessCounts, TimelinessMonth, TimelinessQuery,
};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::empty::empty;
use crate::components::error_box::error_box;
use crate::components::gate::gate;
use crate::components::loading::loading;
use crate::components::money::percent_text;
use crate::components::select::Select;
use crate::components::table::{Col, data_table};
use crate::hooks::{Auth, Fetched, answer, set_title, use_api};
use crate::services::query_string::{encode_pairs, parse_pairs};
use crate::services::{self, nav};
use crate::util::local_time;

/// `/timeliness?period=…&months=…&until=…`, for every signed-in role (owners see their own
/// organisation in the month view).
pub fn timeliness_page(search: &AttrValue, auth: &Auth) -> Html {
    set_title("报送情况");
    let body = match gate(auth, AppRoute::Timeliness.roles()) {
        Ok(_) => html! { <TimelinessView search={search.clone()} /> },
        Err(instead) => instead,
    };
    html! {
        <section class="page timeliness" data-testid="timeliness-page">
            <h1>{ "报送情况" }</h1>
            <p class="lead">{ "每月月报须于次月5日24时（北京时间）前报送。以当月第一份未被退回的报告的提交时间为准：之后的更正不影响按时；被退回的报告不算已报，以重新提交的时间为准。" }</p>
            { body }
        </section>
    }
}

/// The pairs of `search` whose keys are in `keys`.
fn only(search: &str, keys: &[&str]) -> Vec<(String, String)> {
    parse_pairs(search)
        .into_iter()
        .filter(|(k, _)| keys.contains(&k.as_str()))
        .collect()
}

fn month_query(search: &str) -> TimelinessQuery {
    TimelinessQuery::from_pairs(&only(search, &["period"])).unwrap_or_default()
}

fn ranking_query(search: &str) -> RankingQuery {
    RankingQuery::from_pairs(&only(search, &["months", "until"])).unwrap_or_default()
}

#[derive(Properties, PartialEq)]
struct ViewProps {
    search: AttrValue,
}

#[component]
fn TimelinessView(props: &ViewProps) -> Html {
    let month_q = month_query(&props.search);
    let ranking_q = ranking_query(&props.search);
    let month_api = use_api(AttrValue::from(encode_pairs(&month_q.to_pairs())), |key| {
        Box::pin(async move {
            let q = TimelinessQuery::from_pairs(&parse_pairs(&key)).unwrap_or_default();
            answer(services::timeliness_month(&q).await)
        })
    });
    let ranking_api = use_api(
        AttrValue::from(encode_pairs(&ranking_q.to_pairs())),
        |key| {
            Box::pin(async move {
                let q = RankingQuery::from_pairs(&parse_pairs(&key)).unwrap_or_default();
                answer(services::timeliness_ranking(&q).await)
            })
        },
    );
    let on_month = {
        let ranking_q = ranking_q.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            let mut pairs = ranking_q.to_pairs();
            if !value.is_empty() {
                pairs.insert(0, ("period", value));
            }
            nav::push_query(&AppRoute::Timeliness, &pairs);
        })
    };
    let month = match month_api.get::<TimelinessMonth>() {
        Fetched::Loading => loading(),
        Fetched::Failed(e) => error_box(e, &month_api.retry, Html::default()),
        Fetched::Ready(m) => month_view(m, &on_month),
    };
    let on_months = {
        let (month_q, ranking_q) = (month_q.clone(), ranking_q.clone());
        Callback::from(move |value: String| {
            let mut q = ranking_q.clone();
            q.months = value.parse().unwrap_or(q.months);
            let mut pairs = month_q.to_pairs();
            pairs.extend(q.to_pairs());
            nav::push_query(&AppRoute::Timeliness, &pairs);
        })
    };
    let ranking = match ranking_api.get::<Ranking>() {
        Fetched::Loading => loading(),
        Fetched::Failed(e) => error_box(e, &ranking_api.retry, Html::default()),
        Fetched::Ready(r) => ranking_view(r, &ranking_q, &on_months),
    };
    html! {
        <>
            { month }
            <h2>{ "按时报送率排名" }</h2>
            { ranking }
        </>
    }
}

fn badge(t: Timeliness) -> Html {
    let class = match t {
        Timeliness::OnTime => "badge ok",
        Timeliness::Late => "badge pending",
        Timeliness::NotReported => "badge bad",
        Timeliness::Due => "badge muted",
    };
    html! { <span {class} data-timeliness={t.key()}>{ t.label() }</span> }
}

fn counts_text(c: &TimelinessCounts) -> String {
    format!(
        "{} 个项目：按时报送 {}，逾期报送 {}，未报送 {}，待报送 {}",
        c.projects, c.on_time, c.late, c.not_reported, c.due
    )
}

const MONTH_COLUMNS: &[Col] = &[
    ("建设单位", false),
    ("编号", false),
    ("项目名称", false),
    ("报送情况", false),
    ("报送时间", false),
];

fn month_view(m: &TimelinessMonth, on_month: &Callback<Event>) -> Html {
    let q = TimelinessQuery {
        period: m.period.parse().ok(),
    };
    let rows: Html = m
        .organisations
        .iter()
        .flat_map(|o| o.projects.iter().map(move |p| (o, p)))
        .map(|(o, p)| {
            html! {
                <tr data-testid="timeliness-row" data-code={p.code.clone()} data-status={p.status.key()}>
                    <td>{ &o.name }</td>
                    <td class="code nowrap">{ &p.code }</td>
                    <td class="name"><a href={AppRoute::project(&p.code).path()}>{ &p.name }</a></td>
                    <td>{ badge(p.status) }</td>
                    <td class="nowrap">{ p.submitted_at.as_deref().map(local_time).unwrap_or_default() }</td>
                </tr>
            }
        })
        .collect();
    html! {
        <>
            <div class="toolbar">
                <div class="field">
                    <label for="timeliness-period">{ "月份" }</label>
                    <input id="timeliness-period" type="month" value={m.period.clone()} onchange={on_month.clone()} />
                </div>
                <div class="exports" role="group" aria-label="导出报送情况">
                    <a class="button" download="" href={services::timeliness_export_url("csv", &q)}>{ "导出 CSV" }</a>
                    <a class="button" download="" href={services::timeliness_export_url("xlsx", &q)}>{ "导出 Excel" }</a>
                </div>
            </div>
            <p data-testid="timeliness-deadline">
                { format!("{} 月报截止时间：{}", m.period, m.deadline_label) }
                { if m.over { "（已过截止时间）" } else { "（尚未到截止时间，未报的为“待报送”）" } }
            </p>
            <p class="note" data-testid="timeliness-totals">{ counts_text(&m.totals) }</p>
            if m.organisations.is_empty() {
                { empty("没有需要报送的项目", Html::default()) }
            } else {
                { data_table("各单位报送情况", "timeliness", "timeliness-table", MONTH_COLUMNS, rows) }
            }
        </>
    }
}

const RANKING_COLUMNS: &[Col] = &[
    ("名次", true),
    ("建设单位", false),
    ("项目数", true),
    ("应报", true),
    ("按时报送", true),
    ("逾期报送", true),
    ("未报送", true),
    ("按时报送率", true),
];

/// The windows offered; any other `months` (1-60) still works from the address bar.
const WINDOWS: [u32; 4] = [3, 6, 12, 24];

fn ranking_view(r: &Ranking, q: &RankingQuery, on_months: &Callback<String>) -> Html {
    let mut windows = WINDOWS.to_vec();
    if !windows.contains(&q.months) {
        windows.push(q.months);
    }
    let choices = windows
        .iter()
        .map(|n| {
            (
                AttrValue::from(n.to_string()),
                AttrValue::from(format!("近{n}个月")),
            )
        })
        .collect::<Vec<_>>();
    let rows: Html = r
        .items
        .iter()
        .map(|e| {
            html! {
                <tr data-testid="ranking-row">
                    <td class="num">{ e.rank }</td>
                    <td>{ &e.name }</td>
                    <td class="num">{ e.projects }</td>
                    <td class="num">{ e.expected }</td>
                    <td class="num">{ e.on_time }</td>
                    <td class="num">{ e.late }</td>
                    <td class="num">{ e.not_reported }</td>
                    <td class="num">{ percent_text(e.on_time_rate_pct) }</td>
                </tr>
            }
        })
        .collect();
    html! {
        <>
            <div class="toolbar">
                <Select id="ranking-months" name="months" label="统计期"
                    value={AttrValue::from(q.months.to_string())} {choices} on_change={on_months.clone()} />
                <p class="note">
                    { format!("{} 至 {}，计入已过截止时间的 {} 个月。{}。", r.from, r.until, r.months_over.len(), r.tie_rule) }
                </p>
                <div class="exports" role="group" aria-label="导出排名">
                    <a class="button" download="" href={services::ranking_export_url("csv", q)}>{ "导出 CSV" }</a>
                    <a class="button" download="" href={services::ranking_export_url("xlsx", q)}>{ "导出 Excel" }</a>
                </div>
            </div>
            { data_table("按时报送率排名", "ranking", "ranking-table", RANKING_COLUMNS, rows) }
        </>
    }
}
