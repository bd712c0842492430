//! 审核: the reports waiting for review, oldest first, each approved or returned with a
//! reason; and, one tab away, the reports already decided. Only a `submitted` report can be
//! reviewed, and never by the person who submitted it.

use std::rc::Rc;

use keyproj_shared::{
    AppRoute, FieldError, Report, ReportPage, ReportQuery, ReportState, ReturnRequest,
    ReviewContext,
};
use yew::prelude::*;

use crate::components::empty::empty;
use crate::components::error_box::error_box;
use crate::components::form::{Input, input};
use crate::components::gate::gate;
use crate::components::loading::{loading, results_box};
use crate::components::pager::pager;
use crate::components::report_history::{report_columns, report_row, reviewer, state_badge};
use crate::components::review_context::review_context;
use crate::components::table::data_table;
use crate::hooks::{Auth, Fetched, Store, answer, set_title, use_api, use_store};
use crate::services::query_string::parse_pairs;
use crate::services::{self, ApiError, nav};

const PER_PAGE: u32 = 50;

/// `/review?state=…&page=…`, for finance and admins.
pub fn review_page(search: &AttrValue, auth: &Auth) -> Html {
    set_title("审核");
    let body = match gate(auth, AppRoute::Review.roles()) {
        Ok(user) => html! { <ReviewQueue search={search.clone()} me={user.id} /> },
        Err(instead) => instead,
    };
    html! {
        <section class="page review" data-testid="review-page">
            <h1>{ "月报审核" }</h1>
            <p class="lead">
                { "核对建设单位报送的月报：通过后其数据计入项目进度与统计；退回须说明原因，由建设单位更正后重新报送。" }
            </p>
            { body }
        </section>
    }
}

/// The tab (`state`: absent is 待审核, `all` is every state) and the page.
fn query_of(search: &str) -> ReportQuery {
    let mut q = ReportQuery {
        state: Some(ReportState::Submitted),
        project: None,
        page: 1,
        per_page: PER_PAGE,
    };
    for (k, v) in parse_pairs(search) {
        match k.as_str() {
            "state" if v == "all" => q.state = None,
            "state" => q.state = v.parse().ok().or(q.state),
            "page" => q.page = v.parse().ok().filter(|p| *p > 0).unwrap_or(1),
            _ => {}
        }
    }
    q
}

fn tab_key(state: Option<ReportState>) -> &'static str {
    state.map_or("all", ReportState::key)
}

fn href_of(state: Option<ReportState>, page: u32) -> String {
    let mut pairs = Vec::new();
    if state != Some(ReportState::Submitted) {
        pairs.push(("state", tab_key(state).to_string()));
    }
    if page > 1 {
        pairs.push(("page", page.to_string()));
    }
    nav::href(&AppRoute::Review, &pairs)
}

/// What a failed review means for the reviewer.
fn review_failure(e: &ApiError) -> String {
    match e.status() {
        Some(409) => "该月报已不在待审核状态（可能已由他人审核或已被更正），列表已刷新。".into(),
        Some(412) => "该月报在您打开后已有变动，列表已刷新，请重新核对后再审核。".into(),
        _ => e.to_string(),
    }
}

/// (report id, its ETag, the return reason or `None` to approve).
type Decide = Callback<(i64, String, Option<String>)>;

#[derive(Properties, PartialEq)]
struct ReviewQueueProps {
    search: AttrValue,
    /// The reviewer: their own reports are not theirs to review.
    me: i64,
}

