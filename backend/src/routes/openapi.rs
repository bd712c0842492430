//! The OpenAPI document's fixed parts, the handler that serves it, and the interactive docs.

use actix_web::http::Method;
use actix_web::{HttpResponse, get, web};
use keyproj_shared::PROBLEM_CONTENT_TYPE;
use utoipa::OpenApi;
use utoipa::openapi::path::{Operation, ParameterIn, PathItem};
use utoipa::openapi::{Content, Ref, RefOr, ResponseBuilder};
use utoipa_swagger_ui::{Config, SwaggerUi};

#[derive(OpenApi)]
#[openapi(info(
    title = "keyproj",
    description = "湘潭市“十四五”民政事业发展规划重点项目 (annex 1). Money is in 万元 as decimal strings with two decimals; shares are percentages as decimal strings. Reading the plan needs no login. Every write needs the `keyproj_session` cookie (from POST /api/session), the header `X-Requested-With` and, if the browser sends Origin or Referer, the same host; updates need `If-Match` with the resource's ETag (`\"p12-v3\"`, `\"r5-v1\"`, `\"u3-v2\"`)."
))]
pub struct ApiDoc;

/// This document.
#[utoipa::path(tag = "meta", responses((status = 200, description = "OpenAPI 3 document")))]
#[get("/openapi.json")]
pub async fn document(doc: web::Data<utoipa::openapi::OpenApi>) -> HttpResponse {
    HttpResponse::Ok().json(doc.get_ref())
}

/// Swagger UI at `/api/docs/`, its files compiled into the binary (no CDN), reading
/// `/api/openapi.json`. Its own validator badge would call swagger.io, so it is off.
pub fn interactive_docs<T>(scope: actix_web::Scope<T>) -> actix_web::Scope<T>
where
    T: actix_web::dev::ServiceFactory<
            actix_web::dev::ServiceRequest,
            Config = (),
            Error = actix_web::Error,
            InitError = (),
        >,
{
    scope.service(web::redirect("/docs", "/api/docs/")).service(
        SwaggerUi::new("/docs/{_:.*}")
            .config(Config::new(["/api/openapi.json"]).validator_url("none")),
    )
}

/// A path item's operations with their methods.
pub fn operations(item: &PathItem) -> impl Iterator<Item = (Method, &Operation)> {
    [
        (Method::GET, &item.get),
        (Method::PUT, &item.put),
        (Method::POST, &item.post),
        (Method::DELETE, &item.delete),
        (Method::OPTIONS, &item.options),
        (Method::HEAD, &item.head),
        (Method::PATCH, &item.patch),
        (Method::TRACE, &item.trace),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.as_ref().map(|op| (m, op)))
}

/// Like `operations`, for changing them.
pub fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = (Method, &mut Operation)> {
    [
        (Method::GET, &mut item.get),
        (Method::PUT, &mut item.put),
        (Method::POST, &mut item.post),
        (Method::DELETE, &mut item.delete),
        (Method::OPTIONS, &mut item.options),
        (Method::HEAD, &mut item.head),
        (Method::PATCH, &mut item.patch),
        (Method::TRACE, &mut item.trace),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.as_mut().map(|op| (m, op)))
}

/// Whether a concrete path such as `/api/projects/B09` is an instance of a documented
/// template such as `/api/projects/{code}`.
pub fn path_matches(template: &str, path: &str) -> bool {
    let (mut t, mut p) = (template.split('/'), path.split('/'));
    loop {
        match (t.next(), p.next()) {
            (None, None) => return true,
            (Some(t), Some(p)) if t.starts_with('{') && t.ends_with('}') => {
                if p.is_empty() {
                    return false;
                }
            }
            (Some(t), Some(p)) if t == p => {}
            _ => return false,
        }
    }
}

/// The methods the document declares for a concrete path (`GET, PATCH`), or `None` when no
/// documented path matches it: what a 405's `Allow` says.
pub fn declared_methods(doc: &utoipa::openapi::OpenApi, path: &str) -> Option<String> {
    // `/api/reports/queue` is the literal path, not `/api/reports/{id}`
    let (_, item) = doc
        .paths
        .paths
        .iter()
        .filter(|(template, _)| path_matches(template, path))
        .min_by_key(|(template, _)| template.matches('{').count())?;
    let mut methods: Vec<String> = operations(item).map(|(m, _)| m.to_string()).collect();
    // HEAD is answered wherever GET is (see `head_as_get`)
    if item.get.is_some() && item.head.is_none() {
        methods.insert(1, Method::HEAD.to_string());
    }
    Some(methods.join(", "))
}

