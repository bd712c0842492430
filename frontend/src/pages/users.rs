//! 用户: the accounts (admins only): create one, change its role, organisation or password,
//! disable or enable it. Nobody disables or re-roles themselves.

use std::rc::Rc;

use keyproj_shared::{
    AppRoute, FieldError, NEW_USER_FIELDS, NewUser, Role, USER_PATCH_FIELDS, UserItem, UserList,
    UserPatch,
};
use yew::prelude::*;

use crate::components::error_box::error_box;
use crate::components::form::{Input, form_error, input, select, server_field_errors};
use crate::components::gate::gate;
use crate::components::loading::loading;
use crate::components::select::Choice;
use crate::components::table::{Col, data_table};
use crate::hooks::{
    Auth, Draft, Fetched, answer, set_title, use_api, use_form, use_owners, use_store,
};
use crate::services::{self, ApiError};
use crate::util::local_time;

/// `/users`, for admins.
pub fn users_page(auth: &Auth) -> Html {
    set_title("用户");
    let body = match gate(auth, AppRoute::Users.roles()) {
        Ok(user) => html! { <UsersView me={user.id} /> },
        Err(instead) => instead,
    };
    html! {
        <section class="page users" data-testid="users-page">
            <h1>{ "用户管理" }</h1>
            <p class="lead">
                { "建设单位账号属于一个建设主体，只能填报和查看本单位项目的月报。停用账号或修改密码后，其登录立即失效。" }
            </p>
            { body }
        </section>
    }
}

const COLUMNS: &[Col] = &[
    ("用户名", false),
    ("角色", false),
    ("所属建设主体", false),
    ("状态", false),
    ("创建时间", false),
    ("操作", false),
];

fn role_choices() -> Vec<Choice> {
    std::iter::once((AttrValue::Static(""), AttrValue::Static("请选择")))
        .chain(
            Role::ALL
                .iter()
                .map(|r| (AttrValue::Static(r.key()), AttrValue::Static(r.label()))),
        )
        .collect()
}

fn org_choices(owners: Option<&Rc<Vec<String>>>, current: &str) -> Vec<Choice> {
    let mut out = vec![(AttrValue::Static(""), AttrValue::Static("请选择"))];
    if let Some(list) = owners {
        out.extend(list.iter().map(|o| {
            let o = AttrValue::from(o.clone());
            (o.clone(), o)
        }));
    }
    if !current.is_empty() && !out.iter().any(|(v, _)| v == current) {
        let o = AttrValue::from(current.to_string());
        out.push((o.clone(), o));
    }
    out
}

/// A 409 on a new account means the name is taken: said at the name.
fn created_failure(e: &ApiError) -> Option<Vec<FieldError>> {
    if e.status() == Some(409) {
        let message = e.detail().unwrap_or_else(|| "该用户名已被使用".to_string());
        return Some(vec![FieldError::new("username", message)]);
    }
    server_field_errors(e, NEW_USER_FIELDS)
}

#[derive(Default)]
struct Users {
    /// The user whose edit form is open.
    editing: Option<i64>,
    /// What the last change came to: (succeeded, words).
    message: Option<(bool, String)>,
    /// Counts the accounts created: each gets a fresh, empty form.
    generation: u32,
}

#[derive(Properties, PartialEq)]
struct UsersViewProps {
    me: i64,
}

