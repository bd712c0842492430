-- Usernames are unique whatever their case. A username holds only ASCII letters among the
-- letters that have case (shared/src/account.rs), and lower() folds ASCII alike on SQLite and
-- PostgreSQL, so this index means the same on both. Logins look accounts up by the same
-- expression. Two existing accounts that differ only in case make this fail: rename one.
CREATE UNIQUE INDEX users_username_lower ON users (lower(username));
