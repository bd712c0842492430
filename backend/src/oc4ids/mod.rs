//! The plan as OC4IDS open data: a project package (`project.rs` maps one project), written
//! out page by page so that a package of any size never sits in memory whole.

pub mod project;

use actix_web::web::Bytes;
use futures::Stream;
use keyproj_shared::ExportQuery;
use serde_json::{Value, json};

use crate::catalog::{self, ExportProject};
use crate::config::Oc4idsSettings;
use crate::db::{DbPool, with_conn};
use crate::error::ApiError;
use crate::models::project::Cursor;

/// The OC4IDS schema version, major.minor, as the package states it.
pub const VERSION: &str = "0.9";

pub const PATH: &str = "/api/export/oc4ids.json";
pub const POLICY_PATH: &str = "/api/export/oc4ids-policy";

/// The package's fields before `projects`. `uri` names this very package: the export's
/// address with its filters.
fn head(s: &Oc4idsSettings, q: &ExportQuery, published: &str) -> Value {
    let pairs = q.to_pairs();
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
        .finish();
    let uri = if query.is_empty() {
        format!("{}{PATH}", s.base_url)
    } else {
        format!("{}{PATH}?{query}", s.base_url)
    };
    json!({
        "uri": uri,
        "publishedDate": published,
        "publisher": { "name": s.publisher },
        "version": VERSION,
        "publicationPolicy": format!("{}{POLICY_PATH}", s.base_url),
    })
}

/// The publication policy, in words; it says whether the id prefix is registered.
pub fn policy(s: &Oc4idsSettings) -> String {
    let prefix = if s.prefix_registered() {
        format!(
            "项目编号为 oc4ids-{}-<项目编号>（如 oc4ids-{}-B18），前缀已在 OC4IDS 登记。",
            s.prefix, s.prefix
        )
    } else {
        format!(
            "尚未登记 OC4IDS 项目编号前缀：当前的“{}”是占位前缀，项目编号 oc4ids-{}-<项目编号> \
             在登记后会改变，请勿把它当作长期标识。\n\
             No OC4IDS project identifier prefix has been registered yet: \"{}\" is a \
             placeholder, and project ids will change once one is.",
            s.prefix, s.prefix, s.prefix
        )
    };
    format!(
        "湘潭市“十四五”民政事业发展规划重点项目 OC4IDS 数据发布说明\n\n\
         发布者：{publisher}\n\
         内容：规划附件1重点项目表的87个重点项目（逐格照录），以及经财务审核通过的最新月报进度；\
         未审核、已退回的月报不发布。\n\
         {prefix}\n\
         更新：按请求生成，publishedDate 为生成时刻；可按项目列表的筛选条件导出子集。\n\
         金额：原表以万元计，发布时乘以10000折算为人民币元（CNY），精确无舍入。\n\
         字段对照与代码表：keyproj 的 docs/oc4ids.md。\n",
        publisher = s.publisher,
    )
}

/// Appends the projects, comma-separated, `first` saying whether one was written before.
fn write_projects(
    out: &mut Vec<u8>,
    projects: &[ExportProject],
    s: &Oc4idsSettings,
    mut first: bool,
) -> Result<(), ApiError> {
    for p in projects {
        if !first {
            out.push(b',');
        }
        first = false;
        serde_json::to_writer(&mut *out, &project::project(p, s)).map_err(ApiError::internal)?;
    }
    Ok(())
}

/// The package as a stream of chunks: the head and first page at once (a bad filter or an
/// empty selection is refused before anything is sent), then one page per poll.
pub async fn package(
    pool: DbPool,
    q: ExportQuery,
    s: Oc4idsSettings,
    published: String,
) -> Result<impl Stream<Item = Result<Bytes, ApiError>>, ApiError> {
    let (q2, s2) = (q.clone(), s.clone());
    let (first, mismatched, next) = with_conn(&pool, move |conn| {
        let mismatched = catalog::export_start(conn, &q2)?;
        let (page, next) = catalog::export_page(conn, &q2, None, s2.page_size, &mismatched)?;
        if page.is_empty() {
            // an OC4IDS package holds at least one project
            return Err(ApiError::NotFound(
                "没有符合筛选条件的项目：OC4IDS 项目包至少要有一个项目".to_string(),
            ));
        }
        let head = head(&s2, &q2, &published);
        let mut out = serde_json::to_vec(&head).map_err(ApiError::internal)?;
        // reopen the head object to append the projects array
        out.pop();
        out.extend_from_slice(br#","projects":["#);
        write_projects(&mut out, &page, &s2, true)?;
        if next.is_none() {
            out.extend_from_slice(b"]}");
        }
        Ok((out, mismatched, next))
    })
    .await?;
    let rest = futures::stream::try_unfold(next, move |after| {
        let (pool, q, s, mismatched) = (pool.clone(), q.clone(), s.clone(), mismatched.clone());
        async move {
            let Some(after) = after else {
                return Ok::<_, ApiError>(None);
            };
            let (out, next) = with_conn(&pool, move |conn| {
                page_after(conn, &q, &s, &after, &mismatched)
            })
            .await
            .inspect_err(|e| {
                // the status line is sent: the client sees a cut body, the log says why
                tracing::error!(error = %e, "the OC4IDS package stopped mid-stream");
            })?;
            Ok(Some((Bytes::from(out), next)))
        }
    });
    Ok(futures::StreamExt::chain(
        futures::stream::once(async move { Ok::<_, ApiError>(Bytes::from(first)) }),
        rest,
    ))
}

/// One more page, closing the package after the last.
fn page_after(
    conn: &mut crate::db::DbConnection,
    q: &ExportQuery,
    s: &Oc4idsSettings,
    after: &Cursor,
    mismatched: &[keyproj_shared::Category],
) -> Result<(Vec<u8>, Option<Cursor>), ApiError> {
    let (page, next) = catalog::export_page(conn, q, Some(after), s.page_size, mismatched)?;
    let mut out = Vec::with_capacity(page.len() * 4096);
    write_projects(&mut out, &page, s, false)?;
    if next.is_none() {
        out.extend_from_slice(b"]}");
    }
    Ok((out, next))
}
