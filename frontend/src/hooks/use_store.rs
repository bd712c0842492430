//! A component's whole state in one cell: read it while drawing, change it in a callback
//! (also one that finishes later, after a request), and the component draws again.
//!
//! One `use_mut_ref` and one `use_force_update` instead of a `use_state` per field: the
//! forms have many fields, and every distinct `use_state::<T>` adds its own copy of the
//! hook's code to the wasm. A late callback always changes the current state, never a copy
//! taken when it was created.

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use yew::prelude::*;

pub struct Store<T> {
    cell: Rc<RefCell<T>>,
    redraw: UseForceUpdateHandle,
}

impl<T> Clone for Store<T> {
    fn clone(&self) -> Self {
        Store {
            cell: Rc::clone(&self.cell),
            redraw: self.redraw.clone(),
        }
    }
}

impl<T> Store<T> {
    /// The state, to draw from. Never held across a call of `update`.
    pub fn get(&self) -> Ref<'_, T> {
        self.cell.borrow()
    }

    /// Changes the state and draws the component again.
    pub fn update(&self, f: impl FnOnce(&mut T)) {
        f(&mut self.cell.borrow_mut());
        self.redraw.force_update();
    }
}

#[hook]
pub fn use_store<T: 'static>(init: impl FnOnce() -> T) -> Store<T> {
    let cell = use_mut_ref(init);
    let redraw = use_force_update();
    Store { cell, redraw }
}
