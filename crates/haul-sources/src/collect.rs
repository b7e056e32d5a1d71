//! Gathering one post's media in page order: 1-based indexes, no item twice
//! (same media id), the extension filled in from the name or the URL, and the
//! `Referer` the site's hotlink protection expects.

use std::collections::HashSet;

use url::Url;

use crate::media_url;
use crate::model::{Media, MediaKind};

/// One post's media as they are found.
pub(crate) struct Collector {
    referer: Option<String>,
    seen: HashSet<String>,
    media: Vec<Media>,
}

impl Collector {
    /// `referer`: the page the media were found on, sent when they are fetched.
    pub fn new(referer: Option<&Url>) -> Self {
        Self {
            referer: referer.map(media_url::normalise),
            seen: HashSet::new(),
            media: Vec::new(),
        }
    }

    /// Adds a media unless one with the same id is already there.
    pub fn push(&mut self, id: String, url: &Url, kind: MediaKind, name_hint: Option<String>) {
        if !self.seen.insert(id.clone()) {
            return;
        }
        let ext = name_hint
            .as_deref()
            .and_then(media_url::ext_of_name)
            .or_else(|| media_url::ext_of_url(url));
        let headers = self
            .referer
            .iter()
            .map(|r| ("Referer".to_owned(), r.clone()))
            .collect();
        let index = u32::try_from(self.media.len() + 1).unwrap_or(u32::MAX);
        self.media.push(Media {
            id,
            url: media_url::normalise(url),
            kind,
            name_hint,
            ext,
            index,
            headers,
            via_tool: None,
        });
    }

    /// Adds a media whose id is its normalised URL.
    pub fn push_url(&mut self, url: &Url, kind: MediaKind, name_hint: Option<String>) {
        self.push(media_url::normalise(url), url, kind, name_hint);
    }

    pub fn into_media(self) -> Vec<Media> {
        self.media
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedupes_indexes_and_fills_ext() {
        let page = Url::parse("https://e.com/t#x").unwrap_or_else(|_| unreachable!());
        let a = Url::parse("https://e.com/a.PNG#frag").unwrap_or_else(|_| unreachable!());
        let b = Url::parse("https://e.com/attachments/b-jpg.7/").unwrap_or_else(|_| unreachable!());
        let mut c = Collector::new(Some(&page));
        c.push_url(&a, MediaKind::Image, None);
        c.push_url(&a, MediaKind::Image, None);
        c.push(
            "attachment:7".into(),
            &b,
            MediaKind::Image,
            Some("b.jpg".into()),
        );
        let media = c.into_media();
        assert_eq!(media.len(), 2);
        assert_eq!(media[0].url, "https://e.com/a.PNG");
        assert_eq!(media[0].ext.as_deref(), Some("png"));
        assert_eq!(
            media[0].headers,
            [("Referer".to_owned(), "https://e.com/t".to_owned())]
        );
        assert_eq!(media[1].index, 2);
        assert_eq!(media[1].ext.as_deref(), Some("jpg"));
    }
}
