-- The version of the data the public reads show: one row, raised by one in the same
-- transaction as every write that changes what they show (backend/src/db/data_version.rs,
-- `bump`). Read answers carry an ETag derived from it, and a request whose If-None-Match
-- names the current tag is answered 304 after reading this one row by its primary key. Being
-- in the database, it is the same for every server sharing the database.
CREATE TABLE data_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL CHECK (version >= 1)
);
INSERT INTO data_version (id, version) VALUES (1, 1);
