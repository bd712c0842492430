//! 登录. After logging in the app goes back where the user came from (`?next=`), or to the
//! page their role works on.

use keyproj_shared::{AppRoute, FieldError, Role, SessionUser};
use yew::prelude::*;

use crate::components::form::{Input, form_error, input};
use crate::hooks::{Auth, Draft, use_form, use_title};
use crate::services::query_string::parse_pairs;
use crate::services::{self, nav};

#[derive(Properties, PartialEq)]
pub struct LoginPageProps {
    pub search: AttrValue,
    pub auth: Auth,
}

/// Where to go after logging in: `next` when it is a page of the app, else the role's page.
fn destination(search: &str, user: &SessionUser) -> String {
    let next = parse_pairs(search)
        .into_iter()
        .find(|(k, _)| k == "next")
        .map(|(_, v)| v)
        .filter(|v| nav::is_app_href(v) && !v.starts_with("/login"));
    next.unwrap_or_else(|| {
        match user.role {
            Role::Owner => AppRoute::MyProjects,
            Role::Finance | Role::Admin => AppRoute::Review,
            Role::Planner => AppRoute::Projects,
        }
        .path()
    })
}

#[derive(Default)]
struct Login {
    username: String,
    password: String,
}

impl Draft for Login {}

/// What is sent, or what is missing.
fn check(d: &mut Login) -> Result<(String, String), Vec<FieldError>> {
    let mut errors = Vec::new();
    if d.username.trim().is_empty() {
        errors.push(FieldError::new("username", "请输入用户名"));
    }
    if d.password.is_empty() {
        errors.push(FieldError::new("password", "请输入密码"));
    }
    if errors.is_empty() {
        Ok((d.username.trim().to_string(), d.password.clone()))
    } else {
        Err(errors)
    }
}

#[component]
pub fn LoginPage(props: &LoginPageProps) -> Html {
    use_title("登录".to_string());
    let form = use_form("login-form", Login::default);
    let onsubmit = {
        let form = form.clone();
        let set = props.auth.set.clone();
        let search = props.search.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some((name, pw)) = form.submit(check) else {
                return;
            };
            let (form, set, search) = (form.clone(), set.clone(), search.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match services::login(&name, &pw).await {
                    Ok(info) => {
                        form.finish(|_| ());
                        let to = destination(&search, &info.user);
                        set.emit(Some(info.user));
                        nav::push(&to);
                    }
                    Err(e) => {
                        form.update(|d| d.password.clear());
                        form.refuse(e, None);
                    }
                }
            });
        })
    };

    let s = form.get();
    let message = s.failure.as_ref().map(|(e, _)| match e.status() {
        Some(401) => html! {
            <div class="form-alert error" role="alert" data-testid="login-error">
                <p class="error-title">{ "用户名或密码不正确" }</p>
                <p>{ "请检查后重新输入。多次失败后需等待一段时间才能再次登录。" }</p>
            </div>
        },
        _ => html! { <div data-testid="login-error">{ form_error(e, false) }</div> },
    });
    let logged_in = props.auth.user().map(|u| {
        html! {
            <p class="note" data-testid="already-logged-in">
                { format!("当前已登录为 {}（{}）。可以用其他账号重新登录。", u.username, u.role.label()) }
            </p>
        }
    });

    html! {
        <section class="page login" data-testid="login-page">
            <div class="login-box">
                <h1>{ "登录" }</h1>
                <p class="lead">{ "填报进度、审核月报和管理用户须登录。查阅项目无需登录。" }</p>
                { for logged_in }
                <form id="login-form" class="form" novalidate=true {onsubmit}>
                    { input(Input {
                        id: "login-username", field: "username", label: "用户名",
                        value: &s.draft.username, required: true, autocomplete: "username",
                        ..Input::default()
                    }, &s.errors, &form.setter(|d, v| d.username = v)) }
                    { input(Input {
                        id: "login-password", field: "password", label: "密码",
                        value: &s.draft.password, kind: "password", required: true,
                        autocomplete: "current-password",
                        ..Input::default()
                    }, &s.errors, &form.setter(|d, v| d.password = v)) }
                    { for message }
                    <div class="form-actions">
                        <button type="submit" class="button primary" disabled={s.busy}
                            data-testid="login-submit">
                            { if s.busy { "正在登录…" } else { "登录" } }
                        </button>
                    </div>
                </form>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role) -> SessionUser {
        SessionUser {
            id: 1,
            username: "u".into(),
            role,
            organisation: None,
        }
    }

    #[test]
    fn a_login_needs_both_fields_and_sends_the_name_trimmed() {
        let mut empty = Login::default();
        let fields: Vec<String> = check(&mut empty)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["username", "password"]);
        let mut filled = Login {
            username: " qian ".into(),
            password: " pw ".into(),
        };
        assert_eq!(
            check(&mut filled),
            Ok(("qian".to_string(), " pw ".to_string()))
        );
    }

    #[test]
    fn after_login_the_app_goes_back_or_to_the_roles_page() {
        assert_eq!(
            destination("next=%2Fprojects%2FB09", &user(Role::Owner)),
            "/projects/B09"
        );
        assert_eq!(destination("", &user(Role::Owner)), "/my-projects");
        assert_eq!(destination("", &user(Role::Finance)), "/review");
        // never away from the app, nor back to the login
        assert_eq!(
            destination("next=https%3A%2F%2Fevil.example", &user(Role::Planner)),
            "/projects"
        );
        assert_eq!(destination("next=%2Flogin", &user(Role::Admin)), "/review");
    }
}
