DROP TRIGGER projects_search_update;
DROP TRIGGER projects_search_delete;
DROP TRIGGER projects_search_insert;
DROP TABLE project_search;
