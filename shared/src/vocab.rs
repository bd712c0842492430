//! The closed vocabularies of the plan: categories, districts and construction natures.
//! Each has a stable ASCII key for the wire and URLs, and the plan's own Chinese label.
//! Parsing accepts either, so `?district=韶山市` and `?district=shaoshan` mean the same.

use std::fmt;
use std::str::FromStr;

use crate::wire::wire;

macro_rules! vocabulary {
    ($(#[$($meta:tt)*])* $name:ident { $($variant:ident = $key:tt, $label:literal;)+ }) => {
        wire! {
            $(#[$($meta)*])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
            pub enum $name {
                $($variant = $key,)+
            }
        }

        impl $name {
            pub const fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, UnknownValue> {
                match s {
                    $($key | $label => Ok($name::$variant),)+
                    _ => Err(UnknownValue),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.key())
            }
        }
    };
}

pub(crate) use vocabulary;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("未知的取值")]
pub struct UnknownValue;

vocabulary! {
    /// The five categories of annex 1, in the order the table prints them.
    Category {
        ChildWelfare = "A", "儿童福利类";
        ElderlyWelfare = "B", "老年人福利类";
        CommunityGovernance = "C", "城乡社区治理类";
        PublicWelfare = "D", "社会公益类";
        DisabilityWelfare = "E", "残障人福利类";
    }
}

vocabulary! {
    /// 县市区. How a project gets one is written down in docs/district-rule.md.
    District {
        Municipal = "municipal", "市本级";
        Yuhu = "yuhu", "雨湖区";
        Yuetang = "yuetang", "岳塘区";
        XiangtanCounty = "xiangtan_county", "湘潭县";
        Xiangxiang = "xiangxiang", "湘乡市";
        Shaoshan = "shaoshan", "韶山市";
        HighTech = "high_tech_zone", "湘潭高新区";
        EconomicZone = "economic_zone", "湘潭经开区";
    }
}

vocabulary! {
    /// 建设性质, normalised. The mixed forms the table prints are values of their own,
    /// so they stay visible instead of being folded into one of their parts.
    Nature {
        New = "new", "新建";
        Expansion = "expansion", "改扩建";
        Renovation = "renovation", "改建";
        Continued = "continued", "续建";
        NewOrContinued = "new_or_continued", "新建或续建";
        NewAndRenovation = "new_and_renovation", "新建/改建";
    }
}

vocabulary! {
    /// What a user may do. Owners belong to one owner organisation (建设主体).
    Role {
        Admin = "admin", "系统管理员";
        Planner = "planner", "规划编制";
        Finance = "finance", "财务审核";
        Owner = "owner", "建设单位";
    }
}

vocabulary! {
    /// A project's construction status as an owner reports it.
    ProgressStatus {
        NotStarted = "not_started", "未开工";
        InProgress = "in_progress", "在建";
        Completed = "completed", "已竣工";
        Suspended = "suspended", "停工";
    }
}

vocabulary! {
    /// Where a progress report stands in review. Only `submitted` can be approved or
    /// returned; a newer report for the same project and month supersedes the older ones
    /// that were not approved.
    ReportState {
        Submitted = "submitted", "待审核";
        Approved = "approved", "已通过";
        Returned = "returned", "已退回";
        Superseded = "superseded", "已被更正";
    }
}

impl Category {
    pub const fn letter(self) -> char {
        match self {
            Category::ChildWelfare => 'A',
            Category::ElderlyWelfare => 'B',
            Category::CommunityGovernance => 'C',
            Category::PublicWelfare => 'D',
            Category::DisabilityWelfare => 'E',
        }
    }
}

/// The value the district filter uses for projects the source does not place.
pub const UNASSIGNED_KEY: &str = "unassigned";
pub const UNASSIGNED_LABEL: &str = "未分配";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vocabulary_value_parses_from_its_key_and_its_label() {
        for d in District::ALL {
            assert_eq!(d.key().parse::<District>(), Ok(*d));
            assert_eq!(d.label().parse::<District>(), Ok(*d));
        }
        for c in Category::ALL {
            assert_eq!(c.label().parse::<Category>(), Ok(*c));
            assert_eq!(c.letter().to_string().parse::<Category>(), Ok(*c));
        }
        for n in Nature::ALL {
            assert_eq!(n.label().parse::<Nature>(), Ok(*n));
        }
        assert_eq!("韶山".parse::<District>(), Err(UnknownValue));
    }

    #[test]
    fn serde_uses_the_stable_key() {
        assert_eq!(
            serde_json::to_string(&District::Shaoshan).ok(),
            Some("\"shaoshan\"".into())
        );
    }
}
