-- Nothing to do on PostgreSQL: SQLite's migration of this number adds the bigram table that
-- answers two-character searches there. Here the GIN index of each project's bigram set
-- (…000100_project_search), an index of an expression over the row, already does that.
SELECT 1;
