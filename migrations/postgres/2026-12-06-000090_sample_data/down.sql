DROP TABLE sample_data;
