use actix_web::{get, web};
use keyproj_shared::Reconciliation;

use super::RawQuery;
use crate::catalog;
use crate::db::{DbPool, with_conn};
use crate::error::ApiError;

/// The published 总计 and category rows next to the sums of the project rows, and the rows
/// whose own text contradicts their amounts.
#[utoipa::path(
    tag = "reconciliation",
    responses(
        (status = 200, body = Reconciliation),
        (status = 422, description = "a query parameter: this operation takes none", body = keyproj_shared::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reconciliation")]
pub async fn reconciliation(
    pool: web::Data<DbPool>,
    query: RawQuery,
) -> Result<web::Json<Reconciliation>, ApiError> {
    if let Some((key, _)) = query.first() {
        return Err(ApiError::field(key, "此接口不接受参数"));
    }
    let r = with_conn(&pool, catalog::reconciliation).await?;
    Ok(web::Json(r))
}
