//! seed/annex1.json: annex 1 of the plan, every cell verbatim (tools/extract_annex1.py made it
//! from the plan's text). This module reads it and interprets each cell, refusing anything it
//! cannot read rather than guessing.

use anyhow::{Context, anyhow, bail};
use keyproj_shared::{Category, Money, Nature, Percent, ScheduleDate};
use serde::Deserialize;

pub const ANNEX1_JSON: &str = include_str!("../../../seed/annex1.json");

#[derive(Debug, Deserialize)]
pub struct Annex {
    pub total: PublishedSubtotal,
    pub categories: Vec<PublishedCategory>,
}

#[derive(Debug, Deserialize)]
pub struct PublishedSubtotal {
    pub label: String,
    pub count: i32,
    pub total_investment: String,
    pub planned_investment: String,
}

#[derive(Debug, Deserialize)]
pub struct PublishedCategory {
    pub label: String,
    pub name: String,
    pub count: i32,
    pub total_investment: String,
    pub planned_investment: String,
    pub projects: Vec<PublishedProject>,
}

/// One row of the table, each cell as printed ("" for an empty cell).
#[derive(Debug, Deserialize)]
pub struct PublishedProject {
    pub serial: String,
    pub name: String,
    pub nature: String,
    pub owner: String,
    pub content: String,
    pub start_year: String,
    pub end_year: String,
    pub total_investment: String,
    pub planned_investment: String,
    pub social_share: String,
    pub remarks: String,
}

/// A row read into typed values; the verbatim cells stay in `PublishedProject`.
#[derive(Debug)]
pub struct Interpreted {
    pub category: Category,
    pub serial: i32,
    pub code: String,
    pub nature: Nature,
    pub start: ScheduleDate,
    pub end: ScheduleDate,
    pub total: Money,
    pub planned: Money,
    pub social_share: Option<Percent>,
    pub remarks: Option<String>,
}

pub fn parse() -> anyhow::Result<Annex> {
    serde_json::from_str(ANNEX1_JSON).context("reading seed/annex1.json")
}

pub fn category_of(c: &PublishedCategory) -> anyhow::Result<Category> {
    c.name
        .parse::<Category>()
        .map_err(|_| anyhow!("unknown category {:?}", c.name))
}

pub fn money(cell: &str) -> anyhow::Result<Money> {
    cell.parse::<Money>()
        .map_err(|e| anyhow!("amount {cell:?}: {e}"))
}

impl PublishedProject {
    pub fn interpret(&self, category: Category) -> anyhow::Result<Interpreted> {
        let ctx = || format!("{}{} {}", category.letter(), self.serial, self.name);
        let serial: i32 = self.serial.trim().parse().with_context(ctx)?;
        // 三-5 prints its nature over two lines, 新建 and 改建: that is the mixed form 新建/改建
        let nature = self
            .nature
            .replace('\n', "/")
            .parse::<Nature>()
            .map_err(|_| anyhow!("unknown 建设性质 {:?}", self.nature))
            .with_context(ctx)?;
        let start = ScheduleDate::parse_published(&self.start_year).with_context(ctx)?;
        let end = ScheduleDate::parse_published(&self.end_year).with_context(ctx)?;
        let social_share = match self.social_share.trim() {
            "" => None,
            s => {
                let Some(number) = s.strip_suffix('%') else {
                    bail!("{}: share {s:?} lacks its % sign", ctx());
                };
                Some(
                    number
                        .parse::<Percent>()
                        .map_err(|e| anyhow!("share {s:?}: {e}"))
                        .with_context(ctx)?,
                )
            }
        };
        Ok(Interpreted {
            category,
            serial,
            code: format!("{}{serial:02}", category.letter()),
            nature,
            start,
            end,
            total: money(&self.total_investment).with_context(ctx)?,
            planned: money(&self.planned_investment).with_context(ctx)?,
            social_share,
            remarks: Some(self.remarks.clone()).filter(|r| !r.trim().is_empty()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_of_the_annex_can_be_read() {
        let annex = parse().expect("annex parses");
        let mut n = 0;
        for c in &annex.categories {
            let cat = category_of(c).expect("category");
            assert_eq!(
                c.projects.len(),
                usize::try_from(c.count).unwrap_or(0),
                "{}",
                c.label
            );
            for p in &c.projects {
                p.interpret(cat).expect("row reads");
                n += 1;
            }
        }
        assert_eq!(n, 87);
        assert_eq!(annex.total.count, 87);
    }
}
