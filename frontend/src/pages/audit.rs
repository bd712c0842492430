//! 审计: every change, newest first — who, when, what, the values before and after, and the
//! request that made it. Filtered by kind of object and its id; the state is the address.

use keyproj_shared::{
    AppRoute, AuditEntry, AuditPage as Page, AuditQuery, ProgressStatus, ReportState, Role,
};
use serde_json::Value;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::empty::empty;
use crate::components::error_box::page_error;
use crate::components::gate::gate;
use crate::components::loading::{loading, results_box};
use crate::components::pager::pager;
use crate::components::select::Select;
use crate::components::table::{Col, data_table};
use crate::hooks::{Auth, Fetched, answer, set_title, use_api};
use crate::services::query_string::parse_pairs;
use crate::services::{self, ApiError, nav};
use crate::util::local_time;

/// `/audit?…`, for admins (and finance, who may read the trail too).
pub fn audit_page(search: &AttrValue, auth: &Auth) -> Html {
    set_title("审计");
    let body = match gate(auth, AppRoute::Audit.roles()) {
        Ok(_) => html! { <AuditTrail search={search.clone()} /> },
        Err(instead) => instead,
    };
    html! {
        <section class="page audit" data-testid="audit-page">
            <h1>{ "审计记录" }</h1>
            <p class="lead">{ "系统中的每一次修改、月报提交与审核、账号变更和登录，按时间倒序。记录不可修改或删除。" }</p>
            { body }
        </section>
    }
}

fn query_of(search: &str) -> Result<AuditQuery, Vec<keyproj_shared::FieldError>> {
    AuditQuery::from_pairs(&parse_pairs(search), false)
}

const COLUMNS: &[Col] = &[
    ("时间", false),
    ("操作人", false),
    ("对象", false),
    ("操作", false),
    ("内容", false),
    ("请求编号", false),
];

const ENTITIES: [(&str, &str); 4] = [
    ("project", "项目"),
    ("report", "月报"),
    ("user", "用户"),
    ("session", "登录会话"),
];

fn entity_label(key: &str) -> &str {
    ENTITIES
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key, |(_, l)| l)
}

fn action_label(action: &str) -> &str {
    match action {
        "edit" => "修改项目信息",
        "submit" => "提交月报",
        "supersede" => "被更正",
        "approve" => "审核通过",
        "return" => "退回",
        "approved_figures" => "更新已审核进度",
        "create" => "新建",
        "disable" => "停用",
        "enable" => "启用",
        "update" => "修改",
        "login" => "登录",
        "logout" => "退出登录",
        other => other,
    }
}

/// The fields the trail names, in the order they are listed, with their words.
const FIELDS: [(&str, &str); 36] = [
    ("project_code", "项目"),
    ("period", "报告期"),
    ("state", "审核状态"),
    ("status", "建设状态"),
    ("physical_progress_pct", "形象进度"),
    ("investment_completed", "累计完成投资"),
    ("social_investment_completed", "其中社会投资"),
    ("actual_start", "实际开工"),
    ("actual_end", "实际竣工"),
    ("progress_text", "进展情况"),
    ("problems_text", "存在问题"),
    ("over_total_reason", "超总投资原因"),
    ("review_reason", "退回原因"),
    ("reason", "原因"),
    ("submitted_by", "提交人"),
    ("reviewed_by", "审核人"),
    ("supersedes_id", "更正自"),
    ("superseded_by", "被更正为"),
    ("report_id", "月报"),
    ("district", "县市区"),
    ("start", "开工年份"),
    ("end", "竣工年份"),
    ("total_investment", "总投资"),
    ("planned_investment", "计划投资"),
    ("social_share_pct", "社会投资占比"),
    ("social_investment", "社会投资"),
    ("owners", "建设主体"),
    ("remarks", "备注"),
    ("username", "用户名"),
    ("role", "角色"),
    ("organisation", "建设主体"),
    ("disabled", "已停用"),
    ("password", "密码"),
    ("user_id", "用户编号"),
    ("ip", "IP"),
    ("expires_at", "有效至"),
];

/// A field's words and its place in the list (unknown fields last, by name).
fn field(key: &str) -> (usize, &str) {
    FIELDS
        .iter()
        .position(|(k, _)| *k == key)
        .map_or((FIELDS.len(), key), |i| (i, FIELDS[i].1))
}

/// Keys that say nothing a reader needs (ids, tags, times shown elsewhere).
const QUIET: [&str; 6] = [
    "etag",
    "id",
    "version",
    "project_name",
    "submitted_at",
    "reviewed_at",
];

fn shorten(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() > MAX {
        let mut t: String = s.chars().take(MAX).collect();
        t.push('…');
        t
    } else {
        s.to_string()
    }
}

