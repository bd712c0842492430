-- A trigram index of the three columns `q` searches (name, owner_published, content), so a
-- search of three or more characters reads the matching projects instead of every one.
-- Shorter searches still scan: a trigram index cannot answer them. The trigram tokenizer
-- matches substrings and folds ASCII case, as LIKE does here. The index holds no copy of the
-- text (external content) and triggers keep it in step with projects.
-- PostgreSQL has no counterpart: pg_trgm GIN indexes of these columns were tried at 100,000
-- projects and did not make the search faster there (docs/performance.md, scale benchmark), so it scans.
CREATE VIRTUAL TABLE project_search USING fts5(
    name, owner_published, content,
    content = 'projects', content_rowid = 'id', tokenize = 'trigram'
);

INSERT INTO project_search (project_search) VALUES ('rebuild');

CREATE TRIGGER projects_search_insert AFTER INSERT ON projects
BEGIN
    INSERT INTO project_search (rowid, name, owner_published, content)
    VALUES (NEW.id, NEW.name, NEW.owner_published, NEW.content);
END;

CREATE TRIGGER projects_search_delete AFTER DELETE ON projects
BEGIN
    INSERT INTO project_search (project_search, rowid, name, owner_published, content)
    VALUES ('delete', OLD.id, OLD.name, OLD.owner_published, OLD.content);
END;

CREATE TRIGGER projects_search_update AFTER UPDATE OF name, owner_published, content ON projects
BEGIN
    INSERT INTO project_search (project_search, rowid, name, owner_published, content)
    VALUES ('delete', OLD.id, OLD.name, OLD.owner_published, OLD.content);
    INSERT INTO project_search (rowid, name, owner_published, content)
    VALUES (NEW.id, NEW.name, NEW.owner_published, NEW.content);
END;
