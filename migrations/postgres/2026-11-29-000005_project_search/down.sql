DROP INDEX projects_content_trgm;
DROP INDEX projects_owner_published_trgm;
DROP INDEX projects_name_trgm;
-- the extension stays: other schemas may use it
