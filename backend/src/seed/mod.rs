//! Loads annex 1 into the database. Idempotent: a project whose code is already present is
//! left exactly as it is, so a restart neither duplicates rows nor overwrites later edits.

pub mod annex;
pub mod district;
pub mod owners;

use anyhow::Context;
use keyproj_shared::Money;

use crate::db::{self, DbConnection};
use crate::models::organisation::{NewProjectOwner, OrganisationRow};
use crate::models::project::{NewProject, ProjectRow, PublishedRowRow};
use crate::models::subtotal::{SubtotalRow, TOTAL_SCOPE};

const SEED_LOCK: i64 = 7062;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SeedReport {
    pub inserted: usize,
    pub already_present: usize,
}

fn subtotal_row(
    scope: &str,
    position: i32,
    label: &str,
    count: i32,
    total: &str,
    planned: &str,
) -> anyhow::Result<SubtotalRow> {
    Ok(SubtotalRow {
        scope: scope.to_string(),
        position,
        label: label.to_string(),
        project_count: count,
        total_investment_cents: annex::money(total)?.cents(),
        total_investment_text: total.to_string(),
        planned_investment_cents: annex::money(planned)?.cents(),
        planned_investment_text: planned.to_string(),
    })
}

/// Loads whatever of the annex is missing, in one transaction: all of it or none.
pub fn load(conn: &mut DbConnection) -> anyhow::Result<SeedReport> {
    let annex = annex::parse()?;
    db::write_transaction(conn, |conn| {
        // servers starting together on one PostgreSQL database seed one after the other
        db::lock_for_transaction(conn, SEED_LOCK)?;
        let t = &annex.total;
        let mut subtotals = vec![subtotal_row(
            TOTAL_SCOPE,
            0,
            &t.label,
            t.count,
            &t.total_investment,
            &t.planned_investment,
        )?];
        let mut report = SeedReport::default();
        for (position, c) in (1..).zip(&annex.categories) {
            let category = annex::category_of(c)?;
            subtotals.push(subtotal_row(
                category.key(),
                position,
                &c.label,
                c.count,
                &c.total_investment,
                &c.planned_investment,
            )?);
            for published in &c.projects {
                let row = published.interpret(category)?;
                if ProjectRow::code_exists(conn, &row.code)? {
                    report.already_present += 1;
                    continue;
                }
                let owner_names = owners::split(&published.owner);
                let place = district::assign(&published.name, &owner_names);
                let social = row.social_share.map(|s| row.total.times_percent(s));
                let project_id = NewProject {
                    code: row.code.clone(),
                    category: category.key().to_string(),
                    serial: row.serial,
                    name: published.name.clone(),
                    nature: row.nature.key().to_string(),
                    nature_published: published.nature.clone(),
                    owner_published: published.owner.clone(),
                    content: published.content.clone(),
                    start_published: row.start.published.clone(),
                    start_earliest_year: row.start.earliest_year,
                    start_earliest_month: row.start.earliest_month.map(i32::from),
                    start_latest_year: row.start.latest_year,
                    start_latest_month: row.start.latest_month.map(i32::from),
                    start_approximate: row.start.approximate,
                    end_published: row.end.published.clone(),
                    end_earliest_year: row.end.earliest_year,
                    end_earliest_month: row.end.earliest_month.map(i32::from),
                    end_latest_year: row.end.latest_year,
                    end_latest_month: row.end.latest_month.map(i32::from),
                    end_approximate: row.end.approximate,
                    total_investment_cents: row.total.cents(),
                    planned_investment_cents: row.planned.cents(),
                    social_share_bp: row
                        .social_share
                        .map(|s| i32::try_from(s.basis_points()))
                        .transpose()?,
                    social_investment_cents: social.map(Money::cents),
                    remarks: row.remarks.clone(),
                    district: place.district.map(|d| d.key().to_string()),
                    district_basis: place.basis.key().to_string(),
                    district_note: place.note,
                }
                .insert(conn)
                .with_context(|| format!("inserting {}", row.code))?;
                PublishedRowRow {
                    project_id,
                    serial: published.serial.clone(),
                    name: published.name.clone(),
                    nature: published.nature.clone(),
                    owner: published.owner.clone(),
                    content: published.content.clone(),
                    start_year: published.start_year.clone(),
                    end_year: published.end_year.clone(),
                    total_investment: published.total_investment.clone(),
                    planned_investment: published.planned_investment.clone(),
                    social_share: published.social_share.clone(),
                    remarks: published.remarks.clone(),
                }
                .insert(conn)?;
                let mut links = Vec::with_capacity(owner_names.len());
                for (position, name) in (0..).zip(&owner_names) {
                    links.push(NewProjectOwner {
                        project_id,
                        organisation_id: OrganisationRow::find_or_create(conn, name)?,
                        position,
                    });
                }
                OrganisationRow::link_owners(conn, &links)?;
                report.inserted += 1;
            }
        }
        SubtotalRow::insert_missing(conn, &subtotals)?;
        // every start: what a new build shows for the same data may differ too
        db::data_version::bump(conn)?;
        Ok(report)
    })
}
