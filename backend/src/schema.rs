// Written by hand to match migrations/sqlite; keep the two in step.

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

diesel::joinable!(project_owners -> projects (project_id));
diesel::joinable!(project_owners -> organisations (organisation_id));
diesel::joinable!(published_rows -> projects (project_id));

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    published_subtotals,
    projects,
    published_rows,
    project_owners,
);
