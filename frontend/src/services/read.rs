//! Reading the API's answers. serde's derived `Deserialize` compiles a visitor, a field
//! matcher and a sequence reader for every type, each instantiated for serde_json's
//! deserializer: about a seventh of the wasm. Here one small parser builds a tree, and each
//! type takes its fields out of it by name with [`FromJson`], whose per-type code is a list of
//! calls. The rules are serde's: unknown fields are ignored, a missing `Option` is `None`, a
//! field marked `#[serde(default)]` in `keyproj_shared` may be missing, anything else missing
//! or of the wrong kind is an error. The tests hold every type against its derived parse.

use keyproj_shared::{
    ApprovedProgress, AuditEntry, AuditPage, Category, Difference, District, DistrictBasis,
    FieldError, Finding, FindingKind, Money, Nature, Owner, Percent, Pivot, PivotCell, Problem,
    ProgressStatus, ProjectDetail, ProjectItem, ProjectPage, PublishedFigures, PublishedRow,
    Reconciliation, ReconciliationRow, Report, ReportList, ReportPage, ReportState, Role,
    ScheduleDate, SessionInfo, SessionUser, Summary, SummaryGroup, TextContradiction, Totals,
    UserItem, UserList, UserRef,
};

/// A parsed JSON value. Numbers keep their text: the types read from them are integers,
/// and parsing the text as the target type is exact where a float would not be.
pub enum Json {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

/// Why an answer could not be read: what was wrong, and in which field (the innermost one
/// with a name). Static text in a box: formatting a message at every place a read can fail,
/// or a wider error in every `Result`, costs kilobytes of wasm, and the message is read by a
/// developer, once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(Box<Reason>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Reason {
    what: &'static str,
    field: &'static str,
}

impl Error {
    #[cold]
    #[inline(never)]
    fn new(what: &'static str) -> Error {
        Error(Box::new(Reason { what, field: "" }))
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Reason { what, field } = *self.0;
        if field.is_empty() {
            f.write_str(what)
        } else {
            write!(f, "{field}: {what}")
        }
    }
}

/// `text` as `T`.
pub fn from_str<T: FromJson>(text: &str) -> Result<T, Error> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
    };
    let value = p.value(0)?;
    p.ws();
    if p.i != p.s.len() {
        return Err(Error::new("trailing characters"));
    }
    T::from_json(value)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

/// Deeper nesting than any answer has is refused rather than overflowing the stack.
const MAX_DEPTH: u32 = 64;

