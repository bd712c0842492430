//! JSON text to a tree: the one parser behind [`FromJson`](super::FromJson).

use super::read::Error;

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
/// `text` as one JSON value, with nothing after it but whitespace.
pub(super) fn parse(text: &str) -> Result<Json, Error> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
    };
    let value = p.value(0)?;
    p.ws();
    if p.i != p.s.len() {
        return Err(Error::new("trailing characters"));
    }
    Ok(value)
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
    pub(super) fn wrong(&self) -> Error {
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
