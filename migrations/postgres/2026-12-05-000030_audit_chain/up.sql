-- The audit trail as a hash chain: each entry stores the SHA-256 of its own content and of
-- the entry before it (`prev_hash`; the first links to 64 zeros). keyproj computes both in
-- Rust (backend/src/audit/chain.rs), as on SQLite, which has no SHA-256; entries written
-- before this migration are sealed, in id order, the first time a server starts after it.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;

-- Two entries linking to one predecessor would fork the chain: refused, whatever the locks.
CREATE UNIQUE INDEX audit_log_prev_hash ON audit_log (prev_hash);

-- New entries arrive sealed.
CREATE FUNCTION audit_log_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.hash IS NULL OR NEW.prev_hash IS NULL THEN
        RAISE EXCEPTION 'audit_log entries must be inserted with prev_hash and hash';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER audit_log_sealed_on_insert BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_sealed();

-- Still append-only, with one exception: an entry from before the chain may have its seal
-- filled in once, changing nothing else.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND OLD.hash IS NULL AND OLD.prev_hash IS NULL
        AND NEW.hash IS NOT NULL AND NEW.prev_hash IS NOT NULL
        AND (NEW.id, NEW.at, NEW.user_id, NEW.username, NEW.role, NEW.organisation_id,
             NEW.entity, NEW.entity_id, NEW.action, NEW.before_json, NEW.after_json,
             NEW.request_id)
            IS NOT DISTINCT FROM
            (OLD.id, OLD.at, OLD.user_id, OLD.username, OLD.role, OLD.organisation_id,
             OLD.entity, OLD.entity_id, OLD.action, OLD.before_json, OLD.after_json,
             OLD.request_id)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
