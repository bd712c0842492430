//! The signed-in bundle: login, my projects, reports, review, users, audit.

fn main() {
    keyproj_frontend::run_account();
}
