//! Choosing the largest picture a `srcset` attribute offers.
//!
//! Parsed after the HTML standard's algorithm (candidates split at commas that
//! follow whitespace or end a URL, descriptors in parentheses kept whole), since
//! CDN URLs often contain commas (`/w_800,h_600/`) and a naive split breaks them.

/// The URL of the largest candidate: by `w` width when any candidate has one,
/// else by `x` density (a candidate without a descriptor counts as `1x`).
pub(crate) fn largest(srcset: &str) -> Option<&str> {
    let candidates = parse(srcset);
    let by_width = candidates
        .iter()
        .filter_map(|c| c.width.map(|w| (w, c.url)))
        .fold(None, |best: Option<(u64, &str)>, (w, url)| match best {
            Some((bw, _)) if bw >= w => best,
            _ => Some((w, url)),
        });
    if let Some((_, url)) = by_width {
        return Some(url);
    }
    candidates
        .iter()
        .fold(None, |best: Option<(f64, &str)>, c| {
            let density = c.density.unwrap_or(1.0);
            match best {
                Some((bd, _)) if bd >= density => best,
                _ => Some((density, c.url)),
            }
        })
        .map(|(_, url)| url)
}

struct Candidate<'a> {
    url: &'a str,
    width: Option<u64>,
    density: Option<f64>,
}

fn parse(input: &str) -> Vec<Candidate<'_>> {
    let mut out = Vec::new();
    let mut rest = input;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',');
        if rest.is_empty() {
            return out;
        }
        let url_end = rest
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let mut url = &rest[..url_end];
        rest = &rest[url_end..];
        let mut descriptors = "";
        if url.ends_with(',') {
            // A URL ending in commas has no descriptors: the commas separate it.
            url = url.trim_end_matches(',');
        } else {
            let end = descriptor_end(rest);
            descriptors = &rest[..end];
            rest = &rest[end..];
        }
        if url.is_empty() {
            continue;
        }
        let mut candidate = Candidate {
            url,
            width: None,
            density: None,
        };
        for d in descriptors.split_ascii_whitespace() {
            if let Some(w) = d.strip_suffix('w') {
                candidate.width = w.parse().ok();
            } else if let Some(x) = d.strip_suffix('x') {
                candidate.density = x.parse::<f64>().ok().filter(|v| v.is_finite());
            }
        }
        out.push(candidate);
    }
}

/// Where a candidate's descriptors end: at the first comma outside parentheses.
fn descriptor_end(s: &str) -> usize {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => return i,
            _ => {}
        }
    }
    s.len()
}

#[cfg(test)]
mod tests {
    use super::largest;

    #[test]
    fn picks_widest_by_w() {
        assert_eq!(
            largest("a-320.jpg 320w, a-1280.jpg 1280w, a-640.jpg 640w"),
            Some("a-1280.jpg")
        );
    }

    #[test]
    fn picks_densest_by_x_with_default_one() {
        assert_eq!(
            largest("a.jpg, a@2x.jpg 2x, a@1.5x.jpg 1.5x"),
            Some("a@2x.jpg")
        );
        assert_eq!(largest("only.jpg"), Some("only.jpg"));
    }

    #[test]
    fn width_wins_over_density() {
        assert_eq!(largest("d.jpg 3x, w.jpg 100w"), Some("w.jpg"));
    }

    #[test]
    fn commas_inside_urls_survive() {
        assert_eq!(
            largest(
                "https://cdn.x/w_400,h_300/p.jpg 400w, https://cdn.x/w_1600,h_1200/p.jpg 1600w"
            ),
            Some("https://cdn.x/w_1600,h_1200/p.jpg")
        );
        assert_eq!(largest("a.jpg 1x,b.jpg 2x"), Some("b.jpg"));
    }

    #[test]
    fn empty_and_junk() {
        assert_eq!(largest(""), None);
        assert_eq!(largest(" , , "), None);
        assert_eq!(largest("a.jpg 12q"), Some("a.jpg"));
    }
}
