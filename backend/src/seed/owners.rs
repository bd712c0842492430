//! Splitting a published 项目建设主体 cell into organisations.
//!
//! The cell separates several owners by line breaks (三-5), by 、 (四-7) or by a run of
//! spaces (二-43). A single space inside one name (“湘乡市 民政局”, 二-24) is a typing slip,
//! not a separator: the organisation is named without it, and the cell keeps it.

pub fn split(published: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in published.split(['\n', '、']) {
        for part in split_on_space_runs(line) {
            let name: String = part.chars().filter(|c| !c.is_whitespace()).collect();
            if !name.is_empty() && !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// Splits where two or more whitespace characters stand together.
fn split_on_space_runs(line: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].1.is_whitespace() {
            let run_start = i;
            while i < chars.len() && chars[i].1.is_whitespace() {
                i += 1;
            }
            if i - run_start >= 2 {
                parts.push(&line[start..chars[run_start].0]);
                start = chars.get(i).map_or(line.len(), |c| c.0);
            }
        } else {
            i += 1;
        }
    }
    parts.push(&line[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn line_breaks_separate_owners() {
        assert_eq!(
            split("韶山市民政局\n清溪镇人民政府\n银田镇人民政府"),
            ["韶山市民政局", "清溪镇人民政府", "银田镇人民政府"]
        );
    }

    #[test]
    fn enumeration_commas_separate_owners() {
        assert_eq!(
            split("湘潭市雨湖区鹤岭镇人民政府、湘潭市雨湖区姜畲镇人民政府"),
            ["湘潭市雨湖区鹤岭镇人民政府", "湘潭市雨湖区姜畲镇人民政府"]
        );
    }

    #[test]
    fn runs_of_spaces_separate_owners_but_one_space_does_not() {
        assert_eq!(
            split("韶山人民医院    韶山市卫健局             韶山市民政局"),
            ["韶山人民医院", "韶山市卫健局", "韶山市民政局"]
        );
        assert_eq!(split("湘乡市 民政局"), ["湘乡市民政局"]);
    }
}
