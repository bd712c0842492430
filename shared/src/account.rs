//! Accounts and sessions on the wire: logging in, who is logged in, managing users.
//!
//! The session itself travels in the `keyproj_session` cookie (HttpOnly, so the web app
//! never sees it); these types are the JSON around it.

use crate::edit::MAX_OWNER_CHARS;
use crate::problem::FieldError;
use crate::project::Owner;
use crate::text::{self, Lines};
use crate::vocab::Role;
use crate::wire::wire;
use unicode_normalization::UnicodeNormalization;

/// A password has at least this many characters (characters, not bytes: `密码` counts 2).
pub const MIN_PASSWORD_CHARS: usize = 10;
/// And at most this many, which bounds the hashing work one request can cause.
pub const MAX_PASSWORD_CHARS: usize = 1024;
pub const MAX_USERNAME_CHARS: usize = 64;

wire! {
    /// The body of `POST /api/session`.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct LoginRequest {
        pub username: String,
        pub password: String,
    }
}

wire! {
    /// The logged-in user, as `GET /api/session` and `POST /api/session` answer.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct SessionUser {
        pub id: i64,
        pub username: String,
        pub role: Role,
        /// The owner organisation, for owners only; the same `{id, name}` as a project's
        /// `owners[]`, so `GET /api/projects?owner=<name>` lists "my projects".
        pub organisation: Option<Owner>,
    }
}

/// A cookie that says only "this browser logged in" (value `1`), set and removed with the
/// HttpOnly session cookie. Not a secret and never trusted by the server: the web app reads it
/// to skip `GET /api/session` when nobody can be logged in, so an anonymous visit makes no
/// request that answers 401 (a console error in every browser).
pub const SIGNED_IN_COOKIE: &str = "keyproj_signed_in";

wire! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct SessionInfo {
        pub user: SessionUser,
        /// When the session ends whatever happens (UTC, RFC 3339).
        pub expires_at: String,
        /// The session also ends after this many seconds without a request.
        pub idle_timeout_secs: u64,
    }
}

wire! {
    /// One account, as the users page shows it.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct UserItem {
        pub id: i64,
        pub username: String,
        pub role: Role,
        pub organisation: Option<Owner>,
        pub disabled: bool,
        /// UTC, RFC 3339.
        pub created_at: String,
        pub version: i64,
        /// Send this back as `If-Match` to change the user, e.g. `"u3-v2"` (quotes included).
        pub etag: String,
    }
}

wire! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct UserList {
        pub items: Vec<UserItem>,
    }
}

wire! {
    /// The body of `POST /api/users`.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct NewUser {
        pub username: String,
        /// `admin`, `planner`, `finance` or `owner`.
        pub role: String,
        /// Owners only: the organisation's name exactly as a project's `owners[].name` gives it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub organisation: Option<String>,
        pub password: String,
    }
}

wire! {
    /// The body of `PATCH /api/users/{id}`; absent fields stay as they are.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct UserPatch {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub role: Option<String>,
        /// An organisation name; required when the user is (or becomes) an owner, and cleared
        /// automatically when they stop being one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub organisation: Option<String>,
        /// A new password; the user's sessions end at once.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub password: Option<String>,
    }
}

/// The message of the one error that says a user patch changes nothing.
pub const NOTHING_TO_CHANGE_USER: &str = "没有要修改的内容：请指定 role、organisation 或 password";

pub const NEW_USER_FIELDS: &[&str] = &["username", "role", "organisation", "password"];
pub const USER_PATCH_FIELDS: &[&str] = &["role", "organisation", "password"];

/// What is wrong with a password, if anything.
pub fn password_problem(password: &str) -> Option<String> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        Some(format!("密码至少 {MIN_PASSWORD_CHARS} 个字符"))
    } else if n > MAX_PASSWORD_CHARS {
        Some(format!("密码最多 {MAX_PASSWORD_CHARS} 个字符"))
    } else {
        None
    }
}

