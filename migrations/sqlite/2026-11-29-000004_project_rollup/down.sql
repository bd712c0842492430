DROP TRIGGER projects_rollup_update;
DROP TRIGGER projects_rollup_delete;
DROP TRIGGER projects_rollup_insert;
DROP TABLE category_totals;
DROP TABLE project_rollup;