impl Parser<'_> {
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        if hit {
            self.i += 1;
        }
        hit
    }

    fn literal(&mut self, word: &str, v: Json) -> Result<Json, Error> {
        if self.s[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(v)
        } else {
            Err(Error::new("expected value"))
        }
    }

    fn value(&mut self, depth: u32) -> Result<Json, Error> {
        if depth > MAX_DEPTH {
            return Err(Error::new("nested too deeply"));
        }
        match self.peek() {
            Some(b'n') => self.literal("null", Json::Null),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::Str),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value(depth + 1)?);
                        if self.eat(b']') {
                            break;
                        }
                        if !self.eat(b',') {
                            return Err(Error::new("expected `,` or `]`"));
                        }
                    }
                }
                Ok(Json::Arr(items))
            }
            Some(b'{') => {
                self.i += 1;
                let mut fields = Vec::new();
                if !self.eat(b'}') {
                    loop {
                        if self.peek() != Some(b'"') {
                            return Err(Error::new("expected a key"));
                        }
                        let key = self.string()?;
                        if !self.eat(b':') {
                            return Err(Error::new("expected `:`"));
                        }
                        fields.push((key, self.value(depth + 1)?));
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return Err(Error::new("expected `,` or `}`"));
                        }
                    }
                }
                Ok(Json::Obj(fields))
            }
            _ => Err(Error::new("expected value")),
        }
    }

    fn digits(&mut self) -> usize {
        let from = self.i;
        while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        self.i - from
    }

    /// JSON's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self) -> Result<Json, Error> {
        let from = self.i;
        if self.s[self.i] == b'-' {
            self.i += 1;
        }
        let int_from = self.i;
        let int = self.digits();
        let bad = int == 0
            || (int > 1 && self.s[int_from] == b'0')
            || (self.s.get(self.i) == Some(&b'.') && {
                self.i += 1;
                self.digits() == 0
            })
            || (matches!(self.s.get(self.i), Some(b'e' | b'E')) && {
                self.i += 1;
                if let Some(b'+' | b'-') = self.s.get(self.i) {
                    self.i += 1;
                }
                self.digits() == 0
            });
        if bad {
            return Err(Error::new("invalid number"));
        }
        let text = String::from_utf8_lossy(&self.s[from..self.i]).into_owned();
        Ok(Json::Num(text))
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let mut v = 0;
        for _ in 0..4 {
            let d = self
                .s
                .get(self.i)
                .and_then(|&b| char::from(b).to_digit(16))
                .ok_or_else(|| Error::new("invalid escape"))?;
            v = v * 16 + d;
            self.i += 1;
        }
        Ok(v)
    }

    /// A string; the opening quote is at `self.i`.
    fn string(&mut self) -> Result<String, Error> {
        self.i += 1;
        let mut out = Vec::new();
        loop {
            let Some(&b) = self.s.get(self.i) else {
                return Err(Error::new("unterminated string"));
            };
            self.i += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let e = self.s.get(self.i).copied();
                    self.i += 1;
                    let c = match e {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let mut u = self.hex4()?;
                            if (0xD800..0xDC00).contains(&u) && self.s[self.i..].starts_with(b"\\u")
                            {
                                self.i += 2;
                                let low = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&low) {
                                    return Err(Error::new("invalid surrogate pair"));
                                }
                                u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
                            }
                            char::from_u32(u).ok_or_else(|| Error::new("lone surrogate"))?
                        }
                        _ => return Err(Error::new("invalid escape")),
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                0..0x20 => return Err(Error::new("control character in string")),
                _ => out.push(b),
            }
        }
        // The input is a `&str` and escapes are written as UTF-8, so this cannot fail.
        String::from_utf8(out).map_err(|_| Error::new("invalid UTF-8"))
    }
}

impl Json {
    /// `self` where a value of another kind belongs.
    fn wrong(&self) -> Error {
        Error::new(match self {
            Json::Null => "invalid type: null",
            Json::Bool(_) => "invalid type: a boolean",
            Json::Num(_) => "invalid type: a number",
            Json::Str(_) => "invalid type: a string",
            Json::Arr(_) => "invalid type: an array",
            Json::Obj(_) => "invalid type: an object",
        })
    }
}

/// A type read from a JSON value.
pub trait FromJson: Sized {
    fn from_json(j: Json) -> Result<Self, Error>;

    /// The value of a field that is not there at all: an error, except for `Option`.
    fn missing() -> Result<Self, Error> {
        Err(Error::new("missing field"))
    }
}

/// The fields of an object, taken out one by one.
pub struct Fields(Vec<(String, Json)>);

impl Fields {
    pub fn of(j: Json) -> Result<Fields, Error> {
        match j {
            Json::Obj(fields) => Ok(Fields(fields)),
            other => Err(other.wrong()),
        }
    }

    fn take_raw(&mut self, key: &str) -> Option<Json> {
        let at = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.swap_remove(at).1)
    }

    /// A field the type requires (an `Option` may be missing). Never inlined: one copy per
    /// field type instead of one per field.
    #[inline(never)]
    pub fn take<T: FromJson>(&mut self, key: &'static str) -> Result<T, Error> {
        match self.take_raw(key) {
            Some(j) => T::from_json(j),
            None => T::missing(),
        }
        .map_err(|e| within(key, e))
    }

    /// A `#[serde(default)]` field.
    #[inline(never)]
    pub fn take_or_default<T: FromJson + Default>(
        &mut self,
        key: &'static str,
    ) -> Result<T, Error> {
        match self.take_raw(key) {
            Some(j) => T::from_json(j).map_err(|e| within(key, e)),
            None => Ok(T::default()),
        }
    }
}

/// `e`, said of the field `key` unless a field inside it is named already.
#[cold]
#[inline(never)]
fn within(key: &'static str, mut e: Error) -> Error {
    if e.0.field.is_empty() {
        e.0.field = key;
    }
    e
}

impl FromJson for String {
    fn from_json(j: Json) -> Result<Self, Error> {
        match j {
            Json::Str(s) => Ok(s),
            other => Err(other.wrong()),
        }
    }
}