/// A username as stored and compared: trimmed and in Unicode NFKC, so that look-alike forms
/// of one name (fullwidth `ｚｈａｎｇ`, ligatures) are that name.
pub fn normalize_username(raw: &str) -> String {
    raw.trim().nfkc().collect()
}

/// Whether `c` may be in a username: a letter or digit that has no case (汉字 and the like),
/// an ASCII letter or digit, or `.`, `_`, `-`. Letters with case are ASCII only, so that
/// "the same name in another case" means the same on every database (SQL `lower()` folds
/// ASCII everywhere); no space, control, zero-width, bidi or other format character.
fn username_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '.' | '_' | '-')
        || (c.is_alphanumeric()
            && !c.is_ascii()
            && c.to_lowercase().eq([c])
            && c.to_uppercase().eq([c]))
}

/// What is wrong with a (normalised) username, if anything: 1-64 characters of the safe set.
pub fn username_problem(username: &str) -> Option<String> {
    let n = username.chars().count();
    if n == 0 {
        Some("用户名不能为空".to_string())
    } else if n > MAX_USERNAME_CHARS {
        Some(format!("用户名最多 {MAX_USERNAME_CHARS} 个字符"))
    } else {
        username.chars().find(|&c| !username_char(c)).map(|c| {
            format!(
                "用户名只能含汉字等文字、英文字母、数字和 . _ -，不能含 U+{:04X}",
                c as u32
            )
        })
    }
}

fn role_of(s: &str) -> Result<Role, String> {
    s.parse::<Role>().map_err(|_| {
        let names: Vec<_> = Role::ALL.iter().map(|r| r.key()).collect();
        format!("未知角色；可选: {}", names.join(", "))
    })
}

/// A valid new account: the role parsed, the organisation still a name to look up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidNewUser {
    pub username: String,
    pub role: Role,
    pub organisation: Option<String>,
    pub password: String,
}

/// Owners need an organisation; nobody else may have one.
fn organisation_rule(role: Role, organisation: Option<&str>) -> Option<FieldError> {
    match (role, organisation) {
        (Role::Owner, None) => Some(FieldError::new(
            "organisation",
            "建设单位账号必须指定所属建设主体",
        )),
        (r, Some(_)) if r != Role::Owner => Some(FieldError::new(
            "organisation",
            "只有建设单位账号属于建设主体",
        )),
        _ => None,
    }
}

fn blank_to_none(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// An organisation name is a name like a project's owners: one line of text.
fn organisation_text(errors: &mut Vec<FieldError>, organisation: Option<&str>) {
    if let Some(o) = organisation
        && let Err(e) = text::check("organisation", o, MAX_OWNER_CHARS, Lines::One)
    {
        errors.push(e);
    }
}

impl NewUser {
    pub fn validate(&self) -> Vec<FieldError> {
        self.parse().err().unwrap_or_default()
    }

    pub fn parse(&self) -> Result<ValidNewUser, Vec<FieldError>> {
        let mut errors = Vec::new();
        let username = normalize_username(&self.username);
        if let Some(m) = username_problem(&username) {
            errors.push(FieldError::new("username", m));
        }
        let role = role_of(self.role.trim())
            .map_err(|m| errors.push(FieldError::new("role", m)))
            .ok();
        let organisation = blank_to_none(&self.organisation);
        organisation_text(&mut errors, organisation);
        if let Some(role) = role
            && let Some(e) = organisation_rule(role, organisation)
        {
            errors.push(e);
        }
        if let Some(m) = password_problem(&self.password) {
            errors.push(FieldError::new("password", m));
        }
        match role {
            Some(role) if errors.is_empty() => Ok(ValidNewUser {
                username,
                role,
                organisation: organisation.map(str::to_string),
                password: self.password.clone(),
            }),
            _ => Err(errors),
        }
    }
}

/// A valid change to an account.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValidUserPatch {
    pub role: Option<Role>,
    pub organisation: Option<String>,
    pub password: Option<String>,
}

impl UserPatch {
    pub fn validate(&self) -> Vec<FieldError> {
        self.parse().err().unwrap_or_default()
    }

