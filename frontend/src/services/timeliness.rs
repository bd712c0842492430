//! 报送情况 (signed in) and 终期评估 (public), and their downloads.

use keyproj_shared::{
    DueList, Evaluation, Ranking, RankingQuery, TimelinessMonth, TimelinessQuery,
};

use super::api::{decode, fetch_text, send, url};
use super::error::ApiError;
use super::query_string::encode_pairs;

/// `GET /api/timeliness?period=…`.
pub async fn timeliness_month(q: &TimelinessQuery) -> Result<TimelinessMonth, ApiError> {
    let query = encode_pairs(&q.to_pairs());
    decode(&send("GET", &url("/timeliness", &query), None, &[]).await?)
}

/// `GET /api/timeliness/ranking?months=…&until=…`.
pub async fn timeliness_ranking(q: &RankingQuery) -> Result<Ranking, ApiError> {
    let query = encode_pairs(&q.to_pairs());
    decode(&send("GET", &url("/timeliness/ranking", &query), None, &[]).await?)
}

/// `GET /api/timeliness/due`: what the caller's organisation still has to report.
pub async fn timeliness_due() -> Result<DueList, ApiError> {
    decode(&send("GET", &url("/timeliness/due", ""), None, &[]).await?)
}

/// `GET /api/evaluation`.
pub async fn evaluation() -> Result<Evaluation, ApiError> {
    decode(&fetch_text(&keyproj_shared::address::evaluation()).await?)
}

/// The download of a month's 报送情况 (`csv` or `xlsx`).
pub fn timeliness_export_url(ext: &str, q: &TimelinessQuery) -> String {
    url(
        &format!("/export/timeliness.{ext}"),
        &encode_pairs(&q.to_pairs()),
    )
}

/// The download of the ranking (`csv` or `xlsx`).
pub fn ranking_export_url(ext: &str, q: &RankingQuery) -> String {
    url(
        &format!("/export/timeliness-ranking.{ext}"),
        &encode_pairs(&q.to_pairs()),
    )
}

/// The evaluation's workbook.
pub fn evaluation_export_url() -> String {
    url("/export/evaluation.xlsx", "")
}
