DROP TABLE project_owners;
DROP TABLE published_rows;
DROP TABLE projects;
DROP TABLE published_subtotals;
DROP TABLE organisations;
