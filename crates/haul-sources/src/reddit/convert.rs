//! A Reddit submission as a [`Post`]: galleries in their order, Reddit-hosted
//! videos for yt-dlp (it merges the separate audio stream), directly linked
//! pictures; self posts and links to other pages as posts without media.

use url::Url;

use super::PLATFORM;
use super::wire::{GalleryData, Link, MediaMetadata, RedditVideo};
use crate::media_url;
use crate::model::{Media, MediaKind, Post, Tool};

/// The post for a submission; `base` resolves its permalink.
pub(super) fn post(link: &Link, base: &Url) -> Post {
    let permalink = permalink_of(link, base);
    // A crosspost shows its parent's media; the parent is the original.
    let source = link
        .crosspost_parent_list
        .as_ref()
        .and_then(|parents| parents.first())
        .unwrap_or(link);
    let media = match &link.removed_by_category {
        Some(reason) => {
            tracing::debug!(post = %link.id, reason, "removed post: no media taken");
            Vec::new()
        }
        None => {
            let source_permalink = permalink_of(source, base);
            media(source, permalink.as_ref().or(source_permalink.as_ref()))
        }
    };
    let selftext = link
        .selftext
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let outside_link = (!link.is_self && media.is_empty())
        .then(|| target_url(link))
        .flatten()
        .filter(|u| permalink.as_ref().is_none_or(|p| p.as_str() != *u));
    let caption = match (selftext, outside_link) {
        (Some(text), Some(url)) => Some(format!("{text}\n\n{url}")),
        (Some(text), None) => Some(text.to_owned()),
        (None, Some(url)) => Some(url.to_owned()),
        (None, None) => None,
    };
    Post {
        platform: PLATFORM.to_owned(),
        id: link.id.clone(),
        account: link
            .author
            .clone()
            .filter(|a| !a.is_empty() && a != "[deleted]"),
        posted_at: link
            .created_utc
            .filter(|t| t.is_finite())
            .map(|t| t.floor() as i64),
        title: link.title.clone(),
        caption,
        url: permalink.map(String::from),
        media,
    }
}

fn permalink_of(link: &Link, base: &Url) -> Option<Url> {
    link.permalink
        .as_deref()
        .and_then(|p| base.join(p.trim_start_matches('/')).ok())
}

/// Where the submission points (`url_overridden_by_dest` is the link as posted).
fn target_url(link: &Link) -> Option<&str> {
    link.url_overridden_by_dest
        .as_deref()
        .or(link.url.as_deref())
        .filter(|u| !u.is_empty())
}

fn media(link: &Link, permalink: Option<&Url>) -> Vec<Media> {
    let mut out = Vec::new();
    if let (Some(gallery), Some(metadata)) = (&link.gallery_data, &link.media_metadata) {
        gallery_media(gallery, metadata, &mut out);
        return out;
    }
    let video = link
        .secure_media
        .as_ref()
        .and_then(|m| m.reddit_video.as_ref())
        .or_else(|| link.media.as_ref().and_then(|m| m.reddit_video.as_ref()));
    if let (Some(video), Some(page)) = (video, permalink) {
        out.push(Media {
            id: video_id(video).unwrap_or_else(|| link.id.clone()),
            url: page.to_string(),
            kind: MediaKind::Video,
            name_hint: None,
            ext: Some("mp4".to_owned()),
            index: 1,
            headers: Vec::new(),
            via_tool: Some(Tool::YtDlp),
        });
        return out;
    }
    if link.is_self {
        return out;
    }
    if let Some(media) = target_url(link)
        .and_then(|u| Url::parse(u).ok())
        .and_then(|u| direct(&u))
    {
        out.push(media);
    }
    out
}

/// Gallery items in the gallery's order; entries Reddit has not processed (or
/// has failed) are left out.
fn gallery_media(
    gallery: &GalleryData,
    metadata: &std::collections::HashMap<String, MediaMetadata>,
    out: &mut Vec<Media>,
) {
    for item in &gallery.items {
        let Some(meta) = metadata.get(&item.media_id) else {
            continue;
        };
        if meta.status.as_deref() != Some("valid") {
            tracing::debug!(media = %item.media_id, "gallery item not valid; skipped");
            continue;
        }
        let Some(source) = &meta.s else {
            continue;
        };
        let animated = meta.e.as_deref() == Some("AnimatedImage");
        let (url, kind, ext) = match (animated, &source.gif, &source.mp4, &source.u) {
            (true, Some(gif), _, _) => (gif, MediaKind::Image, Some("gif".to_owned())),
            (true, None, Some(mp4), _) => (mp4, MediaKind::Video, Some("mp4".to_owned())),
            (_, _, _, Some(u)) => (u, MediaKind::Image, ext_of_mime(meta.m.as_deref())),
            _ => continue,
        };
        let Ok(url) = Url::parse(url) else {
            continue;
        };
        let ext = ext.or_else(|| media_url::ext_of_url(&url));
        out.push(Media {
            id: item.media_id.clone(),
            url: url.to_string(),
            kind,
            name_hint: ext.as_ref().map(|e| format!("{}.{e}", item.media_id)),
            ext,
            index: next_index(out),
            headers: Vec::new(),
            via_tool: None,
        });
    }
}

/// `image/jpg` → `jpg` (Reddit writes `jpg`, not the registered `jpeg`).
fn ext_of_mime(mime: Option<&str>) -> Option<String> {
    let (_, sub) = mime?.split_once('/')?;
    let ext = match sub.to_ascii_lowercase().as_str() {
        "jpeg" | "jpg" | "pjpeg" => "jpg".to_owned(),
        other => other.to_owned(),
    };
    media_url::kind_for_ext(&ext).map(|_| ext)
}

/// A picture or clip linked directly: i.redd.it (id: the file stem), imgur's
/// `.gifv` pages (the `.mp4` behind them), any URL naming a media file.
fn direct(url: &Url) -> Option<Media> {
    let mut url = url.clone();
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    if host.ends_with("imgur.com") && url.path().to_ascii_lowercase().ends_with(".gifv") {
        let path = url.path();
        let mp4 = format!("{}.mp4", &path[..path.len() - ".gifv".len()]);
        url.set_path(&mp4);
    }
    let (ext, kind) = media_url::media_ext(&url)?;
    let name = media_url::file_name(&url);
    let id = if host == "i.redd.it" {
        name.as_deref()
            .and_then(|n| n.rsplit_once('.'))
            .map(|(stem, _)| stem.to_owned())
            .unwrap_or_else(|| media_url::normalise(&url))
    } else {
        media_url::normalise(&url)
    };
    Some(Media {
        id,
        url: media_url::normalise(&url),
        kind,
        name_hint: name,
        ext: Some(ext),
        index: 1,
        headers: Vec::new(),
        via_tool: None,
    })
}

/// The v.redd.it id (`https://v.redd.it/{id}/DASH_720.mp4`), shared by every
/// crosspost of the same clip.
fn video_id(video: &RedditVideo) -> Option<String> {
    [&video.fallback_url, &video.dash_url, &video.hls_url]
        .into_iter()
        .flatten()
        .filter_map(|u| Url::parse(u).ok())
        .filter(|u| u.host_str() == Some("v.redd.it"))
        .find_map(|u| {
            u.path_segments()?
                .find(|s| !s.is_empty())
                .map(str::to_owned)
        })
}

fn next_index(out: &[Media]) -> u32 {
    u32::try_from(out.len() + 1).unwrap_or(u32::MAX)
}
