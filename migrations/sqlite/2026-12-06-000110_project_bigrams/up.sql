-- Two-character search (`q` such as 养老 or 敬老, the most common Chinese queries) on SQLite.
-- FTS5's trigram index (migration 000005) cannot answer fewer than three characters, so
-- without this table they read all 100,000 projects. `project_bigrams` holds, per project,
-- every two-character substring of its search document (name, owners as published, content,
-- one line each, as PostgreSQL's `project_search_document`), ASCII letters folded to lower
-- case as LIKE folds them; `q` of two characters is then one range of the primary key.
-- Bigrams across a line break are left out: a search with a line break never uses this table.
-- Triggers keep it current in the statement, hence the transaction, that writes the project.
-- PostgreSQL has no table: its GIN index of the document's bigram set does this (…000100).

-- Every bigram of every project's document, defined once for the triggers and the fill below.
-- SQLite triggers cannot use WITH RECURSIVE, so the positions 0 … length - 2 come from
-- json_each over an array of that many zeros ('[0' and one ',0' per further position).
CREATE VIEW project_bigram_set AS
SELECT p.id AS project_id,
       lower(substr(p.name || char(10) || p.owner_published || char(10) || p.content,
                    j.key + 1, 2)) AS gram
FROM projects AS p,
     json_each('[0' || replace(hex(zeroblob(length(p.name) + length(p.owner_published)
                                            + length(p.content))), '00', ',0') || ']') AS j
WHERE instr(substr(p.name || char(10) || p.owner_published || char(10) || p.content,
                   j.key + 1, 2), char(10)) = 0;

CREATE TABLE project_bigrams (
    gram TEXT NOT NULL,
    project_id INTEGER NOT NULL,
    PRIMARY KEY (gram, project_id)
) WITHOUT ROWID;

INSERT OR IGNORE INTO project_bigrams (gram, project_id)
SELECT gram, project_id FROM project_bigram_set;

CREATE TRIGGER projects_bigrams_insert AFTER INSERT ON projects
BEGIN
    INSERT OR IGNORE INTO project_bigrams (gram, project_id)
    SELECT gram, project_id FROM project_bigram_set WHERE project_id = NEW.id;
END;

-- The old bigrams are read from the row before it changes, and deleted by their keys (no
-- second index by project).
CREATE TRIGGER projects_bigrams_before_update BEFORE UPDATE OF name, owner_published, content
ON projects
BEGIN
    DELETE FROM project_bigrams
    WHERE project_id = OLD.id
      AND gram IN (SELECT gram FROM project_bigram_set WHERE project_id = OLD.id);
END;

CREATE TRIGGER projects_bigrams_after_update AFTER UPDATE OF name, owner_published, content
ON projects
BEGIN
    INSERT OR IGNORE INTO project_bigrams (gram, project_id)
    SELECT gram, project_id FROM project_bigram_set WHERE project_id = NEW.id;
END;

CREATE TRIGGER projects_bigrams_delete BEFORE DELETE ON projects
BEGIN
    DELETE FROM project_bigrams
    WHERE project_id = OLD.id
      AND gram IN (SELECT gram FROM project_bigram_set WHERE project_id = OLD.id);
END;
