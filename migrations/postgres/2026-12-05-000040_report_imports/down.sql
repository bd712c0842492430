DROP TABLE report_imports;
