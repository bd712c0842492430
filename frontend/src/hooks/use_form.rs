//! `use_form`: what every form of the app keeps beside its values — the messages at the
//! fields, the server's refusal, whether a submission is under way — and how it submits:
//! once at a time, and with the focus on the first field in error when it is refused.
//!
//! Each field is set through a setter of its own, a function that writes that field of the
//! draft (`form.setter(|d: &mut Login, v| d.username = v)`): a field has no name by which a
//! value could land in another one.

use std::cell::Ref;

use keyproj_shared::FieldError;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::use_store::{Store, use_store};
use crate::services::ApiError;

/// The values of a form, as the page defines them.
pub trait Draft: 'static {
    /// After any field changed (e.g. to check again as the user types); nothing by default.
    fn changed(_form: &mut FormState<Self>)
    where
        Self: Sized,
    {
    }
}

/// A form's whole state.
pub struct FormState<D> {
    pub draft: D,
    /// The messages shown at the fields.
    pub errors: Vec<FieldError>,
    /// The server's refusal, and whether its messages are shown at the fields.
    pub failure: Option<(ApiError, bool)>,
    /// A submission is under way: the button is disabled and a second one is refused.
    pub busy: bool,
    /// Counts refusals; each moves the focus to the first field in error.
    focus: u32,
}

pub struct Form<D> {
    store: Store<FormState<D>>,
}

impl<D> Clone for Form<D> {
    fn clone(&self) -> Self {
        Form {
            store: self.store.clone(),
        }
    }
}

impl<D: Draft> Form<D> {
    /// The state, to draw from.
    pub fn get(&self) -> Ref<'_, FormState<D>> {
        self.store.get()
    }

    /// Changes the draft (not through a field) and draws the form again.
    pub fn update(&self, f: impl FnOnce(&mut D)) {
        self.store.update(|s| f(&mut s.draft));
    }

    /// What a field calls with its new value: `set` writes it into the draft.
    pub fn setter(&self, set: fn(&mut D, String)) -> Callback<String> {
        let store = self.store.clone();
        Callback::from(move |v: String| {
            store.update(|s| {
                set(&mut s.draft, v);
                D::changed(s);
            });
        })
    }

    /// Starts a submission, unless one is under way: `check` says what to send, or the
    /// errors to show at the fields (and the focus goes to the first). `None`: nothing to
    /// send now.
    pub fn submit<T>(&self, check: impl FnOnce(&mut D) -> Result<T, Vec<FieldError>>) -> Option<T> {
        let mut go = None;
        self.store.update(|s| {
            if s.busy {
                return;
            }
            s.failure = None;
            match check(&mut s.draft) {
                Ok(send) => {
                    s.errors.clear();
                    s.busy = true;
                    go = Some(send);
                }
                Err(errors) => {
                    s.errors = errors;
                    s.focus += 1;
                }
            }
        });
        go
    }

    /// The submission was answered: it is over, and `f` notes the answer in the draft.
    pub fn finish(&self, f: impl FnOnce(&mut D)) {
        self.store.update(|s| {
            s.busy = false;
            f(&mut s.draft);
        });
    }

    /// The server refused: said at the fields when `at_fields` has the messages for them
    /// (the focus goes to the first), else above the buttons.
    pub fn refuse(&self, error: ApiError, at_fields: Option<Vec<FieldError>>) {
        self.store.update(|s| {
            s.busy = false;
            if let Some(errors) = &at_fields {
                s.errors.clone_from(errors);
                s.focus += 1;
            }
            s.failure = Some((error, at_fields.is_some()));
        });
    }
}

/// The state of the form with DOM id `id`, starting from the draft `init` gives.
#[hook]
pub fn use_form<D: Draft>(id: &'static str, init: impl FnOnce() -> D) -> Form<D> {
    let store = use_store(move || FormState {
        draft: init(),
        errors: Vec::new(),
        failure: None,
        busy: false,
        focus: 0,
    });
    let focus = store.get().focus;
    use_effect_with(focus, move |n| {
        if *n > 0 {
            focus_first_invalid(id);
        }
    });
    Form { store }
}

/// Moves the focus to the first field marked invalid inside `#container`.
fn focus_first_invalid(container: &str) {
    let found = gloo::utils::document()
        .query_selector(&format!("#{container} [aria-invalid='true']"))
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(e) = found {
        let _ = e.focus();
    }
}
