DROP TABLE warning_changes;
