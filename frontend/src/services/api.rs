//! One function per endpoint. Every answer goes through [`send`] (not generic, so the
//! request code exists once) and then [`decode`], which turns a non-2xx answer into an
//! [`ApiError`] carrying the server's `application/problem+json` body.

use std::cell::RefCell;
use std::rc::Rc;

use keyproj_shared::address;
use keyproj_shared::{
    Budget, ExportQuery, Health, ListQuery, OwnerNames, Pivot, Problem, ProjectDetail,
    ProjectFilter, ProjectItem, ProjectPage, Reconciliation, Summary, SummaryQuery, WarningPage,
    WarningQuery, WarningSummary,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::error::ApiError;
use super::query_string::encode_pairs;
use super::read::{self, FromJson};

/// `GET /api/projects?…`: one page of the filtered, sorted list, with the totals of the
/// whole filtered set.
pub async fn list_projects(query: &ListQuery) -> Result<ProjectPage, ApiError> {
    decode(&fetch_text(&address::projects(query)).await?)
}

/// Every project of the filtered set, in code order: the pages of 100 one after another.
pub async fn all_projects(filter: &ProjectFilter) -> Result<Vec<ProjectItem>, ApiError> {
    let mut query = address::all_projects_first(filter);
    let mut items = Vec::new();
    loop {
        let page = list_projects(&query).await?;
        let got = page.items.len();
        items.extend(page.items);
        if got == 0 || items.len() as u64 >= page.total {
            return Ok(items);
        }
        query.page += 1;
    }
}

thread_local! {
    /// The organisation names, asked for once per visit: they only change with the data.
    static OWNERS: RefCell<Option<Rc<Vec<String>>>> = const { RefCell::new(None) };
}

/// `GET /api/owners`: every 建设主体 name that owns a project, sorted, each once: the choices
/// of the owner filter. One small request, whatever the number of projects.
pub async fn owners() -> Result<Rc<Vec<String>>, ApiError> {
    if let Some(cached) = OWNERS.with(|o| o.borrow().clone()) {
        return Ok(cached);
    }
    let answer: OwnerNames = decode(&fetch_text(&address::owners()).await?)?;
    let names = Rc::new(answer.names);
    OWNERS.with(|o| *o.borrow_mut() = Some(Rc::clone(&names)));
    Ok(names)
}

/// `GET /api/projects/{code}`.
pub async fn get_project(code: &str) -> Result<ProjectDetail, ApiError> {
    decode(&fetch_text(&address::project(code)).await?)
}

/// `GET /api/summary?group_by=…&…`.
pub async fn summary(query: &SummaryQuery) -> Result<Summary, ApiError> {
    decode(&fetch_text(&address::summary(query)).await?)
}

/// `GET /api/pivot?…`: 县市区 × 类别 of the filtered set.
pub async fn pivot(filter: &ProjectFilter) -> Result<Pivot, ApiError> {
    decode(&fetch_text(&address::pivot(filter)).await?)
}

/// `GET /api/warnings?period=…&…`: a month's warnings, filtered and paged.
pub async fn warnings(query: &WarningQuery) -> Result<WarningPage, ApiError> {
    decode(&fetch_text(&address::warnings(query)).await?)
}

/// `GET /api/warnings/summary?period=…&…`: the month's colours by district and category.
pub async fn warning_summary(query: &WarningQuery) -> Result<WarningSummary, ApiError> {
    decode(&fetch_text(&address::warning_summary(query)).await?)
}

/// `GET /api/budget?year=`: the year's plans against 本年完成投资.
pub async fn budget(year: i32) -> Result<Budget, ApiError> {
    decode(&fetch_text(&address::budget(year)).await?)
}

/// What the server's HTML said about the data (`address::SAMPLE_META`): `Some(true)` for the
/// `--demo` sample, `None` when the page came without the marker (then ask [`health`]).
pub fn sample_from_page() -> Option<bool> {
    let selector = format!("meta[name=\"{}\"]", address::SAMPLE_META);
    let meta = gloo::utils::document().query_selector(&selector).ok()??;
    match meta.get_attribute("content")?.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// `GET /healthz` (beside the API, not under it): whether the data is the `--demo` sample.
pub async fn health() -> Result<Health, ApiError> {
    decode(&fetch_text(address::HEALTH).await?)
}

/// `GET /api/reconciliation`: the published subtotals next to the sums of the rows.
pub async fn reconciliation() -> Result<Reconciliation, ApiError> {
    decode(&fetch_text(&address::reconciliation()).await?)
}

/// The download formats of the filtered list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
    /// An OC4IDS project package (open data, docs/oc4ids.md).
    Oc4ids,
}

/// `/api/export/projects.csv?…` (or `.xlsx`): the filtered set, sorted as on screen, every
/// page. A plain link: the browser downloads it.
pub fn export_url(format: ExportFormat, query: &ListQuery) -> String {
    let pairs = match format {
        // the list's own exports hold what the list holds: `warning`, `period`, `sort=gap`
        ExportFormat::Csv | ExportFormat::Xlsx => query.export_pairs(),
        ExportFormat::Oc4ids => ExportQuery::from(query).to_pairs(),
    };
    let file = match format {
        ExportFormat::Csv => "/export/projects.csv",
        ExportFormat::Xlsx => "/export/projects.xlsx",
        ExportFormat::Oc4ids => "/export/oc4ids.json",
    };
    url(file, &encode_pairs(&pairs))
}

pub(super) use keyproj_shared::address::{api_url as url, encode_path_segment};

/// The body of a 2xx answer to a GET, or the error a non-2xx answer (or no answer) stands for.
pub(super) async fn fetch_text(url: &str) -> Result<String, ApiError> {
    send("GET", url, None, &[]).await
}

thread_local! {
    /// Told when an answer says the session is gone (401 from anything but the login).
    static ON_UNAUTHORIZED: RefCell<Option<yew::Callback<()>>> = const { RefCell::new(None) };
}

/// `f` is called whenever the server answers 401 to a request other than the session's
/// own: the session ended (logout elsewhere, idle timeout, disabled account).
pub fn on_unauthorized(f: yew::Callback<()>) {
    ON_UNAUTHORIZED.with(|c| *c.borrow_mut() = Some(f));
}

/// Sends a request and answers the body of a 2xx answer. Calls `fetch` directly (a request
/// builder crate adds weight for what is one function), and exists once, not generic.
/// Writes carry `X-Requested-With` (the server's CSRF check) and a JSON body.
pub(super) async fn send(
    method: &str,
    url: &str,
    body: Option<&str>,
    extra: &[(&str, &str)],
) -> Result<String, ApiError> {
    let body = body.map(|b| (wasm_bindgen::JsValue::from_str(b), Some("application/json")));
    send_body(method, url, body, extra).await
}

/// `send` with any body the browser can send: JSON text with its type, or a `FormData`
/// (no type given: the browser writes `multipart/form-data` with its boundary).
pub(super) async fn send_body(
    method: &str,
    url: &str,
    body: Option<(wasm_bindgen::JsValue, Option<&str>)>,
    extra: &[(&str, &str)],
) -> Result<String, ApiError> {
    let network = |_| ApiError::Network(format!("{method} {url}"));
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().map_err(network)?;
    headers
        .set("Accept", "application/json, application/problem+json")
        .map_err(network)?;
    if method != "GET" {
        headers
            .set("X-Requested-With", "keyproj")
            .map_err(network)?;
    }
    if let Some((body, content_type)) = body {
        if let Some(t) = content_type {
            headers.set("Content-Type", t).map_err(network)?;
        }
        init.set_body(&body);
    }
    for (name, value) in extra {
        headers.set(name, value).map_err(network)?;
    }
    init.set_headers(&headers);
    let promise = gloo::utils::window().fetch_with_str_and_init(url, &init);
    let response: web_sys::Response = JsFuture::from(promise)
        .await
        .map_err(network)?
        .unchecked_into();
    let text = match response.text() {
        Ok(p) => JsFuture::from(p).await.map_err(network)?.as_string(),
        Err(_) => None,
    };
    let status = response.status();
    if response.ok() {
        return text.ok_or_else(|| ApiError::Network(format!("{method} {url}")));
    }
    // the session is over (a wrong password at login says nothing about the session)
    if status == 401 && (url != SESSION_URL || method == "GET") {
        super::account::forget_signed_in();
    }
    if status == 401 && url != SESSION_URL {
        let told = ON_UNAUTHORIZED.with(|c| c.borrow().clone());
        if let Some(f) = told {
            f.emit(());
        }
    }
    let text = text.unwrap_or_default();
    Err(parse_problem(status, &text).map_or_else(
        || ApiError::Status {
            status,
            status_text: response.status_text(),
        },
        ApiError::Problem,
    ))
}

/// `/api/session`: its 401 means "not logged in" or "wrong password", not "session lost".
pub(super) const SESSION_URL: &str = "/api/session";

pub(super) fn decode<T: FromJson>(text: &str) -> Result<T, ApiError> {
    read::from_str(text).map_err(ApiError::unreadable)
}

/// Reads a problem body; any JSON object with at least a title counts (the content type is
/// not trusted to be exactly `application/problem+json`, a proxy may rewrite it).
fn parse_problem(status: u16, body: &str) -> Option<Problem> {
    let mut problem: Problem = read::from_str(body).ok()?;
    if problem.status == 0 {
        problem.status = status;
    }
    Some(problem)
}

#[cfg(test)]
mod tests {
    use keyproj_shared::{Category, ColourFilter, Period, Sort, SortColumn};

    use super::*;

    #[test]
    fn a_problem_body_is_read_with_its_field_errors() {
        let body = r#"{"type":"about:blank","title":"参数有误","status":400,
            "errors":[{"field":"per_page","message":"每页最多 100 条"}]}"#;
        let p = parse_problem(400, body).expect("a problem");
        assert_eq!(p.title, "参数有误");
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].field, "per_page");
        assert!(parse_problem(502, "<html>Bad Gateway</html>").is_none());
    }

    #[test]
    fn an_export_carries_the_filters_and_the_sort_but_not_the_page() {
        let mut q = ListQuery::default();
        q.filter.category = Some(Category::ElderlyWelfare);
        q.sort = Sort {
            column: SortColumn::TotalInvestment,
            descending: true,
        };
        q.page = 3;
        q.per_page = 50;
        assert_eq!(
            export_url(ExportFormat::Csv, &q),
            "/api/export/projects.csv?category=B&sort=-total_investment"
        );
        assert_eq!(
            export_url(ExportFormat::Xlsx, &ListQuery::default()),
            "/api/export/projects.xlsx"
        );
        assert_eq!(
            export_url(ExportFormat::Oc4ids, &q),
            "/api/export/oc4ids.json?category=B&sort=-total_investment"
        );
        // the list's own exports hold what the list holds: its colour, month and gap sort
        q.warning = Some(ColourFilter::Red);
        q.gap_descending = Some(true);
        q.warning_period = Period::new(2024, 6);
        assert_eq!(
            export_url(ExportFormat::Csv, &q),
            "/api/export/projects.csv?category=B&sort=-gap&warning=red&period=2024-06"
        );
    }

    #[test]
    fn a_bad_body_is_a_decode_error() {
        assert!(matches!(
            decode::<ProjectPage>("{}"),
            Err(ApiError::Decode(_))
        ));
    }
}
