//! One project: every field the API gives, the text exactly as published (line breaks kept),
//! and the reconciliation findings.

use keyproj_shared::{ProjectDetail, PublishedRow, ScheduleDate};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::error_box::ErrorBox;
use crate::components::loading::Loading;
use crate::components::money::{MoneyText, PercentText};
use crate::hooks::{ApiState, use_api};
use crate::services;

#[derive(Properties, PartialEq)]
pub struct ProjectPageProps {
    pub code: String,
}

#[component]
pub fn ProjectPage(props: &ProjectPageProps) -> Html {
    let api = use_api(props.code.clone(), |code| async move {
        services::get_project(&code).await
    });
    let body = match &api.state {
        ApiState::Loading => html! { <Loading /> },
        ApiState::Failed(error) => html! {
            <ErrorBox error={error.clone()} on_retry={api.retry.clone()}>
                <Link<Route> to={Route::Projects} classes="button">{ "返回项目列表" }</Link<Route>>
            </ErrorBox>
        },
        ApiState::Ready(detail) => view(detail),
    };
    html! {
        <section class="page project" data-testid="project-page">
            <nav class="breadcrumb" aria-label="位置">
                <Link<Route> to={Route::Projects}>{ "项目" }</Link<Route>>
                <span aria-hidden="true">{ " › " }</span>
                <span aria-current="page">{ &props.code }</span>
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
            <span title={d.approximate.then_some("原表为年份区间")}>{ d.label() }</span>
            if d.label() != d.published {
                <span class="muted">{ format!("（原表：{}）", d.published) }</span>
            }
        </>
    }
}

fn view(d: &ProjectDetail) -> Html {
    let p = &d.item;
    let owners = html! {
        <ul class="inline-list">
            { for p.owners.iter().map(|o| html! {
                <li>
                    <Link<Route, Vec<(&'static str, String)>>
                        to={Route::Projects}
                        query={Some(vec![("owner", o.name.clone())])}>
                        { &o.name }
                    </Link<Route, Vec<(&'static str, String)>>>
                </li>
            }) }
        </ul>
    };
    let district = html! {
        <>
            { match p.district {
                Some(dist) => html! { { dist.label() } },
                None => html! { <span class="muted">{ "未分配" }</span> },
            } }
            <span class="muted">{ format!("（{}）", d.district_basis.label()) }</span>
            if !d.district_note.is_empty() {
                <div class="note">{ &d.district_note }</div>
            }
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
    let money = |m| html! { <MoneyText value={m} /> };
    let social = match p.social_investment {
        Some(m) => money(m),
        None => html! { <span class="muted">{ "—" }</span> },
    };
    html! {
        <>
            <h1 data-testid="project-name">{ &p.name }</h1>
            <dl class="fields" data-testid="project-fields">
                { field("编号", html! { <span class="code">{ &p.code }</span> }) }
                { field("类别", html! { { format!("{}（序号 {}）", d.category_label, p.serial) } }) }
                { field("县市区", district) }
                { field("建设性质", nature) }
                { field("建设主体", owners) }
                { field("开工年份", schedule(&p.start)) }
                { field("竣工年份", schedule(&p.end)) }
                { field("总投资", money(p.total_investment)) }
                { field("“十四五”计划投资", money(p.planned_investment)) }
                { field("“十四五”期外投资", money(d.outside_plan_investment)) }
                { field("社会投资占比", html! { <PercentText value={p.social_share_pct} /> }) }
                { field("社会投资", social) }
                { field("政府投资", money(d.government_investment)) }
                { field("备注", match &p.remarks {
                    Some(r) if !r.is_empty() => html! { <span class="pre">{ r }</span> },
                    _ => html! { <span class="muted">{ "无" }</span> },
                }) }
            </dl>

            <h2>{ "主要建设内容和规模" }</h2>
            <div class="pre content" data-testid="project-content">{ &d.content }</div>

            <h2>{ "核对发现" }</h2>
            if d.findings.is_empty() {
                <p class="muted" data-testid="findings-none">{ "无" }</p>
            } else {
                <ul class="findings" data-testid="findings">
                    { for d.findings.iter().map(|f| html! {
                        <li class="pre">{ &f.message }</li>
                    }) }
                </ul>
            }

            <h2>{ "原表记录" }</h2>
            <p class="note">{ "以下为规划附件1中该行各栏的原文。" }</p>
            { published(&d.published) }
        </>
    }
}

fn published(r: &PublishedRow) -> Html {
    let rows: [(&'static str, &String); 11] = [
        ("序号", &r.serial),
        ("项目名称", &r.name),
        ("建设性质", &r.nature),
        ("建设主体", &r.owner),
        ("主要建设内容和规模", &r.content),
        ("开工年份", &r.start_year),
        ("竣工年份", &r.end_year),
        ("总投资(万元)", &r.total_investment),
        ("“十四五”计划投资(万元)", &r.planned_investment),
        ("社会投资占比(%)", &r.social_share),
        ("备注", &r.remarks),
    ];
    html! {
        <div class="table-scroll">
            <table class="data published" data-testid="published-row">
                <tbody>
                    { for rows.iter().map(|(label, value)| html! {
                        <tr>
                            <th scope="row">{ *label }</th>
                            <td class="pre">{ value.as_str() }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}
