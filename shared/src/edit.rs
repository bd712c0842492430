//! Master-data edits by planners: `PATCH /api/projects/{code}`. Every field but `reason` is
//! optional, and an absent field stays as it is. The values as published never change; the
//! project page shows them next to the current ones.

use crate::dates::DATE_YEARS;
use crate::money::{Money, Percent};
use crate::problem::FieldError;
use crate::query::DistrictFilter;
use crate::report::MAX_REASON_CHARS;
use crate::schedule::ScheduleDate;
use crate::text::{self, Lines};
use crate::vocab::District;
use crate::wire::wire;

pub const PROJECT_EDIT_FIELDS: &[&str] = &[
    "reason",
    "district",
    "start",
    "end",
    "total_investment",
    "planned_investment",
    "social_share_pct",
    "owners",
    "remarks",
];

/// The message of the one error that says an edit changes nothing.
pub const NOTHING_TO_CHANGE: &str = "没有要修改的字段：请至少修改 district、start、end、total_investment、planned_investment、social_share_pct、owners、remarks 之一";

pub const MAX_OWNERS: usize = 20;
pub const MAX_OWNER_CHARS: usize = 200;
pub const MAX_REMARKS_CHARS: usize = 1000;

wire! {
    /// As typed into the edit form; `parse` checks it.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct ProjectEdit {
        /// Why: required, kept in the audit trail.
        pub reason: String,
        /// A district key or name; `unassigned`, `未分配` or `""` leaves the project unassigned.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub district: Option<String>,
        /// 开工年份 as the plan writes it: `2021`, `2021.8` or `2021-2023`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub start: Option<String>,
        /// 竣工年份, same forms.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub end: Option<String>,
        /// 总投资, 万元, from 0 to the ceiling `"100000000.00"` (`Money::MAX`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub total_investment: Option<String>,
        /// "十四五"计划投资, 万元, from 0 to the ceiling `"100000000.00"` (`Money::MAX`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub planned_investment: Option<String>,
        /// 社会投资占比 in %; `""` clears it. The social amount is recomputed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub social_share_pct: Option<String>,
        /// 建设主体: organisation names, in order; new names become new organisations.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub owners: Option<Vec<String>>,
        /// 备注; `""` clears it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub remarks: Option<String>,
    }
}

/// A checked edit: `None` leaves a field alone; `Some(None)` clears a field that may be empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectChanges {
    pub reason: String,
    pub district: Option<Option<District>>,
    pub start: Option<ScheduleDate>,
    pub end: Option<ScheduleDate>,
    pub total_investment: Option<Money>,
    pub planned_investment: Option<Money>,
    pub social_share: Option<Option<Percent>>,
    pub owners: Option<Vec<String>>,
    pub remarks: Option<Option<String>>,
}

fn amount(errors: &mut Vec<FieldError>, field: &str, raw: &str) -> Option<Money> {
    Money::parse_amount(raw)
        .map_err(|e| errors.push(FieldError::new(field, e)))
        .ok()
}

fn schedule(errors: &mut Vec<FieldError>, field: &str, raw: &str) -> Option<ScheduleDate> {
    ScheduleDate::parse_published(raw.trim())
        .map_err(|_| {
            errors.push(FieldError::new(
                field,
                format!(
                    "应为 {}-{} 年间的年份，写作 2021、2021.8 或 2021-2023",
                    DATE_YEARS.start(),
                    DATE_YEARS.end()
                ),
            ))
        })
        .ok()
}

impl ProjectEdit {
    pub fn validate(&self) -> Vec<FieldError> {
        self.parse().err().unwrap_or_default()
    }

