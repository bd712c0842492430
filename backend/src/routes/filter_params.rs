//! The project list's filters as the OpenAPI document lists them for the other reads that
//! take them (warnings, their export, the 年度计划 grid), written once: `GET /api/projects`
//! describes each.

use utoipa::IntoParams;

/// Only its derive is used: the reads parse their queries through `keyproj_shared::query`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ProjectFilterParams {
    /// also every filter of GET /api/projects (district, category, nature, owner, start_year_from, start_year_to, end_year_from, end_year_to, has_social, q, status)
    district: Option<String>,
    category: Option<String>,
    nature: Option<String>,
    owner: Option<String>,
    start_year_from: Option<i32>,
    start_year_to: Option<i32>,
    end_year_from: Option<i32>,
    end_year_to: Option<i32>,
    has_social: Option<bool>,
    q: Option<String>,
    status: Option<String>,
}
