//! The API contract, as the helpers check it: every answer the tests read through them is
//! held to the OpenAPI document of the route table (its status must be documented for the
//! operation, its body must match that status's schema).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use jsonschema::Validator;
use keyproj::routes::openapi::path_matches;
use reqwest::Method;
use serde_json::Value;

/// The methods an operation may have, as the document spells them.
const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// The route table's document, built once per test binary, as JSON.
pub fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| serde_json::to_value(keyproj::routes::openapi()).expect("a document"))
}

/// The document's template for a concrete path: a literal segment beats a parameter.
pub fn template_of(path: &str) -> Option<&'static str> {
    document()["paths"]
        .as_object()?
        .keys()
        .filter(|t| path_matches(t, path))
        .min_by_key(|t| t.matches('{').count())
        .map(String::as_str)
}

/// The compiled schema of one documented response, with the document's components beside
/// it so that its `#/components/schemas/…` references resolve (OpenAPI 3.1 schemas are JSON
/// Schema 2020-12).
fn validator(pointer: &str) -> Arc<Validator> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Validator>>>> = OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    cache
        .entry(pointer.to_string())
        .or_insert_with(|| {
            let mut schema = document()
                .pointer(pointer)
                .cloned()
                .unwrap_or_else(|| panic!("no schema at {pointer}"));
            schema["components"] = document()["components"].clone();
            let v = jsonschema::draft202012::new(&schema)
                .unwrap_or_else(|e| panic!("the schema at {pointer} compiles: {e}"));
            Arc::new(v)
        })
        .clone()
}

/// Why an answer breaks the contract of one operation, or `None` if it keeps it.
pub fn breach(
    method: &str,
    template: &str,
    status: u16,
    content_type: &str,
    body: Option<&str>,
) -> Option<String> {
    let op = &document()["paths"][template][method.to_lowercase()];
    if op.is_null() {
        // a method the path does not declare: 405 with Allow is the rule for every path
        if status == 405 && content_type.starts_with(keyproj_shared::PROBLEM_CONTENT_TYPE) {
            return None;
        }
        return Some(format!(
            "{method} {template} is not documented, and answered {status}"
        ));
    }
    let Some(response) = op["responses"].get(status.to_string()) else {
        return Some(format!(
            "{method} {template}: status {status} is not documented"
        ));
    };
    // a response documented without a body (204) has nothing more to check
    let contents = response["content"].as_object().filter(|c| !c.is_empty())?;
    let media = content_type.split(';').next().unwrap_or_default().trim();
    let Some(content) = contents.get(media) else {
        return Some(format!(
            "{method} {template} {status}: content type {media:?}, documented {:?}",
            contents.keys().collect::<Vec<_>>()
        ));
    };
    let body = body?;
    if content.get("schema").is_none() || !media.ends_with("json") {
        return None;
    }
    let pointer = format!(
        "/paths/{}/{}/responses/{status}/content/{}/schema",
        escape(template),
        method.to_lowercase(),
        escape(media)
    );
    let instance: Value = match serde_json::from_str(body) {
        Ok(v) => v,
        Err(e) => return Some(format!("{method} {template} {status}: not JSON: {e}")),
    };
    let v = validator(&pointer);
    let errors: Vec<String> = v
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    (!errors.is_empty()).then(|| format!("{method} {template} {status}: {errors:?}"))
}

/// A JSON-pointer token.
fn escape(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// Why the answer to `method` on the concrete `url_path` breaks the document, if it does;
/// `None` also for paths the document does not describe (the 404 of an unknown path).
/// Without a body (HEAD), the status and content type are checked.
pub fn breach_of(
    method: &Method,
    url_path: &str,
    status: u16,
    content_type: &str,
    body: Option<&str>,
) -> Option<String> {
    let template = template_of(url_path)?;
    breach(method.as_str(), template, status, content_type, body)
}

/// Fails the test unless the answer to `method` (or, when the helper does not know the
/// method, to one of the path's operations) on `url_path` is what the document says. Paths
/// the document does not describe are not its concern (the 404 of an unknown path).
pub fn check(method: Option<&Method>, url_path: &str, status: u16, content_type: &str, body: &str) {
    let Some(template) = template_of(url_path) else {
        return;
    };
    let methods: Vec<String> = match method {
        Some(m) => vec![m.as_str().to_string()],
        None => METHODS
            .iter()
            .filter(|m| document()["paths"][template].get(**m).is_some())
            .map(|m| m.to_uppercase())
            .collect(),
    };
    let breaches: Vec<String> = methods
        .iter()
        .map(|m| breach(m, template, status, content_type, Some(body)))
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default();
    assert!(
        breaches.is_empty(),
        "the answer breaks the API document: {breaches:#?}\n{url_path} answered {status}: {body}"
    );
}
