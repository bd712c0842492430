//! The one rule for free text that people type and others read (report texts, reasons,
//! remarks, organisation names): whatever a field's length, it holds no character that
//! would act rather than show once it reaches a page, a CSV or the audit trail.
//!
//! - No control character (Unicode `Cc`: C0, DEL and C1, so NUL, BEL, ESC), except that
//!   multi-line text may hold line breaks and tabs (`\n`, `\r`, `\t`).
//! - No bidirectional embedding, override or isolate (U+202A–U+202E, U+2066–U+2069): they
//!   make text read differently from what it holds ("Trojan Source").
//!
//! Lengths are counted in characters, after trimming, as the callers store the text.
//! Passwords are not text for people to read and are not checked here.

use crate::problem::FieldError;

/// Whether a field may hold line breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

/// The bidirectional formatting characters that reorder what follows them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` may appear in text of this kind.
pub fn allowed(c: char, lines: Lines) -> bool {
    if c.is_control() {
        return lines == Lines::Many && matches!(c, '\n' | '\r' | '\t');
    }
    !is_bidi_control(c)
}

/// What is wrong with `value`, if anything: more than `max_chars` characters or a
/// character the rule refuses (the first one is named by its code point).
pub fn problem(value: &str, max_chars: usize, lines: Lines) -> Option<String> {
    if value.chars().count() > max_chars {
        return Some(format!("最多 {max_chars} 个字"));
    }
    value.chars().find(|&c| !allowed(c, lines)).map(|c| {
        let kind = if c.is_control() {
            "控制字符"
        } else {
            "文字方向控制字符"
        };
        format!("不能含{kind}（U+{:04X}）", c as u32)
    })
}

/// The rule as a field error naming `field`.
pub fn check(field: &str, value: &str, max_chars: usize, lines: Lines) -> Result<(), FieldError> {
    match problem(value, max_chars, lines) {
        Some(m) => Err(FieldError::new(field, m)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_refused_but_multi_line_text_keeps_its_breaks() {
        for bad in [
            "a\0b",
            "a\u{1b}[31mb",
            "a\u{7}",
            "a\u{7f}",
            "a\u{85}b",
            "a\u{9b}b",
        ] {
            assert!(problem(bad, 100, Lines::Many).is_some(), "{bad:?}");
            assert!(problem(bad, 100, Lines::One).is_some(), "{bad:?}");
        }
        assert_eq!(problem("第一行\r\n第二行\t完", 100, Lines::Many), None);
        assert!(problem("第一行\n第二行", 100, Lines::One).is_some());
        assert!(problem("a\tb", 100, Lines::One).is_some());
    }

    #[test]
    fn bidi_overrides_and_isolates_are_refused() {
        for c in ['\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}'] {
            let m = problem(&format!("abc{c}def"), 100, Lines::Many).expect("refused");
            assert!(m.contains(&format!("U+{:04X}", c as u32)), "{m}");
        }
        assert_eq!(problem("سلام 湘潭 ok", 100, Lines::One), None);
    }

    #[test]
    fn length_is_counted_in_characters() {
        assert_eq!(problem("湘潭", 2, Lines::One), None);
        assert!(problem("湘潭市", 2, Lines::One).is_some());
        let e = check("remarks", "a\0", 10, Lines::Many).expect_err("refused");
        assert_eq!(e.field, "remarks");
    }
}
