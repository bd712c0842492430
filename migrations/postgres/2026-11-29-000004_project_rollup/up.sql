-- Counts and sums of the projects per cell of the dimensions the summaries group and filter
-- by, kept up to date by a trigger in the same transaction as every write to projects. A
-- summary, a pivot or the totals of a list filtered on these dimensions read a few thousand
-- cells at 100,000 projects instead of every project. A filter on anything else (owner,
-- text, social investment, status) still sums the projects themselves.
-- The same table and backfill as migrations/sqlite, whose triggers also keep category_totals
-- (five rows, one per category). PostgreSQL has no such table: every write of a category
-- would update one of five rows, so writers of a category would queue on its row lock, and a
-- bulk load in one transaction (migrate-data) would lengthen that row's version chain with
-- every project, which made loading 100,000 projects take 318 s instead of 24 s. PostgreSQL
-- sums the per-category figures from these cells instead.
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

INSERT INTO project_rollup
SELECT COALESCE(district, ''), category, nature, start_earliest_year, end_latest_year,
       COUNT(*), SUM(total_investment_cents), SUM(planned_investment_cents),
       COALESCE(SUM(social_investment_cents), 0),
       COALESCE(SUM(approved_investment_completed_cents), 0),
       SUM(CASE WHEN start_approximate THEN 1 ELSE 0 END),
       SUM(CASE WHEN end_approximate THEN 1 ELSE 0 END)
FROM projects
GROUP BY COALESCE(district, ''), category, nature, start_earliest_year, end_latest_year;

-- adds one project (sign 1) or takes it out (sign -1); an empty cell is removed
CREATE FUNCTION project_rollup_add(p projects, sign BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO project_rollup AS r VALUES (
        COALESCE(p.district, ''), p.category, p.nature, p.start_earliest_year, p.end_latest_year,
        sign, sign * p.total_investment_cents, sign * p.planned_investment_cents,
        sign * COALESCE(p.social_investment_cents, 0),
        sign * COALESCE(p.approved_investment_completed_cents, 0),
        sign * (CASE WHEN p.start_approximate THEN 1 ELSE 0 END),
        sign * (CASE WHEN p.end_approximate THEN 1 ELSE 0 END))
    ON CONFLICT (district_key, category, nature, start_year, end_year) DO UPDATE SET
        projects = r.projects + EXCLUDED.projects,
        total_investment_cents = r.total_investment_cents + EXCLUDED.total_investment_cents,
        planned_investment_cents = r.planned_investment_cents + EXCLUDED.planned_investment_cents,
        social_investment_cents = r.social_investment_cents + EXCLUDED.social_investment_cents,
        approved_completed_cents = r.approved_completed_cents + EXCLUDED.approved_completed_cents,
        start_approximate = r.start_approximate + EXCLUDED.start_approximate,
        end_approximate = r.end_approximate + EXCLUDED.end_approximate;
    IF sign < 0 THEN
        DELETE FROM project_rollup
        WHERE district_key = COALESCE(p.district, '') AND category = p.category
          AND nature = p.nature AND start_year = p.start_earliest_year
          AND end_year = p.end_latest_year AND projects = 0;
    END IF;
END;
$$;

CREATE FUNCTION projects_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- an update is the old row taken out and the new one put in
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM project_rollup_add(OLD, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM project_rollup_add(NEW, 1);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER projects_rollup AFTER INSERT OR DELETE OR UPDATE OF
    district, category, nature, start_earliest_year, end_latest_year, total_investment_cents,
    planned_investment_cents, social_investment_cents, approved_investment_completed_cents,
    start_approximate, end_approximate
ON projects FOR EACH ROW EXECUTE FUNCTION projects_rollup();