/// A value as words: vocabulary keys as their Chinese labels, people by name.
fn value_text(key: &str, v: &Value) -> String {
    match v {
        Value::Null => "—".to_string(),
        Value::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Value::String(s) if s.len() >= 20 && s.as_bytes()[10] == b'T' && s.ends_with('Z') => {
            local_time(s)
        }
        Value::String(s) => {
            let label = match key {
                "state" => s.parse::<ReportState>().ok().map(ReportState::label),
                "status" => s.parse::<ProgressStatus>().ok().map(ProgressStatus::label),
                "role" => s.parse::<Role>().ok().map(Role::label),
                _ => None,
            };
            label.map_or_else(|| shorten(s), str::to_string)
        }
        // ids and versions; a fraction never occurs (and would cost a float printer)
        Value::Number(n) => n
            .as_i64()
            .map_or_else(|| "…".to_string(), |i| i.to_string()),
        // e.g. 建设主体: a list of names
        Value::Array(items) => {
            let words: Vec<String> = items.iter().map(|i| value_text(key, i)).collect();
            shorten(&words.join("、"))
        }
        // a person, `{id, username}`
        Value::Object(m) => match m.get("username") {
            Some(Value::String(name)) => name.clone(),
            _ => "…".to_string(),
        },
    }
}

/// Each field that changed: (key, before, after); no before when there was none.
fn changed(e: &AuditEntry) -> Vec<(String, Option<String>, String)> {
    let before = e.before.as_ref().and_then(Value::as_object);
    let after = e.after.as_ref().and_then(Value::as_object);
    let mut items = Vec::new();
    match (before, after) {
        (b, Some(a)) => {
            for (k, v) in a {
                let old = b.and_then(|b| b.get(k));
                // Unchanged, or a field that was not there and is still empty.
                let blank = old.is_none() && (v.is_null() || v.as_str() == Some(""));
                if QUIET.contains(&k.as_str()) || old == Some(v) || blank {
                    continue;
                }
                items.push((k.clone(), old.map(|o| value_text(k, o)), value_text(k, v)));
            }
        }
        (Some(b), None) => {
            for (k, v) in b {
                if !QUIET.contains(&k.as_str()) {
                    items.push((k.clone(), Some(value_text(k, v)), "—".to_string()));
                }
            }
        }
        (None, None) => {}
    }
    crate::util::sort_by_key(&mut items, |(k, _, _)| field(k).0);
    items
}

fn changes(e: &AuditEntry) -> Html {
    let items = changed(e);
    if items.is_empty() {
        return html! { <span class="muted">{ "—" }</span> };
    }
    html! {
        <ul class="changes">
            { for items.into_iter().map(|(k, old, new)| html! {
                <li data-key={k.clone()}>
                    <span class="change-key">{ field(&k).1.to_string() }</span>{ "：" }
                    if let Some(old) = old {
                        <span class="change-old">{ old }</span>{ " → " }
                    }
                    <span class="change-new">{ new }</span>
                </li>
            }) }
        </ul>
    }
}

fn who(e: &AuditEntry) -> Html {
    let role = e.role.parse::<Role>().map_or("命令行", Role::label);
    html! {
        <>
            <span>{ &e.username }</span>
            <span class="muted">{ format!("（{role}）") }</span>
        </>
    }
}

fn object(e: &AuditEntry) -> Html {
    let label = entity_label(&e.entity);
    match e.entity.as_str() {
        "project" => html! {
            <>{ label }{ " " }<a href={AppRoute::project(&e.entity_id).path()} class="code">{ &e.entity_id }</a></>
        },
        _ => {
            html! { <>{ label }{ " " }<span class="code">{ format!("#{}", e.entity_id) }</span></> }
        }
    }
}

fn row(e: &AuditEntry) -> Html {
    html! {
        <tr data-testid="audit-row" data-entity={e.entity.clone()} data-entity-id={e.entity_id.clone()}
            data-action={e.action.clone()}>
            <td class="nowrap">{ local_time(&e.at) }</td>
            <td class="nowrap">{ who(e) }</td>
            <td class="nowrap">{ object(e) }</td>
            <td class="nowrap">{ action_label(&e.action) }</td>
            <td>{ changes(e) }</td>
            <td><code class="request-id" title="请求编号（X-Request-Id）">{ &e.request_id }</code></td>
        </tr>
    }
}

#[derive(Properties, PartialEq)]
struct AuditTrailProps {
    search: AttrValue,
}