    pub fn parse(&self) -> Result<ProjectChanges, Vec<FieldError>> {
        let mut errors = Vec::new();
        let reason = self.reason.trim().to_string();
        if reason.is_empty() {
            errors.push(FieldError::new("reason", "修改须说明原因"));
        } else if let Err(e) = text::check("reason", &reason, MAX_REASON_CHARS, Lines::Many) {
            errors.push(e);
        }
        let district = self.district.as_deref().map(str::trim).and_then(|d| {
            if d.is_empty() {
                return Some(None);
            }
            match d.parse::<DistrictFilter>() {
                Ok(DistrictFilter::Is(d)) => Some(Some(d)),
                Ok(DistrictFilter::Unassigned) => Some(None),
                Err(()) => {
                    let names: Vec<_> = District::ALL.iter().map(|d| d.label()).collect();
                    errors.push(FieldError::new(
                        "district",
                        format!("未知的县市区；可选: {}、未分配", names.join("、")),
                    ));
                    None
                }
            }
        });
        let start = self
            .start
            .as_deref()
            .and_then(|s| schedule(&mut errors, "start", s));
        let end = self
            .end
            .as_deref()
            .and_then(|s| schedule(&mut errors, "end", s));
        let total_investment = self
            .total_investment
            .as_deref()
            .and_then(|s| amount(&mut errors, "total_investment", s));
        let planned_investment = self
            .planned_investment
            .as_deref()
            .and_then(|s| amount(&mut errors, "planned_investment", s));
        let social_share = self
            .social_share_pct
            .as_deref()
            .map(str::trim)
            .and_then(|s| {
                if s.is_empty() {
                    return Some(None);
                }
                match s.parse::<Percent>() {
                    Ok(p) if (0..=10_000).contains(&p.basis_points()) => Some(Some(p)),
                    Ok(_) => {
                        errors.push(FieldError::new(
                            "social_share_pct",
                            "社会投资占比应在 0 到 100 之间",
                        ));
                        None
                    }
                    Err(e) => {
                        errors.push(FieldError::new("social_share_pct", format!("{e}")));
                        None
                    }
                }
            });
        let owners = self.owners.as_ref().and_then(|list| {
            let names: Vec<String> = list.iter().map(|o| o.trim().to_string()).collect();
            let mut seen = std::collections::BTreeSet::new();
            let problem = if names.is_empty() {
                Some("至少一个建设主体".to_string())
            } else if names.len() > MAX_OWNERS {
                Some(format!("最多 {MAX_OWNERS} 个建设主体"))
            } else if names.iter().any(|n| n.is_empty()) {
                Some("建设主体名称不能为空".to_string())
            } else if let Some(m) = names
                .iter()
                .find_map(|n| text::problem(n, MAX_OWNER_CHARS, Lines::One))
            {
                Some(format!("建设主体名称{m}"))
            } else if !names.iter().all(|n| seen.insert(n.clone())) {
                Some("建设主体重复".to_string())
            } else {
                None
            };
            match problem {
                Some(m) => {
                    errors.push(FieldError::new("owners", m));
                    None
                }
                None => Some(names),
            }
        });
        let remarks = self.remarks.as_deref().map(str::trim).and_then(|r| {
            if let Err(e) = text::check("remarks", r, MAX_REMARKS_CHARS, Lines::Many) {
                errors.push(e);
                None
            } else {
                Some(Some(r.to_string()).filter(|r| !r.is_empty()))
            }
        });
        if let (Some(s), Some(e)) = (&start, &end)
            && e.latest_year < s.earliest_year
        {
            errors.push(FieldError::new("end", "竣工年份不能早于开工年份"));
        }
        let changes = ProjectChanges {
            reason,
            district,
            start,
            end,
            total_investment,
            planned_investment,
            social_share,
            owners,
            remarks,
        };
        if errors.is_empty() && changes.is_empty() {
            errors.push(FieldError::new("reason", NOTHING_TO_CHANGE));
        }
        if errors.is_empty() {
            Ok(changes)
        } else {
            Err(errors)
        }
    }
}

impl ProjectChanges {
    /// Nothing but the reason.
    pub fn is_empty(&self) -> bool {
        self.district.is_none()
            && self.start.is_none()
            && self.end.is_none()
            && self.total_investment.is_none()
            && self.planned_investment.is_none()
            && self.social_share.is_none()
            && self.owners.is_none()
            && self.remarks.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(e: &ProjectEdit) -> Vec<String> {
        e.validate().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn an_edit_needs_a_reason_and_a_change() {
        let e = ProjectEdit {
            remarks: Some("x".into()),
            ..Default::default()
        };
        assert_eq!(fields(&e), ["reason"]);
        let e = ProjectEdit {
            reason: "核对".into(),
            ..Default::default()
        };
        assert_eq!(fields(&e), ["reason"]);
    }

    #[test]
    fn each_bad_value_is_named() {
        let e = ProjectEdit {
            reason: "核对".into(),
            district: Some("火星区".into()),
            start: Some("明年".into()),
            total_investment: Some("-5".into()),
            planned_investment: Some("1.234".into()),
            social_share_pct: Some("101".into()),
            owners: Some(vec!["".into()]),
            ..Default::default()
        };
        assert_eq!(
            fields(&e),
            [
                "district",
                "start",
                "total_investment",
                "planned_investment",
                "social_share_pct",
                "owners"
            ]
        );
    }

    #[test]
    fn empty_strings_clear_what_may_be_empty() {
        let c = ProjectEdit {
            reason: "核对".into(),
            district: Some("".into()),
            social_share_pct: Some("".into()),
            remarks: Some(" ".into()),
            ..Default::default()
        }
        .parse()
        .expect("valid");
        assert_eq!(
            (c.district, c.social_share, c.remarks),
            (Some(None), Some(None), Some(None))
        );
    }
}
