// Written by hand to match migrations/sqlite and migrations/postgres; keep them in step.

diesel::table! {
    organisations (id) {
        id -> Integer,
        name -> Text,
    }
}

diesel::table! {
    published_subtotals (scope) {
        scope -> Text,
        position -> Integer,
        label -> Text,
        project_count -> Integer,
        total_investment_cents -> BigInt,
        total_investment_text -> Text,
        planned_investment_cents -> BigInt,
        planned_investment_text -> Text,
    }
}

diesel::table! {
    projects (id) {
        id -> Integer,
        code -> Text,
        category -> Text,
        serial -> Integer,
        name -> Text,
        nature -> Text,
        nature_published -> Text,
        owner_published -> Text,
        content -> Text,
        start_published -> Text,
        start_earliest_year -> Integer,
        start_earliest_month -> Nullable<Integer>,
        start_latest_year -> Integer,
        start_latest_month -> Nullable<Integer>,
        start_approximate -> Bool,
        end_published -> Text,
        end_earliest_year -> Integer,
        end_earliest_month -> Nullable<Integer>,
        end_latest_year -> Integer,
        end_latest_month -> Nullable<Integer>,
        end_approximate -> Bool,
        total_investment_cents -> BigInt,
        planned_investment_cents -> BigInt,
        social_share_bp -> Nullable<Integer>,
        social_investment_cents -> Nullable<BigInt>,
        remarks -> Nullable<Text>,
        district -> Nullable<Text>,
        district_basis -> Text,
        district_note -> Text,
        version -> Integer,
        approved_report_id -> Nullable<Integer>,
        approved_period -> Nullable<Text>,
        approved_progress_bp -> Nullable<Integer>,
        approved_investment_completed_cents -> Nullable<BigInt>,
        approved_social_investment_completed_cents -> Nullable<BigInt>,
        approved_status -> Nullable<Text>,
    }
}

diesel::table! {
    published_rows (project_id) {
        project_id -> Integer,
        serial -> Text,
        name -> Text,
        nature -> Text,
        owner -> Text,
        content -> Text,
        start_year -> Text,
        end_year -> Text,
        total_investment -> Text,
        planned_investment -> Text,
        social_share -> Text,
        remarks -> Text,
    }
}

diesel::table! {
    project_owners (project_id, organisation_id) {
        project_id -> Integer,
        organisation_id -> Integer,
        position -> Integer,
    }
}

diesel::table! {
    users (id) {
        id -> Integer,
        username -> Text,
        password_hash -> Text,
        role -> Text,
        organisation_id -> Nullable<Integer>,
        disabled -> Bool,
        created_at -> Text,
        version -> Integer,
    }
}

diesel::table! {
    sessions (id) {
        id -> Integer,
        token_hash -> Text,
        user_id -> Integer,
        created_at -> Text,
        last_seen_at -> Text,
        expires_at -> Text,
        revoked -> Bool,
    }
}

diesel::table! {
    login_failures (id) {
        id -> Integer,
        username -> Text,
        ip -> Text,
        at -> Text,
    }
}

diesel::table! {
    reports (id) {
        id -> Integer,
        project_id -> Integer,
        period -> Text,
        physical_progress_bp -> Integer,
        investment_completed_cents -> BigInt,
        social_investment_completed_cents -> BigInt,
        status -> Text,
        actual_start -> Nullable<Text>,
        actual_end -> Nullable<Text>,
        progress_text -> Text,
        problems_text -> Text,
        over_total_reason -> Nullable<Text>,
        state -> Text,
        supersedes_id -> Nullable<Integer>,
        submitted_by -> Integer,
        submitted_at -> Text,
        reviewed_by -> Nullable<Integer>,
        reviewed_at -> Nullable<Text>,
        review_reason -> Nullable<Text>,
        idempotency_key -> Nullable<Text>,
        request_fingerprint -> Nullable<Text>,
        version -> Integer,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Integer,
        at -> Text,
        user_id -> Nullable<Integer>,
        username -> Text,
        role -> Text,
        organisation_id -> Nullable<Integer>,
        entity -> Text,
        entity_id -> Text,
        action -> Text,
        before_json -> Nullable<Text>,
        after_json -> Nullable<Text>,
        request_id -> Text,
        prev_hash -> Nullable<Text>,
        hash -> Nullable<Text>,
    }
}

diesel::table! {
    plan_revisions (id) {
        id -> Integer,
        project_id -> Integer,
        year -> Integer,
        version -> Integer,
        planned_investment_cents -> BigInt,
        social_investment_cents -> BigInt,
        target_progress_bp -> Nullable<Integer>,
        content -> Text,
        baseline_completed_cents -> Nullable<BigInt>,
        milestones_json -> Text,
        breakdown_json -> Nullable<Text>,
        reason -> Text,
        over_total_reason -> Nullable<Text>,
        created_by -> Integer,
        created_by_name -> Text,
        created_at -> Text,
    }
}

diesel::table! {
    warning_rule_sets (version) {
        version -> Integer,
        lag_mode -> Text,
        lag_yellow_from_bp -> Integer,
        lag_red_above_bp -> Integer,
        relative_yellow_up_to_bp -> Integer,
        start_lag_red_months -> Integer,
        report_deadline_day -> Integer,
        not_reported_red_months -> Integer,
        divergence_above_bp -> Integer,
        reason -> Text,
        created_by -> Text,
        created_at -> Text,
    }
}

diesel::joinable!(plan_revisions -> projects (project_id));

diesel::joinable!(project_owners -> projects (project_id));
diesel::joinable!(project_owners -> organisations (organisation_id));
diesel::joinable!(published_rows -> projects (project_id));
diesel::joinable!(users -> organisations (organisation_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(reports -> projects (project_id));

diesel::table! {
    project_rollup (district_key, category, nature, start_year, end_year) {
        district_key -> Text,
        category -> Text,
        nature -> Text,
        start_year -> Integer,
        end_year -> Integer,
        projects -> BigInt,
        total_investment_cents -> BigInt,
        planned_investment_cents -> BigInt,
        social_investment_cents -> BigInt,
        approved_completed_cents -> BigInt,
        start_approximate -> BigInt,
        end_approximate -> BigInt,
    }
}

diesel::table! {
    category_totals (category) {
        category -> Text,
        projects -> BigInt,
        total_investment_cents -> BigInt,
        planned_investment_cents -> BigInt,
        social_investment_cents -> BigInt,
        approved_completed_cents -> BigInt,
        start_approximate -> BigInt,
        end_approximate -> BigInt,
    }
}

diesel::table! {
    data_version (id) {
        id -> Integer,
        version -> BigInt,
    }
}

diesel::table! {
    warning_changes (version, project_id) {
        version -> BigInt,
        project_id -> Integer,
    }
}

diesel::table! {
    report_imports (id) {
        id -> Integer,
        user_id -> Integer,
        file_name -> Text,
        sha256 -> Text,
        dry_run -> Bool,
        applied -> Bool,
        rows_total -> Integer,
        created_at -> Text,
        result_json -> Text,
        error_workbook -> Nullable<Binary>,
    }
}

diesel::table! {
    sample_data (id) {
        id -> Integer,
        loaded_at -> Text,
        plans -> Integer,
        reports -> Integer,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    category_totals,
    organisations,
    project_rollup,
    published_subtotals,
    projects,
    published_rows,
    project_owners,
    users,
    sessions,
    login_failures,
    reports,
    audit_log,
    plan_revisions,
    warning_rule_sets,
    report_imports,
);
