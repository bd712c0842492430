//! The public bundle: dashboard, project list and page, schedule, budget.

fn main() {
    keyproj_frontend::run_public();
}
