DROP INDEX projects_search_bigrams;
DROP INDEX projects_search_trigrams;
DROP FUNCTION project_search_bigrams(TEXT);
DROP FUNCTION project_search_document(TEXT, TEXT, TEXT);
-- pg_trgm stays: another database object may use it
