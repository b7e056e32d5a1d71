//! Lenient decoders for the services' JSON: ids come as numbers or strings, and
//! numbers sometimes as strings, floats or booleans, depending on the endpoint.

use serde::Deserialize;
use serde::de::Deserializer;

/// An id as text, whether it came as a number or a string.
pub(crate) fn id_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Number(u64),
        Text(String),
    }
    Ok(match Id::deserialize(deserializer)? {
        Id::Number(n) => n.to_string(),
        Id::Text(text) => text,
    })
}

pub(crate) fn optional_id<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    struct Wrapper(#[serde(deserialize_with = "id_text")] String);
    Ok(Option::<Wrapper>::deserialize(deserializer)?.map(|Wrapper(id)| id))
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Lenient {
    Integer(i64),
    Float(f64),
    Flag(bool),
    Text(String),
}

impl Lenient {
    fn as_f64(&self) -> Option<f64> {
        match self {
            Self::Integer(n) => Some(*n as f64),
            Self::Float(f) => Some(*f),
            Self::Flag(b) => Some(if *b { 1.0 } else { 0.0 }),
            Self::Text(text) => text.trim().parse().ok(),
        }
    }
}

pub(crate) fn lenient_f64<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<f64>, D::Error> {
    Ok(Option::<Lenient>::deserialize(deserializer)?
        .and_then(|n| n.as_f64())
        .filter(|f| f.is_finite()))
}

pub(crate) fn lenient_u64<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<u64>, D::Error> {
    Ok(lenient_f64(deserializer)?
        .filter(|f| *f >= 0.0)
        .map(|f| f as u64))
}

pub(crate) fn lenient_i64<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    Ok(lenient_f64(deserializer)?.map(|f| f as i64))
}

/// A flag sent as 0/1 or as a boolean.
pub(crate) fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Ok(lenient_f64(deserializer)?.is_some_and(|f| f != 0.0))
}
