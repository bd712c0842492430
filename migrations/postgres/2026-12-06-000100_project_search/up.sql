-- Search (`q`) at 100,000 projects. One search document per project: its name, owners as
-- published and content, one line each (a newline never occurs in a search). Both indexes are
-- of expressions over the row, so PostgreSQL keeps them current in the very statement, and
-- transaction, that writes the project; nothing else can forget to.
-- * Three or more characters: a pg_trgm GIN index answers `document LIKE '%…%'`. The cluster
--   must classify Chinese characters as letters for pg_trgm to make trigrams of them, which a
--   UTF-8 locale such as C.UTF-8 does (`SELECT show_trgm('敬老院建设')` lists six trigrams;
--   scripts/with-postgres.sh creates its clusters so).
-- * Two characters have no trigram: the set of the document's bigrams, indexed by GIN, answers
--   `bigrams @> ARRAY['养老']` exactly.
-- * One character scans.
-- Matches on an owner organisation's name are found through that table (filter.rs).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE FUNCTION project_search_document(name TEXT, owner TEXT, content TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT name || E'\n' || owner || E'\n' || content $$;

CREATE FUNCTION project_search_bigrams(document TEXT) RETURNS TEXT[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
        SELECT COALESCE(array_agg(DISTINCT substr(document, i, 2)), '{}')
        FROM generate_series(1, length(document) - 1) AS i
    $$;

CREATE INDEX projects_search_trigrams ON projects
    USING gin (project_search_document(name, owner_published, content) gin_trgm_ops);

CREATE INDEX projects_search_bigrams ON projects
    USING gin (project_search_bigrams(project_search_document(name, owner_published, content)));
