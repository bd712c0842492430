DROP TRIGGER projects_bigrams_delete;
DROP TRIGGER projects_bigrams_after_update;
DROP TRIGGER projects_bigrams_before_update;
DROP TRIGGER projects_bigrams_insert;
DROP TABLE project_bigrams;
DROP VIEW project_bigram_set;
