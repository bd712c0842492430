-- SQLite lets a PRIMARY KEY column that is not the INTEGER PRIMARY KEY hold NULL (a quirk
-- kept for compatibility), and the CHECK passes for NULL; PostgreSQL's primary key implies
-- NOT NULL. SQLite cannot add NOT NULL to a column, so the table is rebuilt. Nothing
-- references it.
CREATE TABLE published_subtotals_new (
    scope TEXT NOT NULL PRIMARY KEY CHECK (scope IN ('total', 'A', 'B', 'C', 'D', 'E')),
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    project_count INTEGER NOT NULL,
    total_investment_cents BIGINT NOT NULL,
    total_investment_text TEXT NOT NULL,
    planned_investment_cents BIGINT NOT NULL,
    planned_investment_text TEXT NOT NULL
);
INSERT INTO published_subtotals_new SELECT * FROM published_subtotals;
DROP TABLE published_subtotals;
ALTER TABLE published_subtotals_new RENAME TO published_subtotals;
