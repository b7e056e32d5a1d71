//! Which files of a torrent to download: the auto rules from the settings, or
//! glob patterns given with the task.

use std::collections::HashSet;

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

use crate::error::{Error, ErrorCode, Result};
use crate::settings::FileRules;

const SUBTITLE_EXTENSIONS: &[&str] = &["srt", "ass", "ssa", "sub", "idx", "vtt"];

/// One file to judge: its path as the provider lists it, joined with `/`.
pub(crate) struct Candidate<'a> {
    pub path: &'a str,
    pub size: u64,
}

fn glob(pattern: &str) -> Result<Glob> {
    // `*` crosses folders, so "*.mkv" matches files at any depth.
    GlobBuilder::new(pattern)
        .case_insensitive(true)
        .literal_separator(false)
        .build()
        .map_err(|e| {
            Error::new(
                ErrorCode::InvalidInput,
                format!("{pattern:?} is not a valid file pattern: {e}."),
            )
        })
}

fn glob_set(patterns: &[String]) -> Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        builder.add(glob(pattern)?);
    }
    builder.build().map_err(|e| {
        Error::new(
            ErrorCode::InvalidInput,
            format!("Invalid file patterns: {e}."),
        )
    })
}

fn extension(path: &str) -> String {
    path.rsplit('/')
        .next()
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default()
}

/// The indexes of the files the rules keep.
pub(crate) fn by_rules(rules: &FileRules, files: &[Candidate<'_>]) -> Result<Vec<usize>> {
    let include = glob_set(&rules.include)?;
    let exclude = glob_set(&rules.exclude)?;
    let extensions: HashSet<String> = rules
        .extensions
        .iter()
        .map(|e| e.trim_start_matches('.').to_ascii_lowercase())
        .collect();
    Ok(files
        .iter()
        .enumerate()
        .filter(|(_, file)| {
            if exclude.is_match(file.path) {
                return false;
            }
            let ext = extension(file.path);
            if rules.keep_subtitles && SUBTITLE_EXTENSIONS.contains(&ext.as_str()) {
                return true;
            }
            (rules.include.is_empty() || include.is_match(file.path))
                && file.size >= rules.min_size
                && (extensions.is_empty() || extensions.contains(&ext))
        })
        .map(|(index, _)| index)
        .collect())
}

/// The indexes of the files any pattern matches.
pub(crate) fn by_globs(patterns: &[String], files: &[Candidate<'_>]) -> Result<Vec<usize>> {
    let set = glob_set(patterns)?;
    Ok(files
        .iter()
        .enumerate()
        .filter(|(_, file)| set.is_match(file.path))
        .map(|(index, _)| index)
        .collect())
}

/// Checks patterns before a task is added, so a typo fails at once.
pub(crate) fn check_globs(patterns: &[String]) -> Result<()> {
    glob_set(patterns).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<Candidate<'static>> {
        vec![
            Candidate {
                path: "Show/e01.mkv",
                size: 700,
            },
            Candidate {
                path: "Show/e01.en.SRT",
                size: 2,
            },
            Candidate {
                path: "Show/sample.mkv",
                size: 50,
            },
            Candidate {
                path: "Show/info.nfo",
                size: 1,
            },
        ]
    }

    #[test]
    fn rules_keep_subtitles_and_drop_small_files() {
        let rules = FileRules {
            exclude: vec!["*sample*".into()],
            min_size: 100,
            extensions: vec!["mkv".into()],
            keep_subtitles: true,
            ..FileRules::default()
        };
        assert_eq!(by_rules(&rules, &files()).unwrap(), [0, 1]);
        let no_subs = FileRules {
            keep_subtitles: false,
            ..rules
        };
        assert_eq!(by_rules(&no_subs, &files()).unwrap(), [0]);
        assert_eq!(
            by_rules(&FileRules::default(), &files()).unwrap(),
            [0, 1, 2, 3]
        );
    }

    #[test]
    fn globs_match_at_any_depth_and_any_case() {
        assert_eq!(by_globs(&["*.MKV".into()], &files()).unwrap(), [0, 2]);
        assert_eq!(by_globs(&["show/e01*".into()], &files()).unwrap(), [0, 1]);
        assert!(by_globs(&["[".into()], &files()).is_err());
    }
}