#[component]
fn ReviewQueue(props: &ReviewQueueProps) -> Html {
    let api = use_api(props.search.clone(), |search| {
        Box::pin(async move { answer(services::report_queue(&query_of(&search)).await) })
    });
    let query = query_of(&props.search);
    let store = use_store(Review::default);
    // An opened return form takes the focus: the reason is what is asked next.
    let returning = store.get().returning;
    use_effect_with(returning, |open| {
        if open.is_some()
            && let Some(e) = gloo::utils::document().get_element_by_id("return-reason")
            && let Ok(e) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e)
        {
            let _ = e.focus();
        }
    });

    let decide: Decide = {
        let (store, retry) = (store.clone(), api.retry.clone());
        Callback::from(move |(id, etag, reason): (i64, String, Option<String>)| {
            store.update(|s| {
                s.busy = Some(id);
                s.message = None;
            });
            let (store, retry) = (store.clone(), retry.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = services::review_report(id, &etag, reason.as_deref()).await;
                store.update(|s| {
                    s.busy = None;
                    s.message = Some(match result {
                        Ok(r) => {
                            s.returning = None;
                            let what = if r.state == ReportState::Approved {
                                "已通过"
                            } else {
                                "已退回"
                            };
                            (
                                true,
                                format!(
                                    "{what}：{} {} {} 月报。",
                                    r.project_code, r.project_name, r.period
                                ),
                            )
                        }
                        Err(e) => (false, review_failure(&e)),
                    });
                });
                retry.emit(());
            });
        })
    };

    let tabs = [
        (Some(ReportState::Submitted), "待审核"),
        (Some(ReportState::Approved), "已通过"),
        (Some(ReportState::Returned), "已退回"),
        (Some(ReportState::Superseded), "已被更正"),
        (None, "全部"),
    ];
    let tabs = html! {
        <nav class="segmented tabs" aria-label="审核状态">
            { for tabs.iter().map(|(state, label)| {
                let here = *state == query.state;
                html! {
                    <a href={href_of(*state, 1)} class={if here { "button current" } else { "button" }}
                        aria-current={here.then_some("page")} data-testid={format!("tab-{}", tab_key(*state))}>
                        { *label }
                    </a>
                }
            }) }
        </nav>
    };
    let st = store.get();
    let notice = st.message.as_ref().map(|(ok, text)| {
        html! {
            <p class={if *ok { "form-alert ok" } else { "form-alert error" }} role="status"
                data-testid="review-message">
                { text.clone() }
            </p>
        }
    });

    let (fetched, updating) = api.get_keeping::<ReportPage>();
    let body = match fetched {
        Fetched::Loading => loading(),
        Fetched::Failed(e) => error_box(e, &api.retry, Html::default()),
        Fetched::Ready(page) if page.items.is_empty() => {
            let words = if query.state == Some(ReportState::Submitted) {
                "没有待审核的月报"
            } else {
                "没有符合条件的月报"
            };
            empty(words, Html::default())
        }
        Fetched::Ready(page) => {
            let state = query.state;
            let on_page = Callback::from(move |p: u32| nav::push(&href_of(state, p)));
            let ctx = RowCtx {
                me: props.me,
                state: &st,
                store: &store,
                decide: &decide,
            };
            html! {
                <>
                    { data_table("月报", "review-table", "review-table", &report_columns("项目", "审核"),
                        page.items.iter().map(|r| {
                            let context = page.contexts.iter().find(|c| c.report_id == r.id);
                            row(r, context, &ctx)
                        }).collect()) }
                    { pager(page.page, page.per_page, page.total, &on_page) }
                </>
            }
        }
    };
    html! {
        <>
            { tabs }
            { for notice }
            { results_box(updating, body) }
        </>
    }
}

/// The page's own state besides the queue.
#[derive(Default)]
struct Review {
    /// The report whose return form is open, the reason typed, and what is wrong with it.
    returning: Option<i64>,
    reason: String,
    reason_error: Vec<FieldError>,
    /// The report being approved or returned.
    busy: Option<i64>,
    /// What the last decision came to: (succeeded, words).
    message: Option<(bool, String)>,
}

/// What every row needs: who reviews, the page's state, and the way to decide.
struct RowCtx<'a> {
    me: i64,
    state: &'a Review,
    store: &'a Store<Review>,
    decide: &'a Decide,
}