impl FromJson for bool {
    fn from_json(j: Json) -> Result<Self, Error> {
        match j {
            Json::Bool(b) => Ok(b),
            other => Err(other.wrong()),
        }
    }
}

/// A JSON integer, exactly: the sign, and the magnitude if it fits in 64 bits. One parser
/// for every integer type (a `str::parse` per type would be one copy each).
fn integer(j: Json) -> Result<(bool, u64), Error> {
    let n = match j {
        Json::Num(n) => n,
        other => return Err(other.wrong()),
    };
    let (negative, digits) = match n.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, n.as_str()),
    };
    digits
        .parse()
        .map(|m| (negative, m))
        .map_err(|_| Error::new("invalid value: not an integer"))
}

macro_rules! integers {
    ($($t:ty),+) => {$(
        impl FromJson for $t {
            fn from_json(j: Json) -> Result<Self, Error> {
                let out_of_range = || Error::new(concat!("invalid value: out of range for ", stringify!($t)));
                match integer(j)? {
                    (false, m) => <$t>::try_from(m).map_err(|_| out_of_range()),
                    // -m, through i128 so that i64::MIN's magnitude fits
                    (true, m) => <$t>::try_from(-i128::from(m)).map_err(|_| out_of_range()),
                }
            }
        }
    )+};
}

integers!(i64, u64, i32, u32, u16, u8);

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(j: Json) -> Result<Self, Error> {
        match j {
            Json::Null => Ok(None),
            j => T::from_json(j).map(Some),
        }
    }

    fn missing() -> Result<Self, Error> {
        Ok(None)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(j: Json) -> Result<Self, Error> {
        match j {
            Json::Arr(items) => {
                // A loop, not `collect` into a `Result`: that adapter costs kilobytes per `T`.
                let mut out = Vec::with_capacity(items.len());
                for j in items {
                    out.push(T::from_json(j)?);
                }
                Ok(out)
            }
            other => Err(other.wrong()),
        }
    }
}

/// A value the wire carries as a string (amounts, keys of vocabularies).
fn parse_str<T>(j: Json, parse: impl FnOnce(&str) -> Option<T>) -> Result<T, Error> {
    let s = String::from_json(j)?;
    parse(&s).ok_or_else(|| Error::new("invalid value"))
}

impl FromJson for Money {
    fn from_json(j: Json) -> Result<Self, Error> {
        parse_str(j, |s| s.parse().ok())
    }
}

impl FromJson for Percent {
    fn from_json(j: Json) -> Result<Self, Error> {
        parse_str(j, |s| s.parse().ok())
    }
}

/// Vocabularies travel as their keys only (serde's `rename`), never their labels.
macro_rules! keyed {
    ($($t:ty),+) => {$(
        impl FromJson for $t {
            fn from_json(j: Json) -> Result<Self, Error> {
                parse_str(j, |s| <$t>::ALL.iter().copied().find(|v| v.key() == s))
            }
        }
    )+};
}

keyed!(
    Category,
    District,
    Nature,
    Role,
    ProgressStatus,
    ReportState
);

impl FromJson for DistrictBasis {
    fn from_json(j: Json) -> Result<Self, Error> {
        parse_str(j, DistrictBasis::from_key)
    }
}

impl FromJson for FindingKind {
    fn from_json(j: Json) -> Result<Self, Error> {
        parse_str(j, |s| match s {
            "category_subtotal_mismatch" => Some(FindingKind::CategorySubtotalMismatch),
            "text_contradicts_amount" => Some(FindingKind::TextContradictsAmount),
            "planned_differs_from_schedule" => Some(FindingKind::PlannedDiffersFromSchedule),
            _ => None,
        })
    }
}

/// An audit entry's before/after: any JSON, as a `serde_json::Value`. Integers are exact;
/// a fraction (the API sends none there) is kept as its text, since turning it into a float
/// would add a float parser to the app for nothing the page shows.
impl FromJson for serde_json::Value {
    fn from_json(j: Json) -> Result<Self, Error> {
        use serde_json::Value;
        Ok(match j {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(b),
            Json::Num(n) => match (n.parse::<i64>(), n.parse::<u64>()) {
                (Ok(i), _) => Value::from(i),
                (_, Ok(u)) => Value::from(u),
                _ => Value::String(n),
            },
            Json::Str(s) => Value::String(s),
            Json::Arr(items) => Value::Array(Vec::from_json(Json::Arr(items))?),
            Json::Obj(fields) => {
                let mut map = serde_json::Map::new();
                for (k, v) in fields {
                    map.insert(k, Value::from_json(v)?);
                }
                Value::Object(map)
            }
        })
    }
}

