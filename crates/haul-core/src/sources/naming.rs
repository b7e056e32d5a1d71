//! File naming templates: `{platform}/{account}/{date:%Y-%m-%d}_{post_id}_{index}.{ext}`.
//! A template is checked when saved (known fields, a valid date format, a
//! unique name per media item); every rendered folder and name passes the
//! engine's sanitiser, and the result must stay inside the source's folder.

use std::path::{Path, PathBuf};

use chrono::format::{Item, StrftimeItems};

/// The fields a template may use.
const FIELDS: &[&str] = &[
    "platform", "account", "source", "post_id", "media_id", "index", "ext", "title", "name", "date",
];

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Text(String),
    Field(String),
    Date(String),
}

/// A parsed template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    /// One list of parts per path component (split at `/`).
    components: Vec<Vec<Part>>,
}

/// What one media item's name is made from.
#[derive(Clone, Debug, Default)]
pub struct NameValues<'a> {
    pub platform: &'a str,
    pub account: Option<&'a str>,
    pub source: &'a str,
    pub post_id: &'a str,
    pub media_id: &'a str,
    pub index: u32,
    pub ext: &'a str,
    pub title: Option<&'a str>,
    /// The name the source gave the file, without its extension.
    pub name: Option<&'a str>,
    /// Unix seconds; none: the time of the check.
    pub posted_at: Option<i64>,
}

impl Template {
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.trim().is_empty() {
            return Err("the template is empty.".into());
        }
        if text.starts_with('/') || text.contains('\\') {
            return Err("the template must be a relative path with / between folders.".into());
        }
        let mut components = Vec::new();
        for component in text.split('/') {
            if component.is_empty() || component == "." || component == ".." {
                return Err(format!("{component:?} is not a folder name."));
            }
            components.push(parse_component(component)?);
        }
        let fields: Vec<&str> = components
            .iter()
            .flatten()
            .filter_map(|part| match part {
                Part::Field(name) => Some(name.as_str()),
                _ => None,
            })
            .collect();
        let last_has_ext = components.last().is_some_and(|last| {
            last.iter()
                .any(|part| matches!(part, Part::Field(name) if name == "ext"))
        });
        if !last_has_ext {
            return Err("the file name must end with {ext}.".into());
        }
        let unique = fields.contains(&"media_id")
            || (fields.contains(&"post_id") && fields.contains(&"index"));
        if !unique {
            return Err(
                "the name must hold {media_id}, or {post_id} and {index}, so no two files share it."
                    .into(),
            );
        }
        Ok(Self { components })
    }

    /// The relative path for one item: every component sanitised, never empty,
    /// never `..`.
    pub fn render(&self, values: &NameValues<'_>) -> PathBuf {
        let date = chrono::DateTime::from_timestamp(values.posted_at.unwrap_or_else(now_secs), 0)
            .unwrap_or_default();
        let mut path = PathBuf::new();
        for component in &self.components {
            let mut text = String::new();
            for part in component {
                match part {
                    Part::Text(t) => text.push_str(t),
                    // A value never adds a folder: its slashes are only characters.
                    Part::Date(format) => {
                        text.push_str(&date.format(format).to_string().replace(['/', '\\'], "_"));
                    }
                    Part::Field(name) => {
                        text.push_str(&field(values, name).replace(['/', '\\'], "_"));
                    }
                }
            }
            let clean = haul_download::filename::sanitize(&text);
            let clean = if clean.is_empty() || clean.chars().all(|c| c == '.') {
                "_".to_string()
            } else {
                clean
            };
            path.push(clean);
        }
        path
    }
}

fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

fn field(values: &NameValues<'_>, name: &str) -> String {
    let or_unknown = |v: Option<&str>| {
        v.filter(|v| !v.trim().is_empty())
            .unwrap_or("unknown")
            .to_string()
    };
    match name {
        "platform" => values.platform.to_string(),
        "account" => or_unknown(values.account),
        "source" => values.source.to_string(),
        "post_id" => values.post_id.to_string(),
        "media_id" => values.media_id.to_string(),
        "index" => values.index.to_string(),
        "ext" => values.ext.to_string(),
        // Long titles make names no file system takes.
        "title" => or_unknown(values.title).chars().take(80).collect(),
        "name" => or_unknown(values.name).chars().take(120).collect(),
        _ => String::new(),
    }
}

fn parse_component(text: &str) -> Result<Vec<Part>, String> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            parts.push(Part::Text(rest[..open].to_string()));
        }
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("a {{ in {text:?} is not closed."))?;
        let inner = &after[..close];
        let (name, format) = match inner.split_once(':') {
            Some((name, format)) => (name, Some(format)),
            None => (inner, None),
        };
        if !FIELDS.contains(&name) {
            return Err(format!(
                "{{{name}}} is not a field; use one of {}.",
                FIELDS
                    .iter()
                    .map(|f| format!("{{{f}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if name == "date" {
            let format = format.unwrap_or("%Y-%m-%d");
            if StrftimeItems::new(format).any(|item| matches!(item, Item::Error)) {
                return Err(format!("{format:?} is not a valid date format."));
            }
            parts.push(Part::Date(format.to_string()));
        } else if format.is_some() {
            return Err(format!("only {{date}} takes a format, not {{{inner}}}."));
        } else {
            parts.push(Part::Field(name.to_string()));
        }
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Err(format!("a }} in {text:?} has no {{."));
    }
    if !rest.is_empty() {
        parts.push(Part::Text(rest.to_string()));
    }
    Ok(parts)
}

/// `relative` inside `base`, or none when it would leave it.
pub fn inside(base: &Path, relative: &Path) -> Option<PathBuf> {
    use std::path::Component;
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return None;
    }
    Some(base.join(relative))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> NameValues<'static> {
        NameValues {
            platform: "reddit",
            account: Some("alice"),
            source: "r/pics",
            post_id: "abc",
            media_id: "m1",
            index: 2,
            ext: "jpg",
            posted_at: Some(1_714_564_800), // 2024-05-01 12:00 UTC
            ..NameValues::default()
        }
    }

    #[test]
    fn the_default_template_names_by_platform_account_and_date() {
        let template = Template::parse(super::super::settings::DEFAULT_TEMPLATE).unwrap();
        assert_eq!(
            template.render(&values()),
            PathBuf::from("reddit/alice/2024-05-01_abc_2.jpg")
        );
    }

    #[test]
    fn hostile_values_stay_one_component_each() {
        let template = Template::parse("{account}/{name}_{media_id}.{ext}").unwrap();
        let path = template.render(&NameValues {
            account: Some("../../etc"),
            name: Some("a/b\\c\u{7}"),
            media_id: "..",
            ..values()
        });
        assert_eq!(path.components().count(), 2);
        assert!(inside(Path::new("/base"), &path).is_some(), "{path:?}");
    }

    #[test]
    fn bad_templates_are_refused_with_the_reason() {
        for (text, says) in [
            ("{platform}/{post_id}.jpg", "{ext}"),
            ("{platform}.{ext}", "no two files"),
            ("{nope}_{media_id}.{ext}", "not a field"),
            ("{date:%Q}_{media_id}.{ext}", "date format"),
            ("../{media_id}.{ext}", "folder name"),
            ("/abs/{media_id}.{ext}", "relative"),
            ("{media_id.{ext}", "not a field"),
        ] {
            let error = Template::parse(text).unwrap_err();
            assert!(error.contains(says), "{text}: {error}");
        }
    }
}
