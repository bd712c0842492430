//! HEAD is answered wherever GET is, as GET would answer it but without the body
//! (RFC 9110 §9.3.2): link checkers, monitors and `curl -I` use it. The route table declares
//! GET only; this middleware lets each GET route answer HEAD too.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;

pub async fn as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if req.method() != Method::HEAD {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    req.head_mut().method = Method::GET;
    let res = next.call(req).await?;
    // no body, and no length: the GET's length is not known without producing the body
    Ok(res.map_body(|_, _| BoxBody::new(actix_web::body::None::new())))
}
