-- The audit trail as a hash chain: each entry stores the SHA-256 of its own content and of
-- the entry before it (`prev_hash`; the first links to 64 zeros). keyproj computes both in
-- Rust (backend/src/audit/chain.rs), because SQLite has no SHA-256; entries written before
-- this migration are sealed, in id order, the first time a server starts after it.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;

-- Two entries linking to one predecessor would fork the chain: refused, whatever the locks.
CREATE UNIQUE INDEX audit_log_prev_hash ON audit_log (prev_hash);

-- New entries arrive sealed.
CREATE TRIGGER audit_log_sealed_on_insert BEFORE INSERT ON audit_log
WHEN NEW.hash IS NULL OR NEW.prev_hash IS NULL
BEGIN
    SELECT RAISE(ABORT, 'audit_log entries must be inserted with prev_hash and hash');
END;

-- Still append-only, with one exception: an entry from before the chain may have its seal
-- filled in once, changing nothing else.
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (
    OLD.hash IS NULL AND OLD.prev_hash IS NULL
    AND NEW.hash IS NOT NULL AND NEW.prev_hash IS NOT NULL
    AND NEW.id IS OLD.id AND NEW.at IS OLD.at AND NEW.user_id IS OLD.user_id
    AND NEW.username IS OLD.username AND NEW.role IS OLD.role
    AND NEW.organisation_id IS OLD.organisation_id AND NEW.entity IS OLD.entity
    AND NEW.entity_id IS OLD.entity_id AND NEW.action IS OLD.action
    AND NEW.before_json IS OLD.before_json AND NEW.after_json IS OLD.after_json
    AND NEW.request_id IS OLD.request_id
)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
