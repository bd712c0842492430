//! The `sort` parameter of the list and the exports.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SortColumn {
    Code,
    Name,
    Category,
    Nature,
    Owner,
    District,
    Start,
    End,
    TotalInvestment,
    PlannedInvestment,
    SocialSharePct,
    SocialInvestment,
}

impl SortColumn {
    pub const ALL: &'static [SortColumn] = &[
        SortColumn::Code,
        SortColumn::Name,
        SortColumn::Category,
        SortColumn::Nature,
        SortColumn::Owner,
        SortColumn::District,
        SortColumn::Start,
        SortColumn::End,
        SortColumn::TotalInvestment,
        SortColumn::PlannedInvestment,
        SortColumn::SocialSharePct,
        SortColumn::SocialInvestment,
    ];

    pub const fn key(self) -> &'static str {
        match self {
            SortColumn::Code => "code",
            SortColumn::Name => "name",
            SortColumn::Category => "category",
            SortColumn::Nature => "nature",
            SortColumn::Owner => "owner",
            SortColumn::District => "district",
            SortColumn::Start => "start",
            SortColumn::End => "end",
            SortColumn::TotalInvestment => "total_investment",
            SortColumn::PlannedInvestment => "planned_investment",
            SortColumn::SocialSharePct => "social_share_pct",
            SortColumn::SocialInvestment => "social_investment",
        }
    }
}

/// `sort=total_investment` ascends, `sort=-total_investment` descends. Ties fall back to code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: SortColumn,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort {
            column: SortColumn::Code,
            descending: false,
        }
    }
}

impl fmt::Display for Sort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.descending { "-" } else { "" };
        write!(f, "{sign}{}", self.column.key())
    }
}

impl FromStr for Sort {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let (descending, name) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        SortColumn::ALL
            .iter()
            .find(|c| c.key() == name)
            .map(|&column| Sort { column, descending })
            .ok_or(())
    }
}

impl Sort {
    /// The value of a `sort` parameter, or the message that lists the columns.
    pub(crate) fn parse_param(s: &str) -> Result<Sort, String> {
        s.parse().map_err(|()| {
            let names: Vec<_> = SortColumn::ALL.iter().map(|c| c.key()).collect();
            format!("未知的排序列；可选: {}（前加 - 为降序）", names.join(", "))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leading_minus_descends_and_every_column_round_trips() {
        for &column in SortColumn::ALL {
            for descending in [false, true] {
                let s = Sort { column, descending };
                assert_eq!(s.to_string().parse(), Ok(s));
            }
        }
        assert_eq!(Sort::default().to_string(), "code");
        assert_eq!(
            "-total_investment".parse(),
            Ok(Sort {
                column: SortColumn::TotalInvestment,
                descending: true
            })
        );
        assert_eq!("--code".parse::<Sort>(), Err(()));
        assert!(Sort::parse_param("colour").is_err_and(|m| m.contains("social_share_pct")));
    }
}
