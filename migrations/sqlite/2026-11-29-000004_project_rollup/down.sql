DROP TRIGGER projects_rollup_update;
DROP TRIGGER projects_rollup_delete;
DROP TRIGGER projects_rollup_insert;
DROP TRIGGER project_rollup_apply;
DROP VIEW project_rollup_change;
DROP TABLE category_totals;
DROP TABLE project_rollup;
