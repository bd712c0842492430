-- Every stored amount is between 0 and the ceiling of shared's Money::MAX, 100,000,000.00
-- 万元 = 10000000000 hundredths, the ceiling the API holds its input to. This catches a write
-- that goes around the API (by hand, or a future bug). With it no sum of amounts can
-- overflow: see backend/src/models/project/sums.rs and docs/api.md.
-- NOT VALID: new writes are checked, rows already stored are left as they are (the reads
-- clamp them in sums rather than fail), so this migration cannot fail on old data.

ALTER TABLE projects ADD CONSTRAINT projects_total_investment_cents_within_ceiling
    CHECK (total_investment_cents BETWEEN 0 AND 10000000000) NOT VALID;
ALTER TABLE projects ADD CONSTRAINT projects_planned_investment_cents_within_ceiling
    CHECK (planned_investment_cents BETWEEN 0 AND 10000000000) NOT VALID;
ALTER TABLE projects ADD CONSTRAINT projects_social_investment_cents_within_ceiling
    CHECK (social_investment_cents BETWEEN 0 AND 10000000000) NOT VALID;
ALTER TABLE projects ADD CONSTRAINT projects_approved_investment_completed_cents_within_ceiling
    CHECK (approved_investment_completed_cents BETWEEN 0 AND 10000000000) NOT VALID;
ALTER TABLE projects ADD CONSTRAINT projects_approved_social_investment_completed_cents_within_ceiling
    CHECK (approved_social_investment_completed_cents BETWEEN 0 AND 10000000000) NOT VALID;
ALTER TABLE reports ADD CONSTRAINT reports_investment_completed_cents_within_ceiling
    CHECK (investment_completed_cents BETWEEN 0 AND 10000000000) NOT VALID;
ALTER TABLE reports ADD CONSTRAINT reports_social_investment_completed_cents_within_ceiling
    CHECK (social_investment_completed_cents BETWEEN 0 AND 10000000000) NOT VALID;
