-- Counts and sums of the projects per cell of the dimensions the summaries group and filter
-- by, kept up to date by triggers in the same transaction as every write to projects. A
-- summary, a pivot or the totals of a list filtered on these dimensions read a few thousand
-- cells at 100,000 projects instead of every project. A filter on anything else (owner,
-- text, social investment, status) still sums the projects themselves.
-- The same table and backfill as migrations/postgres, plus category_totals (the same sums per
-- category), which PostgreSQL does without: its migration 000004 says why.
CREATE TABLE project_rollup (
    -- '' for projects the source does not place in a district: a key column cannot be NULL
    district_key TEXT NOT NULL,
    category TEXT NOT NULL,
    nature TEXT NOT NULL,
    start_year INTEGER NOT NULL,
    end_year INTEGER NOT NULL,
    projects BIGINT NOT NULL,
    total_investment_cents BIGINT NOT NULL,
    planned_investment_cents BIGINT NOT NULL,
    social_investment_cents BIGINT NOT NULL,
    approved_completed_cents BIGINT NOT NULL,
    start_approximate BIGINT NOT NULL,
    end_approximate BIGINT NOT NULL,
    PRIMARY KEY (district_key, category, nature, start_year, end_year)
);

-- The same per category: what the reconciliation and every unfiltered total read.
CREATE TABLE category_totals (
    category TEXT PRIMARY KEY NOT NULL,
    projects BIGINT NOT NULL,
    total_investment_cents BIGINT NOT NULL,
    planned_investment_cents BIGINT NOT NULL,
    social_investment_cents BIGINT NOT NULL,
    approved_completed_cents BIGINT NOT NULL,
    start_approximate BIGINT NOT NULL,
    end_approximate BIGINT NOT NULL
);

INSERT INTO project_rollup
SELECT COALESCE(district, ''), category, nature, start_earliest_year, end_latest_year,
       COUNT(*), SUM(total_investment_cents), SUM(planned_investment_cents),
       COALESCE(SUM(social_investment_cents), 0),
       COALESCE(SUM(approved_investment_completed_cents), 0),
       SUM(CASE WHEN start_approximate THEN 1 ELSE 0 END),
       SUM(CASE WHEN end_approximate THEN 1 ELSE 0 END)
FROM projects
GROUP BY COALESCE(district, ''), category, nature, start_earliest_year, end_latest_year;

INSERT INTO category_totals
SELECT category, SUM(projects), SUM(total_investment_cents), SUM(planned_investment_cents),
       SUM(social_investment_cents), SUM(approved_completed_cents), SUM(start_approximate),
       SUM(end_approximate)
FROM project_rollup GROUP BY category;

-- One change to both tables: a project added (projects = 1, its amounts) or taken out
-- (projects = -1, its amounts negated); a cell or category left empty is removed. SQLite
-- triggers cannot call a function, so the change is an INSERT into this view, and the
-- triggers on projects below only say which row goes in or out. PostgreSQL's
-- project_rollup_add() is the same step.
CREATE VIEW project_rollup_change AS SELECT * FROM project_rollup WHERE 0;