#[component]
fn AuditTrail(props: &AuditTrailProps) -> Html {
    let api = use_api(props.search.clone(), |search| {
        Box::pin(async move {
            answer(match query_of(&search) {
                Ok(q) => services::audit(&q).await,
                Err(errors) => Err(ApiError::invalid_query(errors)),
            })
        })
    });
    let current = query_of(&props.search).unwrap_or_else(|_| {
        AuditQuery::from_pairs(&[], false).unwrap_or(AuditQuery {
            entity: None,
            entity_id: None,
            page: 1,
            per_page: 50,
        })
    });
    let push = |q: AuditQuery| nav::push_query(&AppRoute::Audit, &q.to_pairs());
    let on_entity = {
        let current = current.clone();
        Callback::from(move |v: String| {
            push(AuditQuery {
                entity: (!v.is_empty()).then_some(v),
                page: 1,
                ..current.clone()
            });
        })
    };
    let id_input = use_node_ref();
    let onsubmit = {
        let (current, id_input) = (current.clone(), id_input.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let v = id_input
                .cast::<HtmlInputElement>()
                .map(|i| i.value().trim().to_string())
                .unwrap_or_default();
            push(AuditQuery {
                entity_id: (!v.is_empty()).then_some(v),
                page: 1,
                ..current.clone()
            });
        })
    };
    let on_page = {
        let current = current.clone();
        Callback::from(move |page: u32| {
            push(AuditQuery {
                page,
                ..current.clone()
            });
        })
    };
    let choices: Vec<_> = std::iter::once((AttrValue::Static(""), AttrValue::Static("全部")))
        .chain(
            ENTITIES
                .iter()
                .map(|(k, l)| (AttrValue::Static(k), AttrValue::Static(l))),
        )
        .collect();
    let (fetched, updating) = api.get_keeping::<Page>();
    let body = match fetched {
        Fetched::Loading => loading(),
        Fetched::Failed(e) => page_error(e, &api.retry, &AppRoute::Audit),
        Fetched::Ready(page) if page.items.is_empty() => empty(
            "没有符合条件的记录",
            html! { <a href={AppRoute::Audit.path()} class="button">{ "查看全部" }</a> },
        ),
        Fetched::Ready(page) => html! {
            <>
                { data_table("审计记录", "audit-table", "audit-table", COLUMNS,
                    page.items.iter().map(row).collect()) }
                { pager(page.page, page.per_page, page.total, &on_page) }
            </>
        },
    };
    html! {
        <>
            <div class="audit-filters" role="search" aria-label="筛选审计记录">
                <Select id="audit-entity" name="entity" label="对象类型"
                    value={AttrValue::from(current.entity.clone().unwrap_or_default())}
                    choices={choices} on_change={on_entity} />
                <form class="field search" {onsubmit}>
                    <label for="audit-entity-id">{ "对象编号" }</label>
                    <div class="search-row">
                        <input id="audit-entity-id" name="entity_id" type="search" maxlength="100"
                            ref={id_input} placeholder="项目编号（如 B09）或月报、用户编号"
                            value={current.entity_id.clone().unwrap_or_default()} />
                        <button type="submit" class="button primary">{ "查询" }</button>
                    </div>
                </form>
            </div>
            { results_box(updating, body) }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(before: Option<Value>, after: Option<Value>) -> AuditEntry {
        AuditEntry {
            id: 1,
            at: String::new(),
            user_id: None,
            username: "(cli)".into(),
            role: "system".into(),
            organisation_id: None,
            entity: "report".into(),
            entity_id: "5".into(),
            action: "approve".into(),
            before,
            after,
            request_id: String::new(),
        }
    }

    #[test]
    fn values_read_as_words() {
        assert_eq!(value_text("state", &Value::from("approved")), "已通过");
        assert_eq!(value_text("status", &Value::from("in_progress")), "在建");
        assert_eq!(value_text("role", &Value::from("owner")), "建设单位");
        assert_eq!(value_text("x", &Value::Null), "—");
        assert_eq!(
            value_text("x", &Value::from("字".repeat(61)))
                .chars()
                .count(),
            61
        );
        let by = serde_json::json!({"id": 2, "username": "qian"});
        assert_eq!(value_text("reviewed_by", &by), "qian");
        let owners = serde_json::json!(["韶山市民政局", "雨湖区民政局"]);
        assert_eq!(value_text("owners", &owners), "韶山市民政局、雨湖区民政局");
        assert_eq!(value_text("version", &serde_json::json!(3)), "3");
    }

    #[test]
    fn only_changed_fields_are_listed() {
        let e = entry(
            Some(serde_json::json!({"state": "submitted", "version": 1})),
            Some(serde_json::json!({"state": "approved", "version": 2})),
        );
        // the version is quiet
        assert_eq!(
            changed(&e),
            [(
                "state".to_string(),
                Some("待审核".to_string()),
                "已通过".to_string()
            )]
        );
        // on a creation, blanks are left out; fields come in their order
        let created = entry(
            None,
            Some(
                serde_json::json!({"status": "in_progress", "actual_end": null, "period": "2024-06", "etag": "x"}),
            ),
        );
        let keys: Vec<String> = changed(&created).into_iter().map(|c| c.0).collect();
        assert_eq!(keys, ["period", "status"]);
        assert!(changed(&entry(None, None)).is_empty());
        let gone = entry(Some(serde_json::json!({"disabled": false})), None);
        assert_eq!(changed(&gone)[0].2, "—");
    }
}