/// A report's row, the 审核 context under it while it waits for review, and its return form
/// when open.
fn row(r: &Report, context: Option<&ReviewContext>, c: &RowCtx<'_>) -> Html {
    let r = Rc::new(r.clone());
    let busy = c.state.busy == Some(r.id);
    let actions = if r.state != ReportState::Submitted {
        html! { <>{ state_badge(r.state) }{ " " }{ reviewer(&r) }</> }
    } else if r.submitted_by.id == c.me {
        html! {
            <>
                { state_badge(r.state) }
                <p class="note" data-testid="own-report">{ "本人提交，须由他人审核" }</p>
            </>
        }
    } else {
        let approve = {
            let (decide, r) = (c.decide.clone(), Rc::clone(&r));
            Callback::from(move |_: MouseEvent| decide.emit((r.id, r.etag.clone(), None)))
        };
        let open = {
            let (store, id) = (c.store.clone(), r.id);
            Callback::from(move |_: MouseEvent| {
                store.update(|s| {
                    s.reason.clear();
                    s.reason_error.clear();
                    s.returning = Some(id);
                });
            })
        };
        html! {
            <div class="row-actions">
                <button type="button" class="button primary" data-testid="approve" disabled={busy}
                    onclick={approve} aria-label={format!("通过 {} {} 月报", r.project_code, r.period)}>
                    { "通过" }
                </button>
                <button type="button" class="button" data-testid="return" disabled={busy}
                    onclick={open} aria-label={format!("退回 {} {} 月报", r.project_code, r.period)}>
                    { "退回" }
                </button>
            </div>
        }
    };
    let project = html! {
        <a href={AppRoute::reports(&r.project_code).path()} class="name">
            <span class="code">{ &r.project_code }</span>{ " " }{ &r.project_name }
        </a>
    };
    let return_form = (c.state.returning == Some(r.id)).then(|| {
        let on_field = {
            let store = c.store.clone();
            Callback::from(move |v: String| {
                store.update(|s| {
                    s.reason = v;
                    s.reason_error.clear();
                });
            })
        };
        let onsubmit = {
            let (decide, store, r) = (c.decide.clone(), c.store.clone(), Rc::clone(&r));
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                let reason = store.get().reason.trim().to_string();
                let problems = ReturnRequest {
                    reason: reason.clone(),
                }
                .validate();
                if problems.is_empty() {
                    decide.emit((r.id, r.etag.clone(), Some(reason)));
                } else {
                    store.update(|s| s.reason_error = problems);
                }
            })
        };
        let cancel = {
            let store = c.store.clone();
            Callback::from(move |_: MouseEvent| store.update(|s| s.returning = None))
        };
        html! {
            <tr class="return-row">
                <td colspan="10">
                    <form class="form return-form" novalidate=true {onsubmit} data-testid="return-form">
                        { input(Input {
                            id: "return-reason", field: "reason",
                            label: "退回原因（建设单位将看到）", value: &c.state.reason,
                            kind: "textarea", required: true, ..Input::default()
                        }, &c.state.reason_error, &on_field) }
                        <div class="form-actions">
                            <button type="submit" class="button primary" disabled={busy}
                                data-testid="return-confirm">{ "确认退回" }</button>
                            <button type="button" class="button" onclick={cancel}>{ "取消" }</button>
                        </div>
                    </form>
                </td>
            </tr>
        }
    });
    let context = context.map(|ctx| {
        html! {
            <tr class="context-row">
                <td colspan="10">{ review_context(&r, ctx) }</td>
            </tr>
        }
    });
    html! {
        <>
            { report_row(&r, "review-row", project, actions) }
            { for context }
            { for return_form }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_opens_on_what_waits_for_review() {
        assert_eq!(query_of("").state, Some(ReportState::Submitted));
        assert_eq!(query_of("state=all").state, None);
        assert_eq!(query_of("state=approved&page=3").page, 3);
        assert_eq!(
            query_of("state=nonsense&page=0").state,
            Some(ReportState::Submitted)
        );
        assert_eq!(href_of(Some(ReportState::Submitted), 1), "/review");
        assert_eq!(href_of(None, 2), "/review?state=all&page=2");
    }
}
