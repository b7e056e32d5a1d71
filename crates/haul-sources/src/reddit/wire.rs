//! Reddit's listing JSON as it arrives (`raw_json=1`, so URLs are not
//! HTML-escaped). Every field is optional: Reddit leaves out or nulls whatever
//! does not apply, and one odd post must not fail the whole listing.

use std::collections::HashMap;

use serde::Deserialize;

/// `{"kind": "Listing", "data": {"after": …, "children": […]}}`.
#[derive(Debug, Deserialize)]
pub(super) struct Listing {
    pub data: ListingData,
}

#[derive(Debug, Deserialize)]
pub(super) struct ListingData {
    #[serde(default)]
    pub after: Option<String>,
    pub children: Vec<Thing>,
}

/// A child of a listing; `t3` is a submission (link or self post).
#[derive(Debug, Deserialize)]
pub(super) struct Thing {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub data: serde_json::Value,
}

/// A submission (`t3`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Link {
    pub id: String,
    pub author: Option<String>,
    pub created_utc: Option<f64>,
    pub title: Option<String>,
    pub selftext: Option<String>,
    pub permalink: Option<String>,
    pub url: Option<String>,
    pub url_overridden_by_dest: Option<String>,
    pub is_self: bool,
    pub is_video: bool,
    pub is_gallery: Option<bool>,
    pub post_hint: Option<String>,
    pub domain: Option<String>,
    pub gallery_data: Option<GalleryData>,
    pub media_metadata: Option<HashMap<String, MediaMetadata>>,
    pub secure_media: Option<PostMedia>,
    pub media: Option<PostMedia>,
    pub crosspost_parent_list: Option<Vec<Link>>,
    pub removed_by_category: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct GalleryData {
    pub items: Vec<GalleryItem>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct GalleryItem {
    pub media_id: String,
}

/// One entry of `media_metadata`: `e` is "Image" or "AnimatedImage" (or
/// "RedditVideo"), `m` the MIME type, `s` the source rendition.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct MediaMetadata {
    pub status: Option<String>,
    pub e: Option<String>,
    pub m: Option<String>,
    pub s: Option<Source>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Source {
    pub u: Option<String>,
    pub gif: Option<String>,
    pub mp4: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PostMedia {
    pub reddit_video: Option<RedditVideo>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct RedditVideo {
    pub fallback_url: Option<String>,
    pub dash_url: Option<String>,
    pub hls_url: Option<String>,
}

/// An error reply: `{"reason": "private", "message": "Forbidden", "error": 403}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ErrorReply {
    pub reason: Option<String>,
    pub message: Option<String>,
}
