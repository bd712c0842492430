-- The plan's annex 1, modelled. Money is integer hundredths of 万元 ("cents"), shares are
-- integer hundredths of a percent: SQLite's NUMERIC would go through f64.
-- The same schema as migrations/sqlite; only the id columns differ (SERIAL here).

CREATE TABLE organisations (
    id SERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- The 总计 row (scope 'total') and the five category rows, exactly as printed.
CREATE TABLE published_subtotals (
    scope TEXT PRIMARY KEY CHECK (scope IN ('total', 'A', 'B', 'C', 'D', 'E')),
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    project_count INTEGER NOT NULL,
    total_investment_cents BIGINT NOT NULL,
    total_investment_text TEXT NOT NULL,
    planned_investment_cents BIGINT NOT NULL,
    planned_investment_text TEXT NOT NULL
);

CREATE TABLE projects (
    id SERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    category TEXT NOT NULL CHECK (category IN ('A', 'B', 'C', 'D', 'E')),
    serial INTEGER NOT NULL,
    name TEXT NOT NULL,
    nature TEXT NOT NULL,
    nature_published TEXT NOT NULL,
    owner_published TEXT NOT NULL,
    content TEXT NOT NULL,
    start_published TEXT NOT NULL,
    start_earliest_year INTEGER NOT NULL,
    start_earliest_month INTEGER,
    start_latest_year INTEGER NOT NULL,
    start_latest_month INTEGER,
    start_approximate BOOLEAN NOT NULL,
    end_published TEXT NOT NULL,
    end_earliest_year INTEGER NOT NULL,
    end_earliest_month INTEGER,
    end_latest_year INTEGER NOT NULL,
    end_latest_month INTEGER,
    end_approximate BOOLEAN NOT NULL,
    total_investment_cents BIGINT NOT NULL CHECK (total_investment_cents >= 0),
    planned_investment_cents BIGINT NOT NULL CHECK (planned_investment_cents >= 0),
    social_share_bp INTEGER CHECK (social_share_bp BETWEEN 0 AND 10000),
    -- total × share, rounded once when either changes, so SQL can add it up exactly
    social_investment_cents BIGINT,
    remarks TEXT,
    district TEXT,
    district_basis TEXT NOT NULL,
    district_note TEXT NOT NULL,
    UNIQUE (category, serial),
    CHECK ((social_share_bp IS NULL) = (social_investment_cents IS NULL))
);

CREATE INDEX projects_district ON projects (district);
CREATE INDEX projects_nature ON projects (nature);
CREATE INDEX projects_start ON projects (start_earliest_year, start_latest_year);
CREATE INDEX projects_end ON projects (end_earliest_year, end_latest_year);

-- Every cell of the row exactly as the table prints it; never updated after loading.
CREATE TABLE published_rows (
    project_id INTEGER PRIMARY KEY REFERENCES projects (id),
    serial TEXT NOT NULL,
    name TEXT NOT NULL,
    nature TEXT NOT NULL,
    owner TEXT NOT NULL,
    content TEXT NOT NULL,
    start_year TEXT NOT NULL,
    end_year TEXT NOT NULL,
    total_investment TEXT NOT NULL,
    planned_investment TEXT NOT NULL,
    social_share TEXT NOT NULL,
    remarks TEXT NOT NULL
);

CREATE TABLE project_owners (
    project_id INTEGER NOT NULL REFERENCES projects (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (project_id, organisation_id)
);

CREATE INDEX project_owners_organisation ON project_owners (organisation_id);