/// `FromJson` for a struct: `field` is required (or `None` when an `Option` is missing),
/// `field = "key"` has another name on the wire, `default field` may be missing. The struct
/// literal names every field, so a field added in `keyproj_shared` breaks the build here.
macro_rules! structs {
    ($($t:ident { $($(#$default:ident)? $field:ident $(= $key:literal)?),+ $(,)? })+) => {$(
        impl FromJson for $t {
            fn from_json(j: Json) -> Result<Self, Error> {
                let mut o = Fields::of(j)?;
                Ok($t { $($field: structs!(@take o $(#$default)? $field $($key)?)?),+ })
            }
        }
    )+};
    (@take $o:ident $field:ident) => { $o.take(stringify!($field)) };
    (@take $o:ident $field:ident $key:literal) => { $o.take($key) };
    (@take $o:ident #default $field:ident) => { $o.take_or_default(stringify!($field)) };
}

structs! {
    Owner { id, name }
    ScheduleDate { published, earliest_year, earliest_month, latest_year, latest_month, approximate }
    ApprovedProgress {
        report_id, period, physical_progress_pct, investment_completed,
        social_investment_completed, status,
    }
    ProjectItem {
        code, category, serial, name, nature, nature_published, owners, district, start, end,
        total_investment, planned_investment, social_share_pct, social_investment, remarks,
        has_findings, #default approved,
    }
    PublishedRow {
        serial, name, nature, owner, content, start_year, end_year, total_investment,
        planned_investment, social_share, remarks,
    }
    Finding { kind, message }
    Totals {
        count, total_investment, planned_investment, social_investment, social_share_pct,
        #default investment_completed,
    }
    ProjectPage { items, total, page, per_page, #default next_cursor, totals }
    SummaryGroup {
        key, label, count, total_investment, planned_investment, social_investment,
        social_share_pct, #default investment_completed, #default approximate_count,
    }
    Summary { group_by, groups, total }
    PublishedFigures {
        label, count, total_investment, planned_investment, total_investment_text,
        planned_investment_text,
    }
    Difference { count, total_investment, planned_investment }
    ReconciliationRow {
        scope, category, published, computed, difference, matches, sum_of_published_categories,
    }
    TextContradiction { code, name, stated_text, stated_amount, total_investment, difference }
    Reconciliation { rows, contradictions }
    PivotCell { district, category, totals }
    Pivot { rows, columns, cells, total }
    Problem { kind = "type", title, status, #default detail, #default errors }
    FieldError { field, message }
    SessionUser { id, username, role, organisation }
    SessionInfo { user, expires_at, idle_timeout_secs }
    UserItem { id, username, role, organisation, disabled, created_at, version, etag }
    UserList { items }
    UserRef { id, username }
    Report {
        id, project_code, project_name, period, physical_progress_pct, investment_completed,
        social_investment_completed, status, actual_start, actual_end, progress_text,
        problems_text, over_total_reason, state, supersedes_id, submitted_by, submitted_at,
        reviewed_by, reviewed_at, review_reason, version, etag,
    }
    ReportList { items }
    ReportPage { items, total, page, per_page }
    AuditEntry {
        id, at, user_id, username, role, organisation_id, entity, entity_id, action, before,
        after, request_id,
    }
    AuditPage { items, total, page, per_page }
}

/// `ProjectDetail` flattens a `ProjectItem` into its own object: its own fields are taken
/// out first, and what is left is read as the item.
impl FromJson for ProjectDetail {
    fn from_json(j: Json) -> Result<Self, Error> {
        let mut o = Fields::of(j)?;
        let content = o.take("content")?;
        let category_label = o.take("category_label")?;
        let district_basis = o.take("district_basis")?;
        let district_note = o.take("district_note")?;
        let outside_plan_investment = o.take("outside_plan_investment")?;
        let government_investment = o.take("government_investment")?;
        let published = o.take("published")?;
        let findings = o.take("findings")?;
        let version = o.take_or_default("version")?;
        let etag = o.take_or_default("etag")?;
        Ok(ProjectDetail {
            item: ProjectItem::from_json(Json::Obj(o.0))?,
            content,
            category_label,
            district_basis,
            district_note,
            outside_plan_investment,
            government_investment,
            published,
            findings,
            version,
            etag,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde::de::DeserializeOwned;

    use super::*;

    /// Reads `json` both ways: the two must agree, on the value or on failing.
    fn same<T: FromJson + DeserializeOwned + PartialEq + std::fmt::Debug>(json: &str) -> T {
        let derived: Result<T, _> = serde_json::from_str(json);
        let ours: Result<T, _> = from_str(json);
        match (derived, ours) {
            (Ok(d), Ok(o)) => {
                assert_eq!(d, o, "{json}");
                o
            }
            (d, o) => panic!("derived {d:?}, ours {o:?}, for {json}"),
        }
    }

    fn both_refuse<T: FromJson + DeserializeOwned + std::fmt::Debug>(json: &str) {
        assert!(
            serde_json::from_str::<T>(json).is_err(),
            "serde took {json}"
        );
        assert!(from_str::<T>(json).is_err(), "we took {json}");
    }

    const ITEM: &str = r#""code":"B14","category":"B","serial":14,"name":"湘潭县云湖桥镇中心敬老院建设项目",
        "nature":"expansion","nature_published":"改扩建","owners":[{"id":12,"name":"云湖桥镇人民政府"}],
        "district":"xiangtan_county",
        "start":{"published":"2021-2023","earliest_year":2021,"earliest_month":null,"latest_year":2023,"latest_month":null,"approximate":true},
        "end":{"published":"2021.8","earliest_year":2021,"earliest_month":8,"latest_year":2021,"latest_month":8,"approximate":false},
        "total_investment":"200.00","planned_investment":"120.00","social_share_pct":"9.24","social_investment":"18.48",
        "remarks":null,"has_findings":true"#;

    const APPROVED: &str = r#""approved":{"report_id":7,"period":"2024-06","physical_progress_pct":"45.50",
        "investment_completed":"88.80","social_investment_completed":"0.00","status":"in_progress"}"#;

    const TOTALS: &str = r#"{"count":3,"total_investment":"5409.88","planned_investment":"120",
        "social_investment":"0.5","social_share_pct":null}"#;

    #[test]
    fn a_project_page_reads_as_derived() {
        let page: ProjectPage = same(&format!(
            r#"{{"items":[{{{ITEM}}},{{{ITEM},{APPROVED},"unknown":[1,{{"x":null}}]}}],
            "total":2,"page":1,"per_page":20,"totals":{TOTALS}}}"#
        ));
        assert_eq!(page.items.len(), 2);
        assert!(page.items[1].approved.is_some());
        same::<Totals>(&TOTALS.replace('}', r#","investment_completed":"1.00"}"#));
    }

    #[test]
    fn a_detail_reads_as_derived_through_its_flattened_item() {
        let detail = format!(
            r#"{{{ITEM},"content":"改扩建\n两处","category_label":"老年人福利类",
            "district_basis":"project_name","district_note":"项目名称含“湘潭县”",
            "outside_plan_investment":"80.00","government_investment":"181.52",
            "published":{{"serial":"14","name":"n","nature":"改扩建","owner":"o","content":"c","start_year":"2021-2023",
              "end_year":"2021.8","total_investment":"200","planned_investment":"120","social_share":"9.24%","remarks":""}},
            "findings":[{{"kind":"planned_differs_from_schedule","message":"m"}},{{"kind":"text_contradicts_amount","message":"m"}},
              {{"kind":"category_subtotal_mismatch","message":"m"}}]"#
        );
        let d: ProjectDetail = same(&format!("{detail}}}"));
        assert_eq!(d.item.code, "B14");
        same::<ProjectDetail>(&format!(
            r#"{detail},"version":3,"etag":"\"p1-v3\"",{APPROVED}}}"#
        ));
        both_refuse::<ProjectDetail>(&format!(r#"{detail},"district_basis":"elsewhere"}}"#));
    }

    #[test]
    fn summaries_pivots_and_reconciliation_read_as_derived() {
        let group = r#"{"key":"B","label":"老年人福利类","count":2,"total_investment":"1.00",
            "planned_investment":"2.00","social_investment":"0.00","social_share_pct":"0.00"}"#;
        same::<Summary>(&format!(
            r#"{{"group_by":"category","groups":[{group},{}],"total":{TOTALS}}}"#,
            group.replace('}', r#","approximate_count":1}"#)
        ));
        same::<Pivot>(&format!(
            r#"{{"rows":[{group}],"columns":[],"cells":[{{"district":"yuhu","category":"E","totals":{TOTALS}}}],"total":{TOTALS}}}"#
        ));
        let diff = r#"{"count":-1,"total_investment":"-3.05","planned_investment":"0"}"#;
        same::<Reconciliation>(&format!(
            r#"{{"rows":[{{"scope":"category","category":"A","published":{{"label":"儿童福利类","count":4,
            "total_investment":"1","planned_investment":"2","total_investment_text":"1","planned_investment_text":"2"}},
            "computed":{TOTALS},"difference":{diff},"matches":false,"sum_of_published_categories":{diff}}}],
            "contradictions":[{{"code":"A1","name":"n","stated_text":"约1万元","stated_amount":"1","total_investment":"2","difference":"1"}}]}}"#
        ));
    }

    #[test]
    fn accounts_reports_and_the_audit_trail_read_as_derived() {
        let user = r#"{"id":2,"username":"qian","role":"owner","organisation":{"id":12,"name":"云湖桥镇人民政府"}}"#;
        same::<SessionInfo>(&format!(
            r#"{{"user":{user},"expires_at":"2024-06-01T10:00:00Z","idle_timeout_secs":1800}}"#
        ));
        same::<SessionUser>(r#"{"id":1,"username":"admin","role":"admin","organisation":null}"#);
        same::<SessionUser>(r#"{"id":1,"username":"admin","role":"admin"}"#);
        both_refuse::<SessionUser>(r#"{"id":1,"username":"admin","role":"系统管理员"}"#);
        same::<UserList>(
            r#"{"items":[{"id":1,"username":"a","role":"finance","organisation":null,"disabled":true,
            "created_at":"2024-01-01T00:00:00Z","version":2,"etag":"\"u1-v2\""}]}"#,
        );
        let report = r#"{"id":9,"project_code":"B14","project_name":"n","period":"2024-06","physical_progress_pct":"45.5",
            "investment_completed":"88.80","social_investment_completed":"0","status":"completed","actual_start":"2024-03-01",
            "actual_end":null,"progress_text":"主体\"封顶\"\t\u4e0b一步 \ud83d\ude00","problems_text":"","over_total_reason":null,
            "state":"returned","supersedes_id":3,"submitted_by":{"id":2,"username":"qian"},"submitted_at":"2024-06-02T01:00:00Z",
            "reviewed_by":{"id":3,"username":"sun"},"reviewed_at":"2024-06-03T01:00:00Z","review_reason":"不符","version":2,"etag":"\"r9-v2\""}"#;
        let r: ReportList = same(&format!(r#"{{"items":[{report}]}}"#));
        assert!(r.items[0].progress_text.ends_with('😀'));
        same::<ReportPage>(&format!(
            r#"{{"items":[{report},{report}],"total":2,"page":1,"per_page":50}}"#
        ));
        same::<AuditPage>(
            r#"{"items":[{"id":5,"at":"2024-06-01T10:00:00Z","user_id":null,"username":"admin","role":"admin",
            "organisation_id":4,"entity":"user","entity_id":"3","action":"update",
            "before":{"role":"owner","version":1,"n":-5,"big":18446744073709551615,"x":[true,false,null,{"username":"q"}]},
            "after":null,"request_id":"abc"}],"total":1,"page":1,"per_page":50}"#,
        );
    }

    #[test]
    fn problems_read_as_derived() {
        same::<Problem>(r#"{"type":"about:blank","title":"参数有误","status":400}"#);
        same::<Problem>(
            r#"{"type":"about:blank","title":"t","status":409,"detail":"d",
            "errors":[{"field":"per_page","message":"每页最多 100 条"}]}"#,
        );
        both_refuse::<Problem>(r#"{"title":"t","status":400}"#);
        both_refuse::<Problem>(r#"{"type":"x","title":"t","status":70000}"#);
    }

    #[test]
    fn what_is_not_json_or_not_the_type_is_refused() {
        for bad in [
            "",
            "{}",
            r#"{"key":"k"}"#,
            "[]",
            "null",
            r#"{"count":1,"total_investment":"1","planned_investment":"1","social_investment":"1","social_share_pct":null"#,
            r#"{"count":1.0,"total_investment":"1","planned_investment":"1","social_investment":"1","social_share_pct":null}"#,
            r#"{"count":-1,"total_investment":"1","planned_investment":"1","social_investment":"1","social_share_pct":null}"#,
            r#"{"count":01,"total_investment":"1","planned_investment":"1","social_investment":"1","social_share_pct":null}"#,
            r#"{"count":1,"total_investment":"1.234","planned_investment":"1","social_investment":"1","social_share_pct":null}"#,
            r#"{"count":1,"total_investment":null,"planned_investment":"1","social_investment":"1","social_share_pct":null}"#,
            r#"{"count":1,"total_investment":"1","planned_investment":"1","social_investment":"1","social_share_pct":null} x"#,
            r#"{"count":1,"total_investment":"1","planned_investment":"1","social_investment":"1","social_share_pct":null,}"#,
            r#"{"count":1,"total_investment":"1","planned_investment":"1","social_investment":"1","social_share_pct":"\x"}"#,
            r#"{"count":1,"total_investment":"1","planned_investment":"1","social_investment":"1","social_share_pct":"\ud800"}"#,
            r#"{"count":1,"total_investment":"1","planned_investment":"1","social_investment":"1","investment_completed":null,"social_share_pct":null}"#,
        ] {
            both_refuse::<Totals>(bad);
        }
        same::<Totals>(
            " {\"count\" : 1 ,\n\"total_investment\":\"1\",\"planned_investment\":\"1\",\"social_investment\":\"1\",\"social_share_pct\":null}\t",
        );
    }
    #[test]
    fn an_error_names_the_innermost_field_at_fault() {
        let error = |json: &str| match from_str::<ProjectPage>(json) {
            Ok(_) => panic!("took {json}"),
            Err(e) => e.to_string(),
        };
        let page = |items: &str| {
            format!(r#"{{"items":[{items}],"total":1,"page":1,"per_page":20,"totals":{TOTALS}}}"#)
        };
        assert_eq!(
            error(&page(
                &format!(r#"{{{ITEM}}}"#).replace(r#""serial":14"#, r#""serial":"14""#)
            )),
            "serial: invalid type: a string"
        );
        assert_eq!(
            error(&page(&format!(r#"{{{ITEM}}}"#).replace(
                r#""district":"xiangtan_county""#,
                r#""district":"elsewhere""#
            ))),
            "district: invalid value"
        );
        assert_eq!(
            error(&page(
                &format!(r#"{{{ITEM}}}"#).replace(r#""earliest_year":2021,"#, "")
            )),
            "earliest_year: missing field"
        );
        assert_eq!(error(r#"{"items":[]}"#), "total: missing field");
        assert_eq!(error("[1,"), "expected value");
    }

    #[test]
    fn integers_are_exact_over_each_types_whole_range_and_refused_outside_it() {
        let read = |t: &str| Json::Num(t.to_string());
        assert_eq!(i64::from_json(read("-9223372036854775808")), Ok(i64::MIN));
        assert_eq!(i64::from_json(read("9223372036854775807")), Ok(i64::MAX));
        assert!(i64::from_json(read("9223372036854775808")).is_err());
        assert_eq!(u64::from_json(read("18446744073709551615")), Ok(u64::MAX));
        assert!(u64::from_json(read("18446744073709551616")).is_err());
        assert_eq!(u64::from_json(read("-0")), Ok(0));
        assert!(u64::from_json(read("-1")).is_err());
        assert_eq!(u8::from_json(read("255")), Ok(255));
        assert!(u8::from_json(read("256")).is_err());
        assert_eq!(i32::from_json(read("-2147483648")), Ok(i32::MIN));
        assert!(u16::from_json(read("1.0")).is_err());
        assert!(u16::from_json(Json::Str("1".into())).is_err());
    }
}
