-- Trigram indexes of the three columns `q` searches (name, owner_published, content), so a
-- search of three or more characters need not read every project: pg_trgm's GIN indexes
-- serve `LIKE '%…%'` directly. Shorter searches still scan.
-- SQLite's counterpart is migrations/sqlite's FTS5 trigram table project_search.
-- pg_trgm ships with PostgreSQL (contrib) and is a trusted extension: a database owner may
-- create it without superuser rights.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX projects_name_trgm ON projects USING gin (name gin_trgm_ops);
CREATE INDEX projects_owner_published_trgm ON projects USING gin (owner_published gin_trgm_ops);
CREATE INDEX projects_content_trgm ON projects USING gin (content gin_trgm_ops);