/// The media types the document says an operation's request body may have, for the
/// operation a concrete path and method name (`None` when none is documented).
pub fn request_media_types(
    doc: &utoipa::openapi::OpenApi,
    method: &Method,
    path: &str,
) -> Option<Vec<String>> {
    let (_, item) = doc
        .paths
        .paths
        .iter()
        .filter(|(template, _)| path_matches(template, path))
        .min_by_key(|(template, _)| template.matches('{').count())?;
    let (_, op) = operations(item).find(|(m, _)| m == method)?;
    let RefOr::T(body) = op.request_body.as_ref()? else {
        return None;
    };
    Some(body.content.keys().cloned().collect())
}

/// Tags whose operations are personal (accounts, reviews, their trails): each needs a
/// session, as every write does.
const SESSION_TAGS: [&str; 4] = ["reports", "audit", "users", "session"];

/// Writes into every operation the error answers the shared rules can give it (see
/// `error.rs`), each a `Problem` as problem+json, so no route has to list them by hand.
/// A route's own entry for a status (with its specific description) is kept.
pub fn document_problems(doc: &mut utoipa::openapi::OpenApi) {
    for (template, item) in doc.paths.paths.iter_mut() {
        let has_path_params = template.contains('{');
        for (method, op) in operations_mut(item) {
            let write = ![Method::GET, Method::HEAD, Method::OPTIONS].contains(&method);
            let has_query =
                op.parameters.iter().flatten().any(
                    |p| matches!(p, RefOr::T(p) if matches!(p.parameter_in, ParameterIn::Query)),
                );
            let json_body = op.request_body.as_ref().is_some_and(
                |b| matches!(b, RefOr::T(b) if b.content.contains_key("application/json")),
            );
            let personal = op
                .tags
                .iter()
                .flatten()
                .any(|t| SESSION_TAGS.contains(&t.as_str()));
            let session = write || personal;
            let rules = [
                (true, 400, "the query string or body cannot be decoded"),
                (session, 401, "no valid session (log in first)"),
                (
                    session,
                    403,
                    "the role or organisation may not do this, or a cross-site request",
                ),
                (has_path_params, 404, "no such resource"),
                (true, 405, "a method this path does not declare; see Allow"),
                // any request with a body, whatever the route reads (see `body::json_only`)
                (true, 413, "the request body is over the limit"),
                (
                    true,
                    415,
                    "the request has a body that is not application/json",
                ),
                (
                    has_query || json_body,
                    422,
                    "a parameter or field is unknown or has a bad value; errors[] names it",
                ),
                // a write that keeps losing to others, or a read that waits too long for
                // a pooled connection
                (
                    true,
                    503,
                    "the database is busy; retry after Retry-After seconds",
                ),
            ];
            for (applies, status, description) in rules {
                if applies {
                    add_problem(op, status, description);
                }
            }
        }
    }
}

fn add_problem(op: &mut Operation, status: u16, description: &str) {
    op.responses
        .responses
        .entry(status.to_string())
        .or_insert_with(|| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    PROBLEM_CONTENT_TYPE,
                    Content::new(Some(Ref::from_schema_name("Problem"))),
                )
                .build()
                .into()
        });
}

/// Writes into the query parameters the limits the shared parsers enforce, from the same
/// constants and vocabularies, so the document refuses what the server refuses.
pub fn document_limits(doc: &mut utoipa::openapi::OpenApi) {
    use keyproj_shared::query::{
        GroupBy, MAX_AUDIT_ENTITY_ID_LEN, MAX_AUDIT_PER_PAGE, MAX_PER_PAGE, MAX_REPORT_PROJECT_LEN,
        MAX_REPORTS_PER_PAGE, SortColumn, YEARS,
    };
    use keyproj_shared::{AUDIT_ENTITIES, ReportState};
    use utoipa::openapi::schema::Schema;
    for item in doc.paths.paths.values_mut() {
        for (_, op) in operations_mut(item) {
            let max_per_page = match op.tags.iter().flatten().next().map(String::as_str) {
                Some("audit") => MAX_AUDIT_PER_PAGE,
                Some("reports") => MAX_REPORTS_PER_PAGE,
                Some("warnings") => keyproj_shared::query::MAX_WARNINGS_PER_PAGE,
                Some("plans") => keyproj_shared::query::MAX_PLAN_GRID_PER_PAGE,
                _ => MAX_PER_PAGE,
            };
            for param in op.parameters.iter_mut().flatten() {
                let RefOr::T(param) = param else { continue };
                if !matches!(param.parameter_in, ParameterIn::Query) {
                    continue;
                }
                let Some(RefOr::T(Schema::Object(schema))) = param.schema.as_mut() else {
                    continue;
                };
                match param.name.as_str() {
                    "page" => schema.minimum = Some(1.into()),
                    "per_page" => {
                        schema.minimum = Some(1.into());
                        schema.maximum = Some(max_per_page.into());
                    }
                    "start_year_from" | "start_year_to" | "end_year_from" | "end_year_to" => {
                        schema.minimum = Some((*YEARS.start()).into());
                        schema.maximum = Some((*YEARS.end()).into());
                    }
                    "entity" => {
                        schema.enum_values =
                            Some(AUDIT_ENTITIES.iter().map(|&e| e.into()).collect());
                    }
                    "state" => {
                        schema.enum_values =
                            Some(ReportState::ALL.iter().map(|s| s.key().into()).collect());
                    }
                    "entity_id" => schema.max_length = Some(MAX_AUDIT_ENTITY_ID_LEN),
                    "project" => schema.max_length = Some(MAX_REPORT_PROJECT_LEN),
                    "level" => {
                        schema.enum_values = Some(
                            keyproj_shared::Level::ALL
                                .iter()
                                .map(|l| l.key().into())
                                .collect(),
                        );
                    }
                    "rule" => {
                        schema.enum_values = Some(
                            keyproj_shared::RuleId::ALL
                                .iter()
                                .map(|r| r.key().into())
                                .collect(),
                        );
                    }
                    "group_by" => {
                        schema.enum_values =
                            Some(GroupBy::ALL.iter().map(|g| g.key().into()).collect());
                    }
                    "sort" => {
                        let keys = SortColumn::ALL.iter().map(|c| c.key());
                        let descending = keys.clone().map(|k| format!("-{k}"));
                        schema.enum_values = Some(
                            keys.map(str::to_string)
                                .chain(descending)
                                .map(Into::into)
                                .collect(),
                        );
                    }
                    _ => {}
                }
            }
        }
    }
}

