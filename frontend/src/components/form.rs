//! Form fields that show their own error messages, in Chinese, right at the field (and tell
//! screen readers which message belongs to which field). Props only: the page keeps the
//! values and the errors (`hooks::use_form`), and each field reports its new value to the
//! setter of its own field.

use keyproj_shared::FieldError;
use yew::prelude::*;

use super::select::Choice;
use crate::services::ApiError;

/// One text input or text area.
#[derive(Default)]
pub struct Input<'a> {
    /// The DOM id; also names the error message (`{id}-error`).
    pub id: &'static str,
    /// The field as the API names it, to find its errors (the value goes to the setter
    /// the field is drawn with, not by this name).
    pub field: &'static str,
    pub label: &'static str,
    pub value: &'a str,
    /// `text` (default), `password`; `textarea` for several lines.
    pub kind: &'static str,
    /// Shown after the input, e.g. "万元".
    pub unit: &'static str,
    /// Under the label: the expected form, e.g. "YYYY-MM".
    pub hint: String,
    pub required: bool,
    pub autocomplete: &'static str,
    pub inputmode: &'static str,
    pub disabled: bool,
}

/// The messages for `field`, joined.
pub fn error_for(errors: &[FieldError], field: &str) -> Option<String> {
    let found: Vec<&str> = errors
        .iter()
        .filter(|e| e.field == field)
        .map(|e| e.message.as_str())
        .collect();
    (!found.is_empty()).then(|| found.join("；"))
}

fn attr(s: &'static str) -> Option<AttrValue> {
    (!s.is_empty()).then_some(AttrValue::Static(s))
}

/// The field with its label, hint, unit and error message.
pub fn input(i: Input<'_>, errors: &[FieldError], set: &Callback<String>) -> Html {
    let error = error_for(errors, i.field);
    let error_id = format!("{}-error", i.id);
    let hint_id = format!("{}-hint", i.id);
    let described = match (error.is_some(), i.hint.is_empty()) {
        (true, true) => Some(error_id.clone()),
        (true, false) => Some(format!("{error_id} {hint_id}")),
        (false, false) => Some(hint_id.clone()),
        (false, true) => None,
    };
    let field = i.field;
    let emit = set.clone();
    let control = if i.kind == "textarea" {
        let oninput = Callback::from(move |e: InputEvent| {
            let t: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            emit.emit(t.value());
        });
        html! {
            <textarea id={i.id} name={i.field} rows="3" value={i.value.to_string()}
                aria-invalid={error.is_some().then_some("true")}
                aria-describedby={described} disabled={i.disabled} {oninput} />
        }
    } else {
        let oninput = Callback::from(move |e: InputEvent| {
            let t: web_sys::HtmlInputElement = e.target_unchecked_into();
            emit.emit(t.value());
        });
        html! {
            <input id={i.id} name={i.field} type={if i.kind.is_empty() { "text" } else { i.kind }}
                value={i.value.to_string()} required={i.required} disabled={i.disabled}
                autocomplete={attr(i.autocomplete)} inputmode={attr(i.inputmode)}
                aria-invalid={error.is_some().then_some("true")}
                aria-describedby={described} {oninput} />
        }
    };
    html! {
        <div class={classes!("form-field", (i.kind == "textarea").then_some("wide"))}>
            <label for={i.id}>
                { i.label }
                if i.required {
                    <span class="required" aria-hidden="true">{ "*" }</span>
                }
            </label>
            <div class="control">
                { control }
                if !i.unit.is_empty() {
                    <span class="unit">{ i.unit }</span>
                }
            </div>
            if !i.hint.is_empty() {
                <p class="hint" id={hint_id}>{ i.hint }</p>
            }
            { field_error(error_id, field, error) }
        </div>
    }
}

/// The message under a field, if it has one.
pub fn field_error(id: String, field: &'static str, error: Option<String>) -> Html {
    match error {
        Some(message) => html! {
            <p class="field-error" id={id} data-testid="field-error" data-field={field}>
                { message }
            </p>
        },
        None => html! {},
    }
}

/// A form's answer from the server, above its buttons: the error, or what was done.
pub fn form_error(error: &ApiError, shown_at_fields: bool) -> Html {
    let detail = if shown_at_fields {
        Some("请按各栏下方的提示修改后再提交。".to_string())
    } else {
        error.detail()
    };
    // Field errors no field shows (e.g. a header) are listed here.
    let others = if shown_at_fields {
        &[][..]
    } else {
        error.field_errors()
    };
    html! {
        <div class="form-alert error" role="alert" data-testid="form-error"
            data-status={error.status().map(|s| s.to_string())}>
            <p class="error-title">{ error.title() }</p>
            if let Some(d) = detail {
                <p>{ d }</p>
            }
            if !others.is_empty() {
                <ul class="error-fields">
                    { for others.iter().map(|e| html! {
                        <li>{ format!("{}：{}", e.field, e.message) }</li>
                    }) }
                </ul>
            }
        </div>
    }
}

/// Puts the server's field errors of a 422 where the form shows them; `None` when the
/// error is not about fields the form has.
pub fn server_field_errors(error: &ApiError, fields: &[&str]) -> Option<Vec<FieldError>> {
    let errors = error.field_errors();
    (error.status() == Some(422)
        && !errors.is_empty()
        && errors.iter().all(|e| fields.contains(&e.field.as_str())))
    .then(|| errors.to_vec())
}

/// A drop-down field; `choices` are (value, words), the first usually "请选择". The
/// `selected` option follows `i.value` only when the form is drawn anew.
pub fn select(
    i: Input<'_>,
    choices: &[Choice],
    errors: &[FieldError],
    set: &Callback<String>,
) -> Html {
    let error = error_for(errors, i.field);
    let error_id = format!("{}-error", i.id);
    let field = i.field;
    let emit = set.clone();
    let onchange = Callback::from(move |e: Event| {
        let t: web_sys::HtmlSelectElement = e.target_unchecked_into();
        emit.emit(t.value());
    });
    html! {
        <div class="form-field">
            <label for={i.id}>
                { i.label }
                if i.required {
                    <span class="required" aria-hidden="true">{ "*" }</span>
                }
            </label>
            <div class="control">
                <select id={i.id} name={i.field} disabled={i.disabled} {onchange}
                    aria-invalid={error.is_some().then_some("true")}
                    aria-describedby={error.is_some().then(|| error_id.clone())}>
                    { for choices.iter().map(|(value, words)| html! {
                        <option value={value.clone()} selected={value == i.value}>{ words.clone() }</option>
                    }) }
                </select>
            </div>
            { field_error(error_id, field, error) }
        </div>
    }
}
