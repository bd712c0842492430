//! HTTP handlers: parse the request, run the work on a blocking thread, answer.
//!
//! `api` is the route table: each handler is registered once, and the OpenAPI document is
//! collected from the same registrations (utoipa-actix-web), so the two cannot drift. A
//! handler registered here must carry `#[utoipa::path]`, or this does not compile.

pub mod audit;
pub mod body;
pub mod budget;
pub mod conditional;
pub mod evaluation;
pub mod export;
mod filter_params;
pub mod head;
pub mod health;
pub mod oc4ids;
pub mod openapi;
pub mod owners;
pub mod plan_import;
pub mod plans;
pub mod progress;
pub mod projects;
pub mod reconciliation;
pub mod report_import;
pub mod reports;
pub mod response_cache;
pub mod robots;
pub mod session;
mod shell;
pub mod spa;
pub mod summary;
pub mod timeliness;
pub mod users;
pub mod warning_export;
pub mod warnings;

use actix_web::http::header;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpRequest, HttpResponse, HttpResponseBuilder, guard, web};
use utoipa::OpenApi;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::{AppExt, scope};

use crate::auth::csrf;
use crate::error::ApiError;

/// Query-string pairs as sent; the shared parsers decide what they mean.
pub type RawQuery = web::Query<Vec<(String, String)>>;

/// Answers about accounts and reviews are personal: never cached.
pub fn no_store(mut res: HttpResponseBuilder) -> HttpResponseBuilder {
    res.insert_header((header::CACHE_CONTROL, "no-store"));
    res
}

/// Every route of the API. Writes under `/api` pass the CSRF middleware whatever their
/// handler; the interactive docs are served beside the API but are not part of it.
pub fn api(cfg: &mut ServiceConfig) {
    cfg.service(
        scope("/api")
            // inside the CSRF check: a cross-site form is refused as cross-site first
            .wrap(from_fn(head::as_get))
            .wrap(from_fn(body::json_only))
            .wrap(from_fn(csrf::same_origin_writes))
            .service(projects::edit)
            .service(plans::revise)
            .service(plans::grid)
            .service(plan_import::plan_template)
            .service(plan_import::plan_upload)
            .service(reports::submit)
            .service(reports::history)
            .service(reports::queue)
            .service(report_import::template)
            .service(report_import::upload)
            .service(report_import::error_workbook)
            .service(reports::get_one)
            .service(reports::approve)
            .service(reports::return_report)
            .service(audit::global)
            .service(audit::of_project)
            .service(session::login)
            .service(session::current)
            .service(session::logout)
            .service(users::list)
            .service(users::get_one)
            .service(users::create)
            .service(users::update)
            .service(users::disable)
            .service(users::enable)
            .service(warnings::revise_rules)
            .service(timeliness::timeliness_month)
            .service(timeliness::timeliness_ranking)
            .service(timeliness::timeliness_due)
            .service(timeliness::timeliness_csv)
            .service(timeliness::timeliness_xlsx)
            .service(timeliness::timeliness_ranking_csv)
            .service(timeliness::timeliness_ranking_xlsx)
            .service(oc4ids::policy)
            .service(openapi::document)
            .service(health::hello)
            .map(openapi::interactive_docs)
            // last: its empty prefix takes every GET the services above did not
            .service(
                scope("")
                    .guard(guard::Get())
                    .wrap(from_fn(conditional::revalidate))
                    .configure(reads)
                    .default_service(web::to(unknown_api_path)),
            )
            .default_service(web::to(unknown_api_path)),
    )
    .service(health::healthz);
}

/// The public reads, answered with the data version's ETag and 304 to a current
/// `If-None-Match` (`conditional`). A read of data that changes with the plan goes here.
fn reads(cfg: &mut ServiceConfig) {
    cached_reads(cfg);
    cfg.service(export::csv)
        .service(export::xlsx)
        .service(plans::plans_of_project)
        .service(warnings::rule_set)
        .service(warnings::list)
        .service(warnings::summary)
        .service(warnings::of_project)
        .service(evaluation::final_evaluation)
        .service(evaluation::evaluation_xlsx)
        .service(budget::year_budget)
        .service(progress::project_progress)
        .service(warning_export::warnings_csv)
        .service(warning_export::warnings_xlsx)
        .service(oc4ids::package);
}

/// The reads whose answers are kept per data version (`response_cache`): JSON computed from
/// the data alone. The exports and the evaluation are not (large, or stamped with the time).
fn cached_reads(cfg: &mut ServiceConfig) {
    cfg.service(projects::list)
        .service(projects::detail)
        .service(summary::summary)
        .service(summary::pivot)
        .service(reconciliation::reconciliation)
        .service(owners::owners);
}

/// The paths `reads` registers, as the document names them.
fn read_templates() -> Vec<String> {
    templates(reads)
}

/// The paths `cached_reads` registers, as the document (and actix's `match_pattern`) names
/// them.
pub fn cached_templates() -> Vec<String> {
    templates(cached_reads)
}

fn templates(routes: fn(&mut ServiceConfig)) -> Vec<String> {
    let (_, doc) = App::new()
        .into_utoipa_app()
        .service(scope("/api").configure(routes))
        .split_for_parts();
    doc.paths.paths.keys().cloned().collect()
}

/// The OpenAPI document of the route table, as `/api/openapi.json` serves it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = App::new()
        .into_utoipa_app()
        .openapi(openapi::ApiDoc::openapi())
        .configure(api)
        .split_for_parts();
    csrf::document(&mut doc);
    openapi::document_problems(&mut doc);
    openapi::document_limits(&mut doc);
    openapi::document_body_limits(&mut doc);
    conditional::document(&mut doc, &read_templates());
    doc
}

/// A documented path with a method it does not declare is 405 with the methods it does
/// (from the document, so from the route table); any other path is 404.
async fn unknown_api_path(
    req: HttpRequest,
    doc: web::Data<utoipa::openapi::OpenApi>,
) -> Result<HttpResponse, ApiError> {
    // a declared method that reached here had a parameter of the wrong form (`/reports/abc`)
    if let Some(allow) = openapi::declared_methods(&doc, req.path())
        .filter(|allow| !allow.split(", ").any(|m| m == req.method().as_str()))
    {
        return Err(ApiError::MethodNotAllowed {
            method: req.method().to_string(),
            allow,
        });
    }
    Err(ApiError::NotFound(format!(
        "没有这个接口: {} {}",
        req.method(),
        req.path()
    )))
}