/// A limit the shared rules put on a request-body field.
enum BodyLimit {
    /// at most this many characters
    Chars(usize),
    /// from .. to this many characters
    CharsBetween(usize, usize),
    /// at most this many items, each at most this many characters
    ItemsOfChars(usize, usize),
    /// one of these values
    OneOf(Vec<&'static str>),
}

/// Writes into the request bodies' schemas the limits the shared rules enforce, from the same
/// constants, so the document refuses what the server refuses (`contract.rs` walks them).
pub fn document_body_limits(doc: &mut utoipa::openapi::OpenApi) {
    use BodyLimit::*;
    use keyproj_shared::edit::{MAX_OWNER_CHARS, MAX_OWNERS, MAX_REMARKS_CHARS};
    use keyproj_shared::report::{MAX_REASON_CHARS, MAX_REPORT_TEXT_CHARS};
    use keyproj_shared::{MAX_PASSWORD_CHARS, MAX_USERNAME_CHARS, MIN_PASSWORD_CHARS, Role};
    use utoipa::openapi::schema::{ArrayItems, Schema};
    let roles = || OneOf(Role::ALL.iter().map(|r| r.key()).collect());
    let password = || CharsBetween(MIN_PASSWORD_CHARS, MAX_PASSWORD_CHARS);
    let limits = [
        ("ReportBody", "progress_text", Chars(MAX_REPORT_TEXT_CHARS)),
        ("ReportBody", "problems_text", Chars(MAX_REPORT_TEXT_CHARS)),
        ("ReportBody", "over_total_reason", Chars(MAX_REASON_CHARS)),
        ("ReturnRequest", "reason", Chars(MAX_REASON_CHARS)),
        ("ProjectEdit", "reason", Chars(MAX_REASON_CHARS)),
        ("ProjectEdit", "remarks", Chars(MAX_REMARKS_CHARS)),
        (
            "ProjectEdit",
            "owners",
            ItemsOfChars(MAX_OWNERS, MAX_OWNER_CHARS),
        ),
        ("NewUser", "username", Chars(MAX_USERNAME_CHARS)),
        ("NewUser", "organisation", Chars(MAX_OWNER_CHARS)),
        ("NewUser", "role", roles()),
        ("NewUser", "password", password()),
        ("UserPatch", "organisation", Chars(MAX_OWNER_CHARS)),
        ("UserPatch", "role", roles()),
        ("UserPatch", "password", password()),
    ];
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    for (schema, field, limit) in limits {
        let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(schema) else {
            panic!("the document has no schema {schema}");
        };
        let Some(RefOr::T(property)) = object.properties.get_mut(field) else {
            panic!("{schema} has no field {field}");
        };
        match (limit, property) {
            (Chars(max), Schema::Object(p)) => p.max_length = Some(max),
            (CharsBetween(min, max), Schema::Object(p)) => {
                p.min_length = Some(min);
                p.max_length = Some(max);
            }
            (OneOf(values), Schema::Object(p)) => {
                p.enum_values = Some(values.into_iter().map(Into::into).collect());
            }
            (ItemsOfChars(items, chars), Schema::Array(a)) => {
                a.max_items = Some(items);
                if let ArrayItems::RefOrSchema(item) = &mut a.items
                    && let RefOr::T(Schema::Object(item)) = item.as_mut()
                {
                    item.max_length = Some(chars);
                }
            }
            _ => panic!("{schema}.{field}: a limit that does not fit its schema"),
        }
    }
}
