//! Direct links: a URL that is itself a media file becomes one post with one
//! media, without asking the site anything (the engine fetches the file itself).

use async_trait::async_trait;
use url::Url;

use crate::error::SourceError;
use crate::extractor::{ExtractContext, Extractor};
use crate::media_url;
use crate::model::{Media, Order, Page, Post};

/// The platform name of direct links.
pub const PLATFORM: &str = "direct";

/// Extracts a direct link to a media file.
#[derive(Clone, Copy, Debug, Default)]
pub struct Direct;

impl Direct {
    /// The page for `url`, or why it is not a direct media link.
    pub fn page_for(url: &Url) -> Result<Page, SourceError> {
        if !media_url::is_web(url) {
            return Err(SourceError::Unsupported(format!(
                "{url}: only http and https links can be fetched"
            )));
        }
        let Some((ext, kind)) = media_url::media_ext(url) else {
            return Err(SourceError::Unsupported(format!(
                "{url} does not name a media file by its extension"
            )));
        };
        let id = media_url::normalise(url);
        let media = Media {
            id: id.clone(),
            url: id.clone(),
            kind,
            name_hint: media_url::file_name(url),
            ext: Some(ext),
            index: 1,
            headers: Vec::new(),
            via_tool: None,
        };
        Ok(Page {
            posts: vec![Post {
                platform: PLATFORM.to_owned(),
                id: id.clone(),
                account: None,
                posted_at: None,
                title: None,
                caption: None,
                url: Some(id),
                media: vec![media],
            }],
            ..Page::default()
        })
    }
}

#[async_trait]
impl Extractor for Direct {
    fn name(&self) -> &'static str {
        "direct"
    }

    fn order(&self) -> Order {
        Order::NewestFirst
    }

    async fn page(
        &self,
        _ctx: &ExtractContext,
        url: &Url,
        _cursor: Option<&str>,
    ) -> Result<Page, SourceError> {
        Self::page_for(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MediaKind;

    #[test]
    fn one_post_one_media() {
        let url = Url::parse("https://cdn.example.com/a/My%20Clip.MP4?x=1#t=3")
            .unwrap_or_else(|_| unreachable!());
        let page = Direct::page_for(&url).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(page.next, None);
        let post = &page.posts[0];
        assert_eq!(post.platform, "direct");
        assert_eq!(post.id, "https://cdn.example.com/a/My%20Clip.MP4?x=1");
        let m = &post.media[0];
        assert_eq!(m.id, "https://cdn.example.com/a/My%20Clip.MP4?x=1");
        assert_eq!(m.url, m.id);
        assert_eq!(m.kind, MediaKind::Video);
        assert_eq!(m.ext.as_deref(), Some("mp4"));
        assert_eq!(m.name_hint.as_deref(), Some("My Clip.MP4"));
        assert_eq!(m.index, 1);
    }

    #[test]
    fn pages_and_other_schemes_are_refused() {
        for raw in [
            "https://e.com/page.html",
            "https://e.com/",
            "ftp://e.com/a.jpg",
        ] {
            let url = Url::parse(raw).unwrap_or_else(|_| unreachable!());
            assert!(Direct::page_for(&url).is_err(), "{raw}");
        }
    }
}
