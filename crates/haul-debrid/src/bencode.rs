//! A small, strict, zero-copy bencode parser.
//!
//! Byte strings borrow from the input, and [`dict_value_span`] reports the raw
//! bytes of a top-level dictionary value, which torrent info hashes are
//! computed over.

use thiserror::Error;

/// How deeply lists and dictionaries may nest. The parser recurses once per
/// level, so this bound is what keeps hostile input from overflowing the stack.
pub const MAX_DEPTH: usize = 64;

/// A decoded bencode value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value<'a> {
    Int(i64),
    Bytes(&'a [u8]),
    List(Vec<Value<'a>>),
    /// Entries in the order they appear; keys are not required to be sorted.
    Dict(Vec<(&'a [u8], Value<'a>)>),
}

impl<'a> Value<'a> {
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(n) => Some(*n),
            _ => None,
        }
    }

    pub fn as_bytes(&self) -> Option<&'a [u8]> {
        match self {
            Value::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// The byte string, if it is valid UTF-8.
    pub fn as_str(&self) -> Option<&'a str> {
        self.as_bytes().and_then(|b| std::str::from_utf8(b).ok())
    }

    pub fn as_list(&self) -> Option<&[Value<'a>]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_dict(&self) -> Option<&[(&'a [u8], Value<'a>)]> {
        match self {
            Value::Dict(entries) => Some(entries),
            _ => None,
        }
    }

    /// The value for `key` if this is a dictionary; the first one wins if the
    /// key is repeated.
    pub fn get(&self, key: &[u8]) -> Option<&Value<'a>> {
        self.as_dict()?
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
    }
}

/// Why some bytes are not valid bencode. Offsets are byte positions in the input.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum BencodeError {
    #[error("the data ends unexpectedly at byte {offset}")]
    UnexpectedEnd { offset: usize },
    #[error("unexpected byte 0x{byte:02x} at byte {offset}")]
    Unexpected { offset: usize, byte: u8 },
    #[error(
        "invalid integer at byte {offset} (expected digits with an optional minus sign, no leading zeros and no \"-0\")"
    )]
    InvalidInteger { offset: usize },
    #[error(
        "invalid string length at byte {offset} (malformed, or longer than the remaining data)"
    )]
    InvalidLength { offset: usize },
    #[error("unexpected extra data after the value, at byte {offset}")]
    TrailingData { offset: usize },
    #[error("values are nested more than {MAX_DEPTH} levels deep at byte {offset}")]
    TooDeep { offset: usize },
}

/// Parses `input`, which must hold exactly one value.
pub fn parse(input: &[u8]) -> Result<Value<'_>, BencodeError> {
    let mut parser = Parser { input, pos: 0 };
    let value = parser.value(0)?;
    parser.finish()?;
    Ok(value)
}

/// The raw bytes of the top-level dictionary's value for `key`, exactly as they
/// appear in `input`. The whole input is validated; `None` if the key is absent
/// or the top-level value is not a dictionary. The first occurrence wins, as in
/// [`Value::get`].
pub fn dict_value_span<'a>(input: &'a [u8], key: &[u8]) -> Result<Option<&'a [u8]>, BencodeError> {
    let mut parser = Parser { input, pos: 0 };
    if parser.peek() != Some(b'd') {
        // Still validate, so callers see the same error `parse` would give.
        parse(input)?;
        return Ok(None);
    }
    parser.pos += 1;
    let mut found = None;
    loop {
        match parser.peek() {
            Some(b'e') => {
                parser.pos += 1;
                break;
            }
            Some(b'0'..=b'9') => {
                let k = parser.bytes()?;
                let start = parser.pos;
                // Depth 1: we are inside the top-level dictionary, as in `parse`.
                parser.value(1)?;
                if found.is_none() && k == key {
                    found = input.get(start..parser.pos);
                }
            }
            Some(byte) => {
                return Err(BencodeError::Unexpected {
                    offset: parser.pos,
                    byte,
                });
            }
            None => return Err(BencodeError::UnexpectedEnd { offset: parser.pos }),
        }
    }
    parser.finish()?;
    Ok(found)
}

