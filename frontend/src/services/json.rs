//! Request bodies as JSON. Every body the app sends is a flat object of strings, so a small
//! writer does what `serde_json`'s serializer would, without its weight in the wasm. Each
//! function takes its shared type apart field by field: a field added to the type breaks the
//! build here until it is sent too.

use keyproj_shared::{LoginRequest, NewUser, ReportBody, ReturnRequest, UserPatch};

/// `{"a":"1","b":"2"}` of the fields that are `Some`, strings escaped as JSON requires.
fn object(fields: &[(&str, Option<&str>)]) -> String {
    let mut out = String::from("{");
    for (name, value) in fields {
        let Some(value) = value else { continue };
        if out.len() > 1 {
            out.push(',');
        }
        string(&mut out, name);
        out.push(':');
        string(&mut out, value);
    }
    out.push('}');
    out
}

fn string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

pub fn login(r: &LoginRequest) -> String {
    let LoginRequest { username, password } = r;
    object(&[("username", Some(username)), ("password", Some(password))])
}

pub fn report(b: &ReportBody) -> String {
    let ReportBody {
        period,
        physical_progress_pct,
        investment_completed,
        social_investment_completed,
        status,
        actual_start,
        actual_end,
        progress_text,
        problems_text,
        over_total_reason,
    } = b;
    object(&[
        ("period", Some(period)),
        ("physical_progress_pct", Some(physical_progress_pct)),
        ("investment_completed", Some(investment_completed)),
        (
            "social_investment_completed",
            social_investment_completed.as_deref(),
        ),
        ("status", Some(status)),
        ("actual_start", actual_start.as_deref()),
        ("actual_end", actual_end.as_deref()),
        ("progress_text", Some(progress_text)),
        ("problems_text", Some(problems_text)),
        ("over_total_reason", over_total_reason.as_deref()),
    ])
}

pub fn return_request(r: &ReturnRequest) -> String {
    let ReturnRequest { reason } = r;
    object(&[("reason", Some(reason))])
}

pub fn new_user(u: &NewUser) -> String {
    let NewUser {
        username,
        role,
        organisation,
        password,
    } = u;
    object(&[
        ("username", Some(username)),
        ("role", Some(role)),
        ("organisation", organisation.as_deref()),
        ("password", Some(password)),
    ])
}

pub fn user_patch(p: &UserPatch) -> String {
    let UserPatch {
        role,
        organisation,
        password,
    } = p;
    object(&[
        ("role", role.as_deref()),
        ("organisation", organisation.as_deref()),
        ("password", password.as_deref()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde_json makes of the same value.
    fn serde<T: serde::Serialize>(v: &T) -> serde_json::Value {
        serde_json::to_value(v).unwrap_or_default()
    }

    fn ours(s: &str) -> serde_json::Value {
        serde_json::from_str(s).unwrap_or_default()
    }

    #[test]
    fn bodies_equal_what_serde_would_send() {
        let b = ReportBody {
            period: "2024-06".into(),
            physical_progress_pct: "45.5".into(),
            investment_completed: "88.80".into(),
            social_investment_completed: None,
            status: "in_progress".into(),
            actual_start: Some("2024-03-01".into()),
            actual_end: None,
            progress_text: "主体\"封顶\"\n\t下一步：装修\u{1}".into(),
            problems_text: String::new(),
            over_total_reason: None,
        };
        assert_eq!(ours(&report(&b)), serde(&b));
        let u = NewUser {
            username: "li".into(),
            role: "owner".into(),
            organisation: Some("韶山市民政局".into()),
            password: "a \\ long password".into(),
        };
        assert_eq!(ours(&new_user(&u)), serde(&u));
        let p = UserPatch {
            role: Some("finance".into()),
            ..UserPatch::default()
        };
        assert_eq!(ours(&user_patch(&p)), serde(&p));
        assert_eq!(user_patch(&UserPatch::default()), "{}");
        let l = LoginRequest {
            username: "qian".into(),
            password: "pw".into(),
        };
        assert_eq!(ours(&login(&l)), serde(&l));
        let r = ReturnRequest {
            reason: "不符".into(),
        };
        assert_eq!(ours(&return_request(&r)), serde(&r));
    }
}
