-- Refused while the trail holds a rule-set entry (the old CHECK would not hold): the audit
-- trail is never rewritten to make a migration go back.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_entity_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_entity_check
    CHECK (entity IN ('project', 'report', 'user', 'session'));
DROP TABLE warning_rule_sets;
DROP TABLE plan_revisions;
