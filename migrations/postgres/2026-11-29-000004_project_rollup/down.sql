DROP TRIGGER projects_rollup ON projects;
DROP FUNCTION projects_rollup();
DROP FUNCTION project_rollup_add(projects, BIGINT);
DROP TABLE project_rollup;
