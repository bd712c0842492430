//! Which 县市区 a project belongs to. The table has no district column, so the rule below
//! reads it from the published text, in this order, and records which step decided:
//!
//! 1. The project name names exactly one district → that district.
//! 2. Otherwise an owner (建设主体) names exactly one district → that district.
//! 3. Otherwise the project name or an owner begins with 湘潭市 (a municipal body or a
//!    city-level project) → 市本级.
//! 4. Otherwise the project stays unassigned. Nothing is inferred from the row's position in
//!    the table or from place names (乡, 镇, 村) that the text does not tie to a district.
//!
//! The same rule, with the assignment of every project, is in docs/district-rule.md.

use keyproj_shared::{District, DistrictBasis};

/// Longer markers first, so 湘潭高新区 is read before 高新区.
const MARKERS: &[(&str, District)] = &[
    ("湘潭高新区", District::HighTech),
    ("高新区", District::HighTech),
    ("湘潭经开区", District::EconomicZone),
    ("经开区", District::EconomicZone),
    ("雨湖区", District::Yuhu),
    ("岳塘区", District::Yuetang),
    ("湘潭县", District::XiangtanCounty),
    ("湘乡市", District::Xiangxiang),
    ("湘乡", District::Xiangxiang),
    ("韶山市", District::Shaoshan),
    ("韶山", District::Shaoshan),
];

const MUNICIPAL_PREFIX: &str = "湘潭市";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub district: Option<District>,
    pub basis: DistrictBasis,
    pub note: String,
}

/// The districts a text names, each with the first marker that named it.
fn named_districts(text: &str) -> Vec<(District, &'static str)> {
    let mut found: Vec<(District, &'static str)> = Vec::new();
    for &(marker, district) in MARKERS {
        if text.contains(marker) && !found.iter().any(|(d, _)| *d == district) {
            found.push((district, marker));
        }
    }
    found
}

pub fn assign(name: &str, owners: &[String]) -> Assignment {
    let in_name = named_districts(name);
    if let [(district, marker)] = in_name[..] {
        return Assignment {
            district: Some(district),
            basis: DistrictBasis::ProjectName,
            note: format!("项目名称含“{marker}”"),
        };
    }
    let mut conflicts = in_name.len() > 1;
    if in_name.is_empty() {
        let mut in_owners: Vec<(District, &'static str, &str)> = Vec::new();
        for owner in owners {
            for (d, marker) in named_districts(owner) {
                if !in_owners.iter().any(|(x, _, _)| *x == d) {
                    in_owners.push((d, marker, owner));
                }
            }
        }
        if let [(district, marker, owner)] = in_owners[..] {
            return Assignment {
                district: Some(district),
                basis: DistrictBasis::OwnerName,
                note: format!("建设主体“{owner}”含“{marker}”"),
            };
        }
        conflicts = in_owners.len() > 1;
        if !conflicts {
            let municipal = std::iter::once(("项目名称", name))
                .chain(owners.iter().map(|o| ("建设主体", o.as_str())))
                .find(|(_, t)| t.starts_with(MUNICIPAL_PREFIX));
            if let Some((field, text)) = municipal {
                return Assignment {
                    district: Some(District::Municipal),
                    basis: DistrictBasis::MunicipalBody,
                    note: format!("{field}“{text}”以“{MUNICIPAL_PREFIX}”开头，且未载明县市区"),
                };
            }
        }
    }
    Assignment {
        district: None,
        basis: DistrictBasis::Unassigned,
        note: if conflicts {
            "名称或建设主体载明了多个县市区，未分配".to_string()
        } else {
            "项目名称与建设主体均未载明县市区，未分配".to_string()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owners(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_name_decides_before_the_owner() {
        // B47: the name says 经开区 while the owner is a township government
        let a = assign(
            "湘潭经开区全民健康保障工程项目",
            &owners(&["响水乡人民政府"]),
        );
        assert_eq!(a.district, Some(District::EconomicZone));
        assert_eq!(a.basis, DistrictBasis::ProjectName);
    }

    #[test]
    fn a_municipal_district_marker_beats_the_city_prefix() {
        let a = assign(
            "湘潭市雨湖区老年养护院(二期)建设项目",
            &owners(&["雨湖区民政局"]),
        );
        assert_eq!(a.district, Some(District::Yuhu));
    }

    #[test]
    fn the_owner_decides_when_the_name_is_silent() {
        let a = assign("社区嵌入式养老服务设施建设项目", &owners(&["韶山市民政局"]));
        assert_eq!(
            (a.district, a.basis),
            (Some(District::Shaoshan), DistrictBasis::OwnerName)
        );
    }

    #[test]
    fn a_city_body_is_municipal() {
        let a = assign(
            "城区老年人中央厨房及配送网络建设项目",
            &owners(&["湘潭市民政局"]),
        );
        assert_eq!(
            (a.district, a.basis),
            (Some(District::Municipal), DistrictBasis::MunicipalBody)
        );
    }

    #[test]
    fn xiangtan_county_is_not_municipal() {
        let a = assign("某项目", &owners(&["湘潭县民政局"]));
        assert_eq!(a.district, Some(District::XiangtanCounty));
    }

    #[test]
    fn a_company_with_no_place_stays_unassigned() {
        let a = assign(
            "湖南湘水缘圆满殡仪服务中心及配套用房工程项目",
            &owners(&["湖南湘水缘长生陵园有限公司"]),
        );
        assert_eq!((a.district, a.basis), (None, DistrictBasis::Unassigned));
    }

    #[test]
    fn owners_naming_two_districts_stay_unassigned() {
        let a = assign("某项目", &owners(&["雨湖区民政局", "岳塘区民政局"]));
        assert_eq!(a.district, None);
    }
}
