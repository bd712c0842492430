-- Annual investment plans (年度投资计划) and the warning rule sets (预警规则).
-- Plans are versioned like master data: a revision (调整) is a new row, never an update,
-- so every revision stays with its reason and author; a project's current plan for a year
-- is its row with the highest version. Amounts are hundredths of 万元, shares basis points.
CREATE TABLE plan_revisions (
    id SERIAL PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id),
    year INTEGER NOT NULL CHECK (year BETWEEN 2020 AND 2030),
    version INTEGER NOT NULL CHECK (version >= 1),
    planned_investment_cents BIGINT NOT NULL
        CHECK (planned_investment_cents BETWEEN 0 AND 10000000000),
    social_investment_cents BIGINT NOT NULL
        CHECK (social_investment_cents >= 0
               AND social_investment_cents <= planned_investment_cents),
    target_progress_bp INTEGER CHECK (target_progress_bp BETWEEN 0 AND 10000),
    content TEXT NOT NULL,
    -- 上年末累计完成投资: the baseline of 本年完成投资 where no earlier approved report exists
    baseline_completed_cents BIGINT
        CHECK (baseline_completed_cents BETWEEN 0 AND 10000000000),
    -- [{"kind":"start","name":"开工","month":"2025-03"}, …], checked by the application
    milestones_json TEXT NOT NULL,
    -- twelve cumulative basis points, January first, e.g. [0,500,…,10000]; NULL: linear
    breakdown_json TEXT,
    reason TEXT NOT NULL,
    over_total_reason TEXT,
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_by_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (project_id, year, version)
);

-- The thresholds of the warning rules, as data. A change is a new version; warnings name
-- the version that produced them. The newest version is in force.
CREATE TABLE warning_rule_sets (
    version INTEGER PRIMARY KEY,
    lag_mode TEXT NOT NULL CHECK (lag_mode IN ('points', 'relative')),
    lag_yellow_from_bp INTEGER NOT NULL CHECK (lag_yellow_from_bp BETWEEN 0 AND 10000),
    lag_red_above_bp INTEGER NOT NULL CHECK (lag_red_above_bp BETWEEN 0 AND 10000),
    relative_yellow_up_to_bp INTEGER NOT NULL
        CHECK (relative_yellow_up_to_bp BETWEEN 0 AND 10000),
    start_lag_red_months INTEGER NOT NULL,
    report_deadline_day INTEGER NOT NULL CHECK (report_deadline_day BETWEEN 1 AND 28),
    not_reported_red_months INTEGER NOT NULL,
    divergence_above_bp INTEGER NOT NULL CHECK (divergence_above_bp BETWEEN 0 AND 10000),
    reason TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Version 1: the defaults of issue 12 (docs/warnings.md).
INSERT INTO warning_rule_sets VALUES
    (1, 'points', 1000, 3000, 5000, 3, 5, 2, 3000, '默认规则', '(系统)', '2026-12-05T00:00:00.000Z');

-- A change of the rule set is audited as entity 'warning_rules'.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_entity_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_entity_check
    CHECK (entity IN ('project', 'report', 'user', 'session', 'warning_rules'));