CREATE TRIGGER project_rollup_apply INSTEAD OF INSERT ON project_rollup_change
BEGIN
    INSERT INTO project_rollup VALUES (
        NEW.district_key, NEW.category, NEW.nature, NEW.start_year, NEW.end_year, NEW.projects,
        NEW.total_investment_cents, NEW.planned_investment_cents, NEW.social_investment_cents,
        NEW.approved_completed_cents, NEW.start_approximate, NEW.end_approximate)
    ON CONFLICT (district_key, category, nature, start_year, end_year) DO UPDATE SET
        projects = projects + excluded.projects,
        total_investment_cents = total_investment_cents + excluded.total_investment_cents,
        planned_investment_cents = planned_investment_cents + excluded.planned_investment_cents,
        social_investment_cents = social_investment_cents + excluded.social_investment_cents,
        approved_completed_cents = approved_completed_cents + excluded.approved_completed_cents,
        start_approximate = start_approximate + excluded.start_approximate,
        end_approximate = end_approximate + excluded.end_approximate;
    DELETE FROM project_rollup
    WHERE district_key = NEW.district_key AND category = NEW.category AND nature = NEW.nature
      AND start_year = NEW.start_year AND end_year = NEW.end_year AND projects = 0;
    INSERT INTO category_totals VALUES (
        NEW.category, NEW.projects, NEW.total_investment_cents, NEW.planned_investment_cents,
        NEW.social_investment_cents, NEW.approved_completed_cents, NEW.start_approximate,
        NEW.end_approximate)
    ON CONFLICT (category) DO UPDATE SET
        projects = projects + excluded.projects,
        total_investment_cents = total_investment_cents + excluded.total_investment_cents,
        planned_investment_cents = planned_investment_cents + excluded.planned_investment_cents,
        social_investment_cents = social_investment_cents + excluded.social_investment_cents,
        approved_completed_cents = approved_completed_cents + excluded.approved_completed_cents,
        start_approximate = start_approximate + excluded.start_approximate,
        end_approximate = end_approximate + excluded.end_approximate;
    DELETE FROM category_totals WHERE category = NEW.category AND projects = 0;
END;

CREATE TRIGGER projects_rollup_insert AFTER INSERT ON projects
BEGIN
    INSERT INTO project_rollup_change VALUES (
        COALESCE(NEW.district, ''), NEW.category, NEW.nature, NEW.start_earliest_year,
        NEW.end_latest_year, 1, NEW.total_investment_cents, NEW.planned_investment_cents,
        COALESCE(NEW.social_investment_cents, 0),
        COALESCE(NEW.approved_investment_completed_cents, 0),
        CASE WHEN NEW.start_approximate THEN 1 ELSE 0 END,
        CASE WHEN NEW.end_approximate THEN 1 ELSE 0 END);
END;

CREATE TRIGGER projects_rollup_delete AFTER DELETE ON projects
BEGIN
    INSERT INTO project_rollup_change VALUES (
        COALESCE(OLD.district, ''), OLD.category, OLD.nature, OLD.start_earliest_year,
        OLD.end_latest_year, -1, -OLD.total_investment_cents, -OLD.planned_investment_cents,
        -COALESCE(OLD.social_investment_cents, 0),
        -COALESCE(OLD.approved_investment_completed_cents, 0),
        CASE WHEN OLD.start_approximate THEN -1 ELSE 0 END,
        CASE WHEN OLD.end_approximate THEN -1 ELSE 0 END);
END;

-- an update is the old row taken out and the new one put in
CREATE TRIGGER projects_rollup_update AFTER UPDATE OF
    district, category, nature, start_earliest_year, end_latest_year, total_investment_cents,
    planned_investment_cents, social_investment_cents, approved_investment_completed_cents,
    start_approximate, end_approximate
ON projects
BEGIN
    INSERT INTO project_rollup_change VALUES (
        COALESCE(OLD.district, ''), OLD.category, OLD.nature, OLD.start_earliest_year,
        OLD.end_latest_year, -1, -OLD.total_investment_cents, -OLD.planned_investment_cents,
        -COALESCE(OLD.social_investment_cents, 0),
        -COALESCE(OLD.approved_investment_completed_cents, 0),
        CASE WHEN OLD.start_approximate THEN -1 ELSE 0 END,
        CASE WHEN OLD.end_approximate THEN -1 ELSE 0 END);
    INSERT INTO project_rollup_change VALUES (
        COALESCE(NEW.district, ''), NEW.category, NEW.nature, NEW.start_earliest_year,
        NEW.end_latest_year, 1, NEW.total_investment_cents, NEW.planned_investment_cents,
        COALESCE(NEW.social_investment_cents, 0),
        COALESCE(NEW.approved_investment_completed_cents, 0),
        CASE WHEN NEW.start_approximate THEN 1 ELSE 0 END,
        CASE WHEN NEW.end_approximate THEN 1 ELSE 0 END);
END;
