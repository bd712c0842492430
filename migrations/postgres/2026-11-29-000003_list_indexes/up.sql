-- The list's common shape: filtered by district and category, sorted by an amount. With
-- 100,000 projects this keeps a filtered, sorted page from scanning the table.
CREATE INDEX projects_district_category_total ON projects (district, category, total_investment_cents);
CREATE INDEX projects_category_total ON projects (category, total_investment_cents);
