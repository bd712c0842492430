//! A pass-through proxy between the tests and the server that holds every answer to the API
//! document, whatever the test does with it: the status (for the method actually sent), the
//! content type and the body. A test that only looks at a status, or reads an answer with
//! its own code, is checked all the same. It also counts what passes through, for the
//! figures table (`scripts/trust-figures.sh`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use actix_web::http::header::{self, HeaderName};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};

use super::conformance;

/// What went through one test's proxy.
#[derive(Default)]
pub struct Tally {
    pub requests: AtomicU64,
    /// Answers that break the document, or a 500: each described.
    pub unexpected: Mutex<Vec<String>>,
    /// Acknowledged writes missing afterwards, or refused writes that took effect, as the
    /// test that checks for them counts them.
    pub lost: AtomicU64,
}

impl Tally {
    pub fn unexpected(&self) -> Vec<String> {
        self.unexpected
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    pub fn lost(&self, n: u64) {
        self.lost.fetch_add(n, Ordering::Relaxed);
    }
}

struct Upstream {
    base: String,
    client: reqwest::Client,
    tally: Arc<Tally>,
}

/// Starts a proxy to `base` (`http://127.0.0.1:port`) on a free port: its address, its
/// tally and the handle that stops it.
pub async fn start(base: String) -> (String, Arc<Tally>, actix_web::dev::ServerHandle) {
    let tally = Arc::new(Tally::default());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let upstream = web::Data::new(Upstream {
        base,
        client,
        tally: tally.clone(),
    });
    let server = HttpServer::new(move || {
        App::new()
            .app_data(upstream.clone())
            // the server's own limits are under test, not the proxy's
            .app_data(web::PayloadConfig::new(1 << 30))
            .default_service(web::to(forward))
    })
    .workers(1)
    .disable_signals()
    .bind(("127.0.0.1", 0))
    .expect("a free port");
    let address = format!("http://{}", server.addrs()[0]);
    let server = server.run();
    let handle = server.handle();
    tokio::spawn(server);
    (address, tally, handle)
}

/// Headers of one hop, which the proxy does not pass on.
fn hop_by_hop(name: &HeaderName) -> bool {
    [
        header::CONNECTION,
        header::CONTENT_LENGTH,
        header::TRANSFER_ENCODING,
        header::TE,
        header::UPGRADE,
        header::PROXY_AUTHORIZATION,
    ]
    .contains(name)
        || name.as_str() == "keep-alive"
}

async fn forward(req: HttpRequest, body: web::Bytes, up: web::Data<Upstream>) -> HttpResponse {
    up.tally.requests.fetch_add(1, Ordering::Relaxed);
    let target = req
        .uri()
        .path_and_query()
        .map_or(req.path(), |pq| pq.as_str());
    let method = reqwest::Method::from_bytes(req.method().as_str().as_bytes())
        .expect("a method actix accepted");
    let mut out = up
        .client
        .request(method.clone(), format!("{}{target}", up.base));
    // the Host header goes through as sent, so the server sees the address the test used
    for (name, value) in req.headers().iter().filter(|(n, _)| !hop_by_hop(n)) {
        out = out.header(name.as_str(), value.as_bytes());
    }
    let res = match out.body(body).send().await {
        Ok(res) => res,
        Err(e) => {
            return HttpResponse::BadGateway()
                .content_type("text/plain")
                .body(format!("the proxy could not reach the server: {e}"));
        }
    };
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let bytes = res.bytes().await.unwrap_or_default();
    if let Some(why) = judge(&method, req.path(), status, &headers, &bytes) {
        up.tally
            .unexpected
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(why);
    }
    let mut answer = HttpResponse::build(
        actix_web::http::StatusCode::from_u16(status).expect("a status the server sent"),
    );
    for (name, value) in &headers {
        if !["content-length", "transfer-encoding", "connection"].contains(&name.as_str()) {
            answer.append_header((name.as_str(), value.as_bytes()));
        }
    }
    answer.body(bytes)
}

/// Why an answer is unexpected: a 500, or a breach of the document. Answers that are
/// compressed (a browser asked for it) are held to their status and content type only.
fn judge(
    method: &reqwest::Method,
    path: &str,
    status: u16,
    headers: &reqwest::header::HeaderMap,
    body: &[u8],
) -> Option<String> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    };
    if status == 500 {
        return Some(format!(
            "{method} {path} answered 500: {}",
            String::from_utf8_lossy(body)
        ));
    }
    let encoded = !matches!(header("content-encoding"), "" | "identity");
    // HEAD is answered as GET would be, without the body
    let (checked, body) = if *method == reqwest::Method::HEAD {
        (reqwest::Method::GET, None)
    } else {
        (method.clone(), (!encoded).then_some(body))
    };
    conformance::breach_of(
        &checked,
        path,
        status,
        header("content-type"),
        body.map(|b| String::from_utf8_lossy(b)).as_deref(),
    )
}
