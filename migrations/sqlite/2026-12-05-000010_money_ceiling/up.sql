-- Every stored amount is between 0 and the ceiling of shared's Money::MAX, 100,000,000.00
-- 万元 = 10000000000 hundredths, the ceiling the API holds its input to. This catches a write
-- that goes around the API (by hand, or a future bug). With it no sum of amounts can
-- overflow: see backend/src/models/project/sums.rs and docs/api.md.
-- SQLite cannot add a CHECK to an existing column, so triggers refuse such writes. Rows
-- already stored are left as they are (the reads clamp them in sums rather than fail), and an
-- update is checked on the amounts it changes, so such a row can still be approved or fixed.

CREATE TRIGGER projects_amounts_within_ceiling_on_insert BEFORE INSERT ON projects
WHEN NEW.total_investment_cents NOT BETWEEN 0 AND 10000000000
  OR NEW.planned_investment_cents NOT BETWEEN 0 AND 10000000000
  OR NEW.social_investment_cents NOT BETWEEN 0 AND 10000000000
  OR NEW.approved_investment_completed_cents NOT BETWEEN 0 AND 10000000000
  OR NEW.approved_social_investment_completed_cents NOT BETWEEN 0 AND 10000000000
BEGIN
    SELECT RAISE(ABORT, 'an amount of projects is outside 0 to 10000000000 hundredths of 万元');
END;

CREATE TRIGGER projects_amounts_within_ceiling_on_update BEFORE UPDATE ON projects
WHEN (NEW.total_investment_cents IS NOT OLD.total_investment_cents AND NEW.total_investment_cents NOT BETWEEN 0 AND 10000000000)
  OR (NEW.planned_investment_cents IS NOT OLD.planned_investment_cents AND NEW.planned_investment_cents NOT BETWEEN 0 AND 10000000000)
  OR (NEW.social_investment_cents IS NOT OLD.social_investment_cents AND NEW.social_investment_cents NOT BETWEEN 0 AND 10000000000)
  OR (NEW.approved_investment_completed_cents IS NOT OLD.approved_investment_completed_cents AND NEW.approved_investment_completed_cents NOT BETWEEN 0 AND 10000000000)
  OR (NEW.approved_social_investment_completed_cents IS NOT OLD.approved_social_investment_completed_cents AND NEW.approved_social_investment_completed_cents NOT BETWEEN 0 AND 10000000000)
BEGIN
    SELECT RAISE(ABORT, 'an amount of projects is outside 0 to 10000000000 hundredths of 万元');
END;

CREATE TRIGGER reports_amounts_within_ceiling_on_insert BEFORE INSERT ON reports
WHEN NEW.investment_completed_cents NOT BETWEEN 0 AND 10000000000
  OR NEW.social_investment_completed_cents NOT BETWEEN 0 AND 10000000000
BEGIN
    SELECT RAISE(ABORT, 'an amount of reports is outside 0 to 10000000000 hundredths of 万元');
END;

CREATE TRIGGER reports_amounts_within_ceiling_on_update BEFORE UPDATE ON reports
WHEN (NEW.investment_completed_cents IS NOT OLD.investment_completed_cents AND NEW.investment_completed_cents NOT BETWEEN 0 AND 10000000000)
  OR (NEW.social_investment_completed_cents IS NOT OLD.social_investment_completed_cents AND NEW.social_investment_completed_cents NOT BETWEEN 0 AND 10000000000)
BEGIN
    SELECT RAISE(ABORT, 'an amount of reports is outside 0 to 10000000000 hundredths of 万元');
END;
