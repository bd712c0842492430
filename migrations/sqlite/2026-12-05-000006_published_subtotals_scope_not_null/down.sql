CREATE TABLE published_subtotals_old (
    scope TEXT PRIMARY KEY CHECK (scope IN ('total', 'A', 'B', 'C', 'D', 'E')),
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    project_count INTEGER NOT NULL,
    total_investment_cents BIGINT NOT NULL,
    total_investment_text TEXT NOT NULL,
    planned_investment_cents BIGINT NOT NULL,
    planned_investment_text TEXT NOT NULL
);
INSERT INTO published_subtotals_old SELECT * FROM published_subtotals;
DROP TABLE published_subtotals;
ALTER TABLE published_subtotals_old RENAME TO published_subtotals;
