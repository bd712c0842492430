//! 总览: the headline totals of all 87 projects, and their split by category. Charts come
//! with a later issue.

use keyproj_shared::{GroupBy, ProjectFilter, Summary, SummaryQuery};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::error_box::ErrorBox;
use crate::components::loading::Loading;
use crate::components::money::{MoneyText, PercentText};
use crate::components::totals_bar::TotalsBar;
use crate::hooks::{ApiState, use_api};
use crate::services;

#[component]
pub fn OverviewPage() -> Html {
    let api = use_api(GroupBy::Category, |group_by| async move {
        services::summary(&SummaryQuery {
            filter: ProjectFilter::default(),
            group_by,
        })
        .await
    });
    let body = match &api.state {
        ApiState::Loading => html! { <Loading /> },
        ApiState::Failed(error) => html! {
            <ErrorBox error={error.clone()} on_retry={api.retry.clone()} />
        },
        ApiState::Ready(summary) => by_category(summary),
    };
    html! {
        <section class="page">
            <h1>{ "总览" }</h1>
            <p class="lead">
                { "湘潭市“十四五”民政事业发展规划确定的重点建设项目，按类别汇总。" }
            </p>
            { body }
        </section>
    }
}

fn by_category(summary: &Summary) -> Html {
    html! {
        <>
            <TotalsBar totals={summary.total.clone()} caption="全部项目合计" />
            <h2>{ "按类别" }</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-label="按类别汇总">
                <table class="data" data-testid="summary-table">
                    <thead>
                        <tr>
                            <th scope="col">{ "类别" }</th>
                            <th scope="col" class="num">{ "项目数" }</th>
                            <th scope="col" class="num">{ "总投资（万元）" }</th>
                            <th scope="col" class="num">{ "“十四五”计划投资（万元）" }</th>
                            <th scope="col" class="num">{ "社会投资（万元）" }</th>
                            <th scope="col" class="num">{ "社会投资占比" }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for summary.groups.iter().map(|g| html! {
                            <tr data-testid="summary-row" data-key={g.key.clone()}>
                                <th scope="row">
                                    <Link<Route, Vec<(&'static str, String)>>
                                        to={Route::Projects}
                                        query={Some(vec![("category", g.key.clone())])}>
                                        { &g.label }
                                    </Link<Route, Vec<(&'static str, String)>>>
                                </th>
                                <td class="num">{ g.count }</td>
                                <td class="num"><MoneyText value={g.total_investment} unit={false} /></td>
                                <td class="num"><MoneyText value={g.planned_investment} unit={false} /></td>
                                <td class="num"><MoneyText value={g.social_investment} unit={false} /></td>
                                <td class="num"><PercentText value={g.social_share_pct} /></td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <p class="note">{ "图表与分区统计将在后续版本提供。" }</p>
        </>
    }
}