struct Parser<'a> {
    input: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    fn finish(&self) -> Result<(), BencodeError> {
        if self.pos < self.input.len() {
            return Err(BencodeError::TrailingData { offset: self.pos });
        }
        Ok(())
    }

    /// Parses one value; `depth` is how many containers enclose it.
    fn value(&mut self, depth: usize) -> Result<Value<'a>, BencodeError> {
        let offset = self.pos;
        match self.peek() {
            None => Err(BencodeError::UnexpectedEnd { offset }),
            Some(b'i') => self.int().map(Value::Int),
            Some(b'0'..=b'9') => self.bytes().map(Value::Bytes),
            Some(b'l') => {
                let depth = enter(depth, offset)?;
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    match self.peek() {
                        Some(b'e') => {
                            self.pos += 1;
                            return Ok(Value::List(items));
                        }
                        None => return Err(BencodeError::UnexpectedEnd { offset: self.pos }),
                        Some(_) => items.push(self.value(depth)?),
                    }
                }
            }
            Some(b'd') => {
                let depth = enter(depth, offset)?;
                self.pos += 1;
                let mut entries = Vec::new();
                loop {
                    match self.peek() {
                        Some(b'e') => {
                            self.pos += 1;
                            return Ok(Value::Dict(entries));
                        }
                        Some(b'0'..=b'9') => {
                            let key = self.bytes()?;
                            let value = self.value(depth)?;
                            entries.push((key, value));
                        }
                        Some(byte) => {
                            return Err(BencodeError::Unexpected {
                                offset: self.pos,
                                byte,
                            });
                        }
                        None => return Err(BencodeError::UnexpectedEnd { offset: self.pos }),
                    }
                }
            }
            Some(byte) => Err(BencodeError::Unexpected { offset, byte }),
        }
    }

    /// `i<digits>e`, in canonical form only.
    fn int(&mut self) -> Result<i64, BencodeError> {
        let start = self.pos;
        let invalid = BencodeError::InvalidInteger { offset: start };
        self.pos += 1;
        let text_start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        match self.peek() {
            None => return Err(BencodeError::UnexpectedEnd { offset: self.pos }),
            Some(b'e') => {}
            Some(_) => return Err(invalid),
        }
        let text = self.input.get(text_start..self.pos).unwrap_or_default();
        self.pos += 1;
        let digits = text.strip_prefix(b"-").unwrap_or(text);
        let canonical = match digits {
            [] => false,
            // "0" is the only way to write zero; "-0" is not allowed.
            [b'0'] => text.len() == 1,
            [b'0', ..] => false,
            _ => true,
        };
        if !canonical {
            return Err(invalid);
        }
        std::str::from_utf8(text)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or(invalid)
    }

    /// `<length>:<bytes>`. The length is checked against the remaining input
    /// before anything is sliced, so a huge length cannot cause an allocation.
    fn bytes(&mut self) -> Result<&'a [u8], BencodeError> {
        let start = self.pos;
        let invalid = BencodeError::InvalidLength { offset: start };
        let mut len: usize = 0;
        while let Some(d @ b'0'..=b'9') = self.peek() {
            len = len
                .checked_mul(10)
                .and_then(|l| l.checked_add(usize::from(d - b'0')))
                .ok_or(invalid.clone())?;
            self.pos += 1;
        }
        match self.peek() {
            Some(b':') => {}
            Some(byte) => {
                return Err(BencodeError::Unexpected {
                    offset: self.pos,
                    byte,
                });
            }
            None => return Err(BencodeError::UnexpectedEnd { offset: self.pos }),
        }
        self.pos += 1;
        let end = self.pos.checked_add(len).ok_or(invalid.clone())?;
        let bytes = self.input.get(self.pos..end).ok_or(invalid)?;
        self.pos = end;
        Ok(bytes)
    }
}