    /// Checks each field on its own; whether role and organisation fit together depends on
    /// the user's current role too, which `ValidUserPatch::apply_to` decides.
    pub fn parse(&self) -> Result<ValidUserPatch, Vec<FieldError>> {
        let mut errors = Vec::new();
        let role = match self.role.as_deref().map(str::trim) {
            Some(r) => role_of(r)
                .map_err(|m| errors.push(FieldError::new("role", m)))
                .ok(),
            None => None,
        };
        if let Some(p) = &self.password
            && let Some(m) = password_problem(p)
        {
            errors.push(FieldError::new("password", m));
        }
        organisation_text(&mut errors, blank_to_none(&self.organisation));
        if self.role.is_none() && self.organisation.is_none() && self.password.is_none() {
            errors.push(FieldError::new("role", NOTHING_TO_CHANGE_USER));
        }
        if errors.is_empty() {
            Ok(ValidUserPatch {
                role,
                organisation: blank_to_none(&self.organisation).map(str::to_string),
                password: self.password.clone(),
            })
        } else {
            Err(errors)
        }
    }
}

impl ValidUserPatch {
    /// The role and organisation name the user ends up with, given what they have now.
    pub fn apply_to(
        &self,
        current_role: Role,
        current_organisation: Option<&str>,
    ) -> Result<(Role, Option<String>), FieldError> {
        let role = self.role.unwrap_or(current_role);
        let organisation = match (&self.organisation, role) {
            (Some(o), _) => Some(o.clone()),
            // an owner keeps their organisation unless told otherwise
            (None, Role::Owner) => current_organisation.map(str::to_string),
            (None, _) => None,
        };
        match organisation_rule(role, organisation.as_deref()) {
            Some(e) => Err(e),
            None => Ok((role, organisation)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_user(role: &str, org: Option<&str>, password: &str) -> NewUser {
        NewUser {
            username: "zhang".into(),
            role: role.into(),
            organisation: org.map(Into::into),
            password: password.into(),
        }
    }

    fn fields(e: Vec<FieldError>) -> Vec<String> {
        e.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn usernames_are_normalised_and_hold_only_the_safe_set() {
        assert_eq!(normalize_username(" ｚｈａｎｇ "), "zhang");
        for good in ["zhang", "Zhang.San_1-2", "张三", "李四2024"] {
            assert_eq!(username_problem(good), None, "{good:?}");
        }
        for bad in [
            "zh\u{200B}ang",
            "ad\u{202E}nim",
            "a b",
            "a\u{0}",
            "Émile",
            "Иван",
            "a@b",
            "😀",
        ] {
            assert!(
                username_problem(&normalize_username(bad)).is_some(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn passwords_are_counted_in_characters() {
        assert!(password_problem("一二三四五六七八九").is_some());
        assert!(password_problem("一二三四五六七八九十").is_none());
        assert!(password_problem(&"x".repeat(64)).is_none());
        assert!(password_problem(&"x".repeat(MAX_PASSWORD_CHARS + 1)).is_some());
    }

    #[test]
    fn owners_need_an_organisation_and_nobody_else_has_one() {
        let ok = "long enough password";
        assert_eq!(
            fields(new_user("owner", None, ok).validate()),
            ["organisation"]
        );
        assert_eq!(
            fields(new_user("finance", Some("韶山市民政局"), ok).validate()),
            ["organisation"]
        );
        assert!(new_user("owner", Some("韶山市民政局"), ok).parse().is_ok());
        assert_eq!(
            fields(new_user("boss", None, "short").validate()),
            ["role", "password"]
        );
    }

    #[test]
    fn leaving_the_owner_role_drops_the_organisation() {
        let p = ValidUserPatch {
            role: Some(Role::Finance),
            ..Default::default()
        };
        assert_eq!(
            p.apply_to(Role::Owner, Some("韶山市民政局")),
            Ok((Role::Finance, None))
        );
        let p = ValidUserPatch {
            role: Some(Role::Owner),
            ..Default::default()
        };
        assert!(p.apply_to(Role::Planner, None).is_err());
    }
}
