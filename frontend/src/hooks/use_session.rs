//! Who is logged in: asked once at start (`GET /api/session`), then changed by logging in
//! and out, and dropped when any answer says the session has ended. The app holds it and
//! hands it to the header and the pages that need it.

use std::rc::Rc;

use keyproj_shared::{Role, SessionUser};
use yew::prelude::*;

use crate::services;

#[derive(Debug, Clone, PartialEq)]
pub enum SessionState {
    /// The first `GET /api/session` has not answered yet. Only when the browser holds the
    /// signed-in marker: without it nobody can be signed in, and the page starts out
    /// anonymous (its 登录 link drawn at once, so nothing moves when the session is known).
    Checking,
    Anonymous,
    User(Rc<SessionUser>),
}

/// The session and the way to change it, shared by the header and the pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Auth {
    pub state: SessionState,
    /// Logged in as this user (`Some`), or out (`None`).
    pub set: Callback<Option<SessionUser>>,
}

impl Auth {
    pub fn user(&self) -> Option<&SessionUser> {
        match &self.state {
            SessionState::User(u) => Some(u),
            _ => None,
        }
    }

    pub fn role(&self) -> Option<Role> {
        self.user().map(|u| u.role)
    }
}

/// The app's session; call once, in the app.
#[hook]
pub fn use_session() -> Auth {
    let state = use_state(|| {
        if services::may_be_signed_in() {
            SessionState::Checking
        } else {
            SessionState::Anonymous
        }
    });
    let set = {
        let state = state.setter();
        use_callback((), move |user: Option<SessionUser>, _| {
            state.set(user.map_or(SessionState::Anonymous, |u| SessionState::User(Rc::new(u))));
        })
    };
    {
        let set = set.clone();
        // anonymous from the start: nothing to ask, and no second render to say so again
        let checking = *state == SessionState::Checking;
        use_effect_with((), move |_| {
            let lost = set.clone();
            services::on_unauthorized(Callback::from(move |()| lost.emit(None)));
            if !checking {
                return;
            }
            wasm_bindgen_futures::spawn_local(async move {
                // Unreachable server: treated as logged out; signing in then says why.
                let user = services::session().await.ok().flatten().map(|s| s.user);
                set.emit(user);
            });
        });
    }
    Auth {
        state: (*state).clone(),
        set,
    }
}