/// The depth of a container that starts at `offset` inside `depth` others.
fn enter(depth: usize, offset: usize) -> Result<usize, BencodeError> {
    let inner = depth + 1;
    if inner > MAX_DEPTH {
        return Err(BencodeError::TooDeep { offset });
    }
    Ok(inner)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn encode(value: &Value<'_>, out: &mut Vec<u8>) {
        match value {
            Value::Int(n) => out.extend_from_slice(format!("i{n}e").as_bytes()),
            Value::Bytes(b) => {
                out.extend_from_slice(format!("{}:", b.len()).as_bytes());
                out.extend_from_slice(b);
            }
            Value::List(items) => {
                out.push(b'l');
                for item in items {
                    encode(item, out);
                }
                out.push(b'e');
            }
            Value::Dict(entries) => {
                out.push(b'd');
                for (k, v) in entries {
                    encode(&Value::Bytes(k), out);
                    encode(v, out);
                }
                out.push(b'e');
            }
        }
    }

    fn nested(depth: usize) -> Vec<u8> {
        let mut bytes = vec![b'l'; depth];
        bytes.extend(std::iter::repeat_n(b'e', depth));
        bytes
    }

    #[test]
    fn integers() {
        assert_eq!(parse(b"i0e"), Ok(Value::Int(0)));
        assert_eq!(parse(b"i42e"), Ok(Value::Int(42)));
        assert_eq!(parse(b"i-42e"), Ok(Value::Int(-42)));
        assert_eq!(parse(b"i9223372036854775807e"), Ok(Value::Int(i64::MAX)));
        assert_eq!(parse(b"i-9223372036854775808e"), Ok(Value::Int(i64::MIN)));
    }

    #[test]
    fn non_canonical_integers_are_rejected() {
        for bad in [
            &b"i03e"[..],
            b"i00e",
            b"i-03e",
            b"i-0e",
            b"ie",
            b"i-e",
            b"i1-e",
            b"i 1e",
            b"i9223372036854775808e",
        ] {
            assert_eq!(
                parse(bad),
                Err(BencodeError::InvalidInteger { offset: 0 }),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        assert_eq!(
            parse(b"i12"),
            Err(BencodeError::UnexpectedEnd { offset: 3 })
        );
    }

    #[test]
    fn byte_strings() {
        assert_eq!(parse(b"0:"), Ok(Value::Bytes(b"")));
        assert_eq!(parse(b"4:spam"), Ok(Value::Bytes(b"spam")));
        assert_eq!(parse(b"4:spam").unwrap().as_str(), Some("spam"));
        assert_eq!(parse(b"2:\xff\xfe").unwrap().as_str(), None);
    }

    #[test]
    fn length_beyond_input_is_rejected() {
        assert_eq!(
            parse(b"5:spam"),
            Err(BencodeError::InvalidLength { offset: 0 })
        );
        assert_eq!(
            parse(b"99999999999999999999999999:x"),
            Err(BencodeError::InvalidLength { offset: 0 })
        );
        assert_eq!(
            parse(b"l4:spam9:xe"),
            Err(BencodeError::InvalidLength { offset: 7 })
        );
        assert_eq!(parse(b"4"), Err(BencodeError::UnexpectedEnd { offset: 1 }));
        assert_eq!(
            parse(b"4x"),
            Err(BencodeError::Unexpected {
                offset: 1,
                byte: b'x'
            })
        );
    }

    #[test]
    fn lists_and_dicts() {
        let value = parse(b"l4:spami7ee").unwrap();
        assert_eq!(
            value,
            Value::List(vec![Value::Bytes(b"spam"), Value::Int(7)])
        );
        assert_eq!(value.as_list().map(<[Value<'_>]>::len), Some(2));

        // Unsorted keys are accepted and keep their order.
        let dict = parse(b"d3:zzzi1e3:aaali2eee").unwrap();
        let keys: Vec<&[u8]> = dict.as_dict().unwrap().iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, vec![&b"zzz"[..], b"aaa"]);
        assert_eq!(dict.get(b"zzz").and_then(Value::as_int), Some(1));
        assert_eq!(
            dict.get(b"aaa").and_then(Value::as_list),
            Some(&[Value::Int(2)][..])
        );
        assert_eq!(dict.get(b"missing"), None);
        assert_eq!(Value::Int(1).get(b"a"), None);

        assert_eq!(parse(b"le"), Ok(Value::List(vec![])));
        assert_eq!(parse(b"de"), Ok(Value::Dict(vec![])));
    }

    #[test]
    fn structural_errors() {
        assert_eq!(parse(b""), Err(BencodeError::UnexpectedEnd { offset: 0 }));
        assert_eq!(parse(b"l"), Err(BencodeError::UnexpectedEnd { offset: 1 }));
        assert_eq!(
            parse(b"d1:a"),
            Err(BencodeError::UnexpectedEnd { offset: 4 })
        );
        assert_eq!(
            parse(b"di1ei2ee"),
            Err(BencodeError::Unexpected {
                offset: 1,
                byte: b'i'
            })
        );
        assert_eq!(
            parse(b"x"),
            Err(BencodeError::Unexpected {
                offset: 0,
                byte: b'x'
            })
        );
    }

    #[test]
    fn trailing_data_is_rejected() {
        assert_eq!(
            parse(b"i1ei2e"),
            Err(BencodeError::TrailingData { offset: 3 })
        );
        assert_eq!(parse(b"lee"), Err(BencodeError::TrailingData { offset: 2 }));
    }

    #[test]
    fn nesting_is_limited() {
        assert!(parse(&nested(MAX_DEPTH)).is_ok());
        assert_eq!(
            parse(&nested(MAX_DEPTH + 1)),
            Err(BencodeError::TooDeep { offset: MAX_DEPTH })
        );
        let mut dicts = b"d1:a".repeat(MAX_DEPTH + 1);
        dicts.extend_from_slice(b"i1e");
        dicts.extend(std::iter::repeat_n(b'e', MAX_DEPTH + 1));
        assert!(matches!(parse(&dicts), Err(BencodeError::TooDeep { .. })));
    }

    #[test]
    fn dict_value_span_returns_exact_bytes() {
        let input = b"d8:announce3:url4:infod6:lengthi5e4:name1:xe3:zzzi1ee";
        assert_eq!(
            dict_value_span(input, b"info"),
            Ok(Some(&b"d6:lengthi5e4:name1:xe"[..]))
        );
        assert_eq!(dict_value_span(input, b"zzz"), Ok(Some(&b"i1e"[..])));
        assert_eq!(dict_value_span(input, b"nope"), Ok(None));
        // Only top-level keys count.
        assert_eq!(dict_value_span(input, b"name"), Ok(None));
        assert_eq!(dict_value_span(b"li1ee", b"info"), Ok(None));
        assert_eq!(
            dict_value_span(b"d4:infoi1eeX", b"info"),
            Err(BencodeError::TrailingData { offset: 11 })
        );
        assert_eq!(
            dict_value_span(b"d4:infoi01ee", b"info"),
            Err(BencodeError::InvalidInteger { offset: 7 })
        );
        assert_eq!(
            dict_value_span(b"l", b"info"),
            Err(BencodeError::UnexpectedEnd { offset: 1 })
        );
        let mut deep = b"d4:info".to_vec();
        deep.extend(nested(MAX_DEPTH));
        deep.push(b'e');
        assert!(matches!(
            dict_value_span(&deep, b"info"),
            Err(BencodeError::TooDeep { .. })
        ));
    }

    fn arb_value() -> impl Strategy<Value = Value<'static>> {
        let leaf = prop_oneof![
            any::<i64>().prop_map(Value::Int),
            prop::sample::select(vec![&b""[..], b"a", b"spam", b"\xff\x00:e"])
                .prop_map(Value::Bytes),
        ];
        leaf.prop_recursive(6, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Value::List),
                prop::collection::vec(
                    (
                        prop::sample::select(vec![&b""[..], b"k", b"info", b"1:"]),
                        inner
                    ),
                    0..8
                )
                .prop_map(Value::Dict),
            ]
        })
    }

    proptest! {
        #[test]
        fn parse_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
            let _ = parse(&bytes);
            let _ = dict_value_span(&bytes, b"info");
        }

        #[test]
        fn depth_bomb_is_rejected_without_overflow(
            depth in 0usize..20_000,
            opener in prop::sample::select(vec![&b"l"[..], b"d1:a"]),
            closed in any::<bool>(),
        ) {
            let mut bytes = opener.repeat(depth);
            if closed {
                bytes.extend_from_slice(b"i0e");
                bytes.extend(std::iter::repeat_n(b'e', depth));
            }
            let result = parse(&bytes);
            if depth > MAX_DEPTH {
                let too_deep = matches!(result, Err(BencodeError::TooDeep { .. }));
                prop_assert!(too_deep, "{:?}", result);
            }
        }

        #[test]
        fn encoded_values_round_trip(value in arb_value()) {
            let mut bytes = Vec::new();
            encode(&value, &mut bytes);
            prop_assert_eq!(parse(&bytes), Ok(value));
        }
    }
}