#[component]
fn UsersView(props: &UsersViewProps) -> Html {
    let api = use_api(AttrValue::Static("users"), |_| {
        Box::pin(async { answer(services::users().await) })
    });
    let owners = use_owners();
    let store = use_store(Users::default);

    let done = {
        let (retry, store) = (api.retry.clone(), store.clone());
        Callback::from(move |(ok, text): (bool, String)| {
            store.update(|s| {
                s.message = Some((ok, text));
                if ok {
                    s.editing = None;
                }
            });
            retry.emit(());
        })
    };
    let on_created = {
        let (done, store) = (done.clone(), store.clone());
        Callback::from(move |u: UserItem| {
            store.update(|s| s.generation += 1);
            done.emit((
                true,
                format!("已创建用户 {}（{}）。", u.username, u.role.label()),
            ));
        })
    };
    let toggle = {
        let done = done.clone();
        Callback::from(move |u: Rc<UserItem>| {
            let done = done.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let disable = !u.disabled;
                done.emit(match services::set_user_disabled(u.id, disable).await {
                    Ok(u) if u.disabled => (true, format!("已停用用户 {}。", u.username)),
                    Ok(u) => (true, format!("已启用用户 {}。", u.username)),
                    Err(e) => (false, e.to_string()),
                });
            });
        })
    };

    let st = store.get();
    let notice = st.message.as_ref().map(|(ok, text)| {
        html! {
            <p class={if *ok { "form-alert ok" } else { "form-alert error" }} role="status"
                data-testid="users-message">
                { text.clone() }
            </p>
        }
    });
    let list = match api.get_refreshing::<UserList>() {
        Fetched::Loading => loading(),
        Fetched::Failed(e) => error_box(e, &api.retry, Html::default()),
        Fetched::Ready(list) => {
            let rows = list.items.iter().map(|u| {
                let u = Rc::new(u.clone());
                let me = u.id == props.me;
                let edit = {
                    let (store, id) = (store.clone(), u.id);
                    Callback::from(move |_: MouseEvent| store.update(|s| s.editing = Some(id)))
                };
                let flip = {
                    let (toggle, u) = (toggle.clone(), Rc::clone(&u));
                    Callback::from(move |_: MouseEvent| toggle.emit(Rc::clone(&u)))
                };
                let editor = (st.editing == Some(u.id)).then(|| {
                    let cancel = {
                        let store = store.clone();
                        Callback::from(move |()| store.update(|s| s.editing = None))
                    };
                    html! {
                        <tr class="edit-row">
                            <td colspan="6">
                                <EditUser user={Rc::clone(&u)} owners={owners.clone()}
                                    on_done={done.clone()} on_cancel={cancel} />
                            </td>
                        </tr>
                    }
                });
                html! {
                    <>
                        <tr data-testid="user-row" data-username={u.username.clone()}
                            data-disabled={if u.disabled { "true" } else { "false" }}>
                            <td>
                                { &u.username }
                                if me {
                                    <span class="badge muted">{ "当前登录" }</span>
                                }
                            </td>
                            <td>{ u.role.label() }</td>
                            <td>{ u.organisation.as_ref().map_or("—", |o| o.name.as_str()) }</td>
                            <td>
                                if u.disabled {
                                    <span class="badge bad">{ "已停用" }</span>
                                } else {
                                    <span class="badge ok">{ "启用" }</span>
                                }
                            </td>
                            <td class="nowrap">{ local_time(&u.created_at) }</td>
                            <td class="row-actions">
                                <button type="button" class="button" onclick={edit}
                                    data-testid="user-edit" aria-label={format!("修改 {}", u.username)}>
                                    { "修改" }
                                </button>
                                if !me {
                                    <button type="button" class="button" onclick={flip}
                                        data-testid={if u.disabled { "user-enable" } else { "user-disable" }}
                                        aria-label={format!("{} {}", if u.disabled { "启用" } else { "停用" }, u.username)}>
                                        { if u.disabled { "启用" } else { "停用" } }
                                    </button>
                                }
                            </td>
                        </tr>
                        { for editor }
                    </>
                }
            });
            data_table("用户列表", "users", "users-table", COLUMNS, rows.collect())
        }
    };
    html! {
        <>
            { for notice }
            <h2 id="new-user-title">{ "新建用户" }</h2>
            <NewUserForm key={st.generation} owners={owners.clone()} on_created={on_created} />
            <h2>{ "全部用户" }</h2>
            { list }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct NewUserFormProps {
    owners: Option<Rc<Vec<String>>>,
    on_created: Callback<UserItem>,
}

impl Draft for NewUser {}

/// The account to create, or what is wrong with it.
fn check_new(d: &mut NewUser) -> Result<NewUser, Vec<FieldError>> {
    let mut errors = d.validate();
    if d.role.is_empty() {
        for e in errors.iter_mut().filter(|e| e.field == "role") {
            e.message = "请选择角色".to_string();
        }
    }
    if errors.is_empty() {
        Ok(d.clone())
    } else {
        Err(errors)
    }
}

#[component]
fn NewUserForm(props: &NewUserFormProps) -> Html {
    let form = use_form("new-user-form", || NewUser {
        username: String::new(),
        role: String::new(),
        organisation: None,
        password: String::new(),
    });
    let onsubmit = {
        let form = form.clone();
        let on_created = props.on_created.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(user) = form.submit(check_new) else {
                return;
            };
            let (form, on_created) = (form.clone(), on_created.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::create_user(&user).await {
                    Ok(u) => {
                        form.finish(|_| ());
                        on_created.emit(u);
                    }
                    Err(e) => {
                        let at_fields = created_failure(&e);
                        form.refuse(e, at_fields);
                    }
                }
            });
        })
    };
    let s = form.get();
    let d = &s.draft;
    let org = d.organisation.clone().unwrap_or_default();
    html! {
        <form id="new-user-form" class="form" novalidate=true {onsubmit}
            aria-labelledby="new-user-title" data-testid="new-user-form">
            <div class="form-grid">
                { input(Input {
                    id: "new-username", field: "username", label: "用户名", value: &d.username,
                    required: true, autocomplete: "off", ..Input::default()
                }, &s.errors, &form.setter(|d, v| d.username = v)) }
                { select(Input {
                    id: "new-role", field: "role", label: "角色", value: &d.role,
                    required: true, ..Input::default()
                }, &role_choices(), &s.errors, &form.setter(|d, v| {
                    if v != Role::Owner.key() {
                        d.organisation = None;
                    }
                    d.role = v;
                })) }
                { select(Input {
                    id: "new-organisation", field: "organisation", label: "所属建设主体",
                    value: &org, disabled: d.role != "owner", required: d.role == "owner",
                    ..Input::default()
                }, &org_choices(props.owners.as_ref(), &org), &s.errors,
                    &form.setter(|d, v| d.organisation = Some(v).filter(|o| !o.is_empty()))) }
                { input(Input {
                    id: "new-password", field: "password", label: "初始密码", value: &d.password,
                    kind: "password", required: true, autocomplete: "new-password",
                    hint: "至少 10 个字符；请通过安全渠道告知本人".into(), ..Input::default()
                }, &s.errors, &form.setter(|d, v| d.password = v)) }
            </div>
            if let Some((e, at_fields)) = &s.failure {
                { form_error(e, *at_fields) }
            }
            <div class="form-actions">
                <button type="submit" class="button primary" disabled={s.busy}
                    data-testid="new-user-submit">
                    { if s.busy { "正在创建…" } else { "创建用户" } }
                </button>
            </div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct EditUserProps {
    user: Rc<UserItem>,
    owners: Option<Rc<Vec<String>>>,
    /// (succeeded, what to tell the admin)
    on_done: Callback<(bool, String)>,
    on_cancel: Callback<()>,
}

/// The change an edit makes: only what differs from the user as read.
fn patch_of(u: &UserItem, role: &str, org: &str, password: &str) -> UserPatch {
    let current_org = u.organisation.as_ref().map_or("", |o| o.name.as_str());
    UserPatch {
        role: (role != u.role.key()).then(|| role.to_string()),
        organisation: (role == "owner" && org != current_org).then(|| org.to_string()),
        password: (!password.is_empty()).then(|| password.to_string()),
    }
}

/// The edit form's values.
struct EditDraft {
    role: String,
    organisation: String,
    password: String,
}

impl Draft for EditDraft {}

#[component]
fn EditUser(props: &EditUserProps) -> Html {
    let u = &props.user;
    let form = {
        let u = Rc::clone(u);
        use_form("edit-user-form", move || EditDraft {
            role: u.role.key().to_string(),
            organisation: u
                .organisation
                .as_ref()
                .map(|o| o.name.clone())
                .unwrap_or_default(),
            password: String::new(),
        })
    };
    let onsubmit = {
        let form = form.clone();
        let (user, on_done) = (Rc::clone(&props.user), props.on_done.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(patch) = form.submit(|d| {
                let patch = patch_of(&user, &d.role, &d.organisation, &d.password);
                let current = user.organisation.as_ref().map(|o| o.name.as_str());
                patch
                    .parse()
                    .and_then(|v| v.apply_to(user.role, current).map_err(|e| vec![e]))
                    .map(|_| patch)
            }) else {
                return;
            };
            let (form, user, on_done) = (form.clone(), Rc::clone(&user), on_done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::update_user(user.id, &user.etag, &patch).await {
                    Ok(u) => {
                        form.finish(|_| ());
                        on_done.emit((true, format!("已修改用户 {}。", u.username)));
                    }
                    Err(e) if e.status() == Some(412) => {
                        form.finish(|_| ());
                        on_done.emit((
                            false,
                            format!(
                                "用户 {} 已被他人修改，已重新读取，请再次修改。",
                                user.username
                            ),
                        ));
                    }
                    Err(e) => {
                        let at_fields = server_field_errors(&e, USER_PATCH_FIELDS);
                        form.refuse(e, at_fields);
                    }
                }
            });
        })
    };
    let cancel = {
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |_: MouseEvent| on_cancel.emit(()))
    };
    let s = form.get();
    let d = &s.draft;
    html! {
        <form id="edit-user-form" class="form edit-user" novalidate=true {onsubmit}
            data-testid="edit-user-form"
            aria-label={format!("修改用户 {}", u.username)}>
            <div class="form-grid">
                { select(Input {
                    id: "edit-role", field: "role", label: "角色", value: &d.role,
                    ..Input::default()
                }, &role_choices()[1..], &s.errors, &form.setter(|d, v| d.role = v)) }
                { select(Input {
                    id: "edit-organisation", field: "organisation", label: "所属建设主体",
                    value: &d.organisation, disabled: d.role != Role::Owner.key(), ..Input::default()
                }, &org_choices(props.owners.as_ref(), &d.organisation), &s.errors,
                    &form.setter(|d, v| d.organisation = v)) }
                { input(Input {
                    id: "edit-password", field: "password", label: "新密码", value: &d.password,
                    kind: "password", autocomplete: "new-password",
                    hint: "不修改请留空；修改后该用户须重新登录".into(), ..Input::default()
                }, &s.errors, &form.setter(|d, v| d.password = v)) }
            </div>
            if let Some((e, at_fields)) = &s.failure {
                { form_error(e, *at_fields) }
            }
            <div class="form-actions">
                <button type="submit" class="button primary" disabled={s.busy}
                    data-testid="edit-user-submit">{ "保存" }</button>
                <button type="button" class="button" onclick={cancel}>{ "取消" }</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use keyproj_shared::Owner;

    use super::*;

    #[test]
    fn an_edit_sends_only_what_changed() {
        let u = UserItem {
            id: 3,
            username: "zhang".into(),
            role: Role::Owner,
            organisation: Some(Owner {
                id: 1,
                name: "韶山市民政局".into(),
            }),
            disabled: false,
            created_at: String::new(),
            version: 1,
            etag: "\"u3-v1\"".into(),
        };
        assert_eq!(
            patch_of(&u, "owner", "韶山市民政局", ""),
            UserPatch::default()
        );
        let p = patch_of(&u, "finance", "韶山市民政局", "");
        assert_eq!(p.role.as_deref(), Some("finance"));
        assert_eq!(p.organisation, None);
        let p = patch_of(&u, "owner", "雨湖区民政局", "a new password");
        assert_eq!(p.organisation.as_deref(), Some("雨湖区民政局"));
        assert_eq!(p.password.as_deref(), Some("a new password"));
    }
}
