//! Pages in the formats Haul's source extractors read, built from the real
//! formats' markup and fields: XenForo 2 thread pages (`thread_view`: posts as
//! `article.message--post`, attachments listed with thumbnails, lightbox
//! images, quotes, videos, page navigation) and Reddit's JSON listings.

use serde_json::{Value, json};

/// An attachment: its id, its (possibly hostile) file name.
pub struct Attachment {
    pub id: u64,
    pub name: String,
}

/// One forum post.
pub struct XfPost {
    pub id: u64,
    pub author: String,
    /// Unix seconds.
    pub time: i64,
    /// The post's `bbWrapper` content (HTML).
    pub body: String,
    pub attachments: Vec<Attachment>,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The URL slug XenForo makes of an attachment's name ("beach.jpg" → "beach-jpg").
pub fn attachment_slug(name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug.trim_matches('-').to_string();
    if slug.is_empty() { "file".into() } else { slug }
}

/// The full-size address of an attachment.
pub fn attachment_path(attachment: &Attachment) -> String {
    format!(
        "/attachments/{}.{}/",
        attachment_slug(&attachment.name),
        attachment.id
    )
}

/// The preview thumbnail XenForo shows in the attachment list.
pub fn attachment_thumb_path(attachment: &Attachment) -> String {
    format!("/data/attachments/0/{}-thumb.jpg", attachment.id)
}

/// An inline image as XenForo 2.2 renders `[IMG]` with the lightbox.
pub fn bb_image(src: &str, alt: &str) -> String {
    format!(
        r#"<div class="bbImageWrapper  js-lbImage" title="{alt}" data-src="{src}" data-lb-sidebar-href="" data-lb-caption-extra-html="" data-single-image="1"><img src="{src}" data-url="" class="bbImage " data-zoom-target="1" style="" alt="{alt}" title="" width="" height="" loading="lazy" /></div>"#,
        alt = escape(alt)
    )
}

/// A thumbnail wrapped in a link to its full-size image.
pub fn linked_thumbnail(full: &str, thumb: &str) -> String {
    format!(
        r#"<a href="{full}" target="_blank" class="link link--external" rel="nofollow ugc noopener"><img src="{thumb}" data-url="{thumb}" class="bbImage " data-zoom-target="1" style="" alt="" title="" width="" height="" loading="lazy" /></a>"#
    )
}

/// A video as XenForo renders an attached or embedded MP4.
pub fn bb_video(src: &str) -> String {
    format!(
        r#"<div class="bbMediaWrapper"><div class="bbMediaWrapper-inner"><video controls data-xf-init="video-init" style="width: 100%"><source src="{src}" /><div class="bbMediaWrapper-fallback">Your browser is not able to display this video.</div></video></div></div>"#
    )
}

/// A quote of an earlier post, holding `inner` (e.g. the image it repeats).
pub fn bb_quote(author: &str, post_id: u64, inner: &str) -> String {
    format!(
        r##"<blockquote data-attributes="member: 1" data-quote="{author}" data-source="post: {post_id}" class="bbCodeBlock bbCodeBlock--expandable bbCodeBlock--quote js-expandWatch"><div class="bbCodeBlock-title"><a href="/goto/post?id={post_id}" class="bbCodeBlock-sourceJump" rel="nofollow" data-xf-click="attribution" data-content-selector="#post-{post_id}">{author} said:</a></div><div class="bbCodeBlock-content"><div class="bbCodeBlock-expandContent js-expandContent ">{inner}</div><div class="bbCodeBlock-expandLink js-expandLink"><a role="button" tabindex="0">Click to expand...</a></div></div></blockquote>"##
    )
}

fn post_html(thread: &str, post: &XfPost) -> String {
    let date = time_text(post.time);
    let attachments = if post.attachments.is_empty() {
        String::new()
    } else {
        let items: String = post
            .attachments
            .iter()
            .map(|a| {
                format!(
                    r#"<li class="file file--linked"><a class="u-anchorTarget" name="attachment-{id}"></a><a class="file-preview js-lbImage" href="{href}" target="_blank"><img src="{thumb}" alt="{name}" width="200" height="150" loading="lazy" /></a><div class="file-content"><div class="file-info"><span class="file-name" title="{name}">{name}</span><div class="file-meta">41.3 KB &middot; Views: 3</div></div></div></li>"#,
                    id = a.id,
                    href = attachment_path(a),
                    thumb = attachment_thumb_path(a),
                    name = escape(&a.name)
                )
            })
            .collect();
        format!(
            r#"<section class="message-attachments"><h4 class="block-textHeader">Attachments</h4><ul class="attachmentList">{items}</ul></section>"#
        )
    };
    format!(
        r##"<article class="message message--post js-post js-inlineModContainer  " data-author="{author}" data-content="post-{id}" id="js-post-{id}" itemscope="" itemtype="https://schema.org/Comment" itemid="/posts/{id}/">
<span class="u-anchorTarget" id="post-{id}"></span>
<div class="message-inner">
<div class="message-cell message-cell--user">
<section class="message-user" itemprop="author" itemscope="" itemtype="https://schema.org/Person">
<div class="message-avatar "><div class="message-avatar-wrapper"><a href="/members/{author}.7/" class="avatar avatar--m" data-user-id="7" data-xf-init="member-tooltip"><img src="/data/avatars/m/0/7.jpg?1700000000" srcset="/data/avatars/l/0/7.jpg?1700000000 2x" alt="{author}" class="avatar-u7-m" width="96" height="96" loading="lazy" itemprop="image" /></a></div></div>
<div class="message-userDetails"><h4 class="message-name"><a href="/members/{author}.7/" class="username " dir="auto" data-user-id="7" data-xf-init="member-tooltip"><span itemprop="name">{author}</span></a></h4><h5 class="userTitle message-userTitle" dir="auto" itemprop="jobTitle">Member</h5></div>
<span class="message-userArrow"></span>
</section>
</div>
<div class="message-cell message-cell--main">
<div class="message-main js-quickEditTarget">
<header class="message-attribution message-attribution--split">
<ul class="message-attribution-main listInline ">
<li class="u-concealed"><a href="{thread}post-{id}" rel="nofollow" itemprop="url"><time class="u-dt" dir="auto" datetime="{iso}" data-time="{time}" data-date-string="{date}" data-time-string="12:00" title="{date}" itemprop="datePublished">{date}</time></a></li>
</ul>
<ul class="message-attribution-opposite message-attribution-opposite--list "><li><a href="{thread}post-{id}" class="message-attribution-gadget" data-xf-init="share-tooltip" data-href="/posts/{id}/share" aria-label="Share" rel="nofollow"><i class="fa--xf far fa-share-alt" aria-hidden="true"></i></a></li><li><a href="{thread}post-{id}" rel="nofollow">#{id}</a></li></ul>
</header>
<div class="message-content js-messageContent">
<div class="message-userContent lbContainer js-lbContainer " data-lb-id="post-{id}" data-lb-caption-desc="{author} &middot; {date}">
<article class="message-body js-selectToQuote">
<div itemprop="text"><div class="bbWrapper">{body}</div></div>
<div class="js-selectToQuoteEnd">&nbsp;</div>
</article>
{attachments}
</div>
</div>
<div class="message-signature"><div class="bbWrapper">Sent from my camera <img src="/styles/default/xenforo/smilies/smile.png" class="smilie" loading="lazy" alt=":)" title="Smile    :)" data-shortname=":)" /></div></div>
<footer class="message-footer"><div class="message-actionBar actionBar"><div class="actionBar-set actionBar-set--external"><a href="/posts/{id}/react?reaction_id=1" class="reaction reaction--small actionBar-action actionBar-action--reaction" data-reaction-id="1"><i aria-hidden="true"></i><img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7" class="reaction-sprite js-reaction" alt="Like" title="Like" /><span class="reaction-text js-reactionText"><bdi>Like</bdi></span></a></div></div></footer>
</div>
</div>
</div>
</article>"##,
        author = escape(&post.author),
        id = post.id,
        time = post.time,
        iso = iso(post.time),
        date = date,
        body = post.body,
    )
}

fn iso(seconds: i64) -> String {
    // Days since the epoch to a civil date (Howard Hinnant's algorithm).
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+0000",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

fn time_text(seconds: i64) -> String {
    iso(seconds)[..10].to_string()
}

/// One page of a thread at `thread` (e.g. "/threads/holiday-photos.123/"), page
/// `page` of `pages`.
pub fn thread_page(title: &str, thread: &str, page: u32, pages: u32, posts: &[XfPost]) -> String {
    let page_url = |n: u32| {
        if n == 1 {
            thread.to_string()
        } else {
            format!("{thread}page-{n}")
        }
    };
    let prev = (page > 1).then(|| {
        format!(
            r#"<a href="{}" class="pageNav-jump pageNav-jump--prev">Prev</a>"#,
            page_url(page - 1)
        )
    });
    let next = (page < pages).then(|| {
        format!(
            r#"<a href="{}" class="pageNav-jump pageNav-jump--next">Next</a>"#,
            page_url(page + 1)
        )
    });
    let numbers: String = (1..=pages)
        .map(|n| {
            let current = if n == page {
                " pageNav-page--current"
            } else {
                ""
            };
            format!(
                r#"<li class="pageNav-page{current} "><a href="{}">{n}</a></li>"#,
                page_url(n)
            )
        })
        .collect();
    let nav = if pages > 1 {
        format!(
            r#"<div class="block-outer"><div class="block-outer-main"><nav class="pageNavWrapper pageNavWrapper--mixed "><div class="pageNav  ">{}<ul class="pageNav-main">{numbers}</ul>{}</div></nav></div></div>"#,
            prev.clone().unwrap_or_default(),
            next.clone().unwrap_or_default()
        )
    } else {
        String::new()
    };
    let rel_next = next
        .map(|_| format!(r#"<link rel="next" href="{}" />"#, page_url(page + 1)))
        .unwrap_or_default();
    let rel_prev = prev
        .map(|_| format!(r#"<link rel="prev" href="{}" />"#, page_url(page - 1)))
        .unwrap_or_default();
    let body: String = posts.iter().map(|p| post_html(thread, p)).collect();
    format!(
        r#"<!DOCTYPE html>
<html id="XF" lang="en-US" dir="LTR" data-xf="2.2" data-app="public" data-template="thread_view" data-container-key="node-2" data-content-key="thread-123" data-logged-in="false" data-cookie-prefix="xf_" data-csrf="1700000000,0123456789abcdef" class="has-no-js template-thread_view">
<head>
<meta charset="utf-8" />
<title>{title} | Test Forum</title>
<link rel="canonical" href="{canonical}" />
{rel_prev}{rel_next}
<meta property="og:site_name" content="Test Forum" />
<meta property="og:type" content="website" />
<meta property="og:title" content="{title}" />
<meta property="og:image" content="/styles/default/xenforo/xenforo-logo-og.png" />
<link rel="stylesheet" href="/css.php?css=public%3Anormalize.css&amp;s=1&amp;l=1&amp;d=1700000000" />
</head>
<body data-template="thread_view">
<div class="p-pageWrapper" id="top">
<header class="p-header" id="header"><div class="p-header-inner"><div class="p-header-content"><div class="p-header-logo p-header-logo--image"><a href="/"><img src="/styles/default/xenforo/xenforo-logo.png" srcset="" alt="Test Forum" width="100" height="36" /></a></div></div></div></header>
<div class="p-body"><div class="p-body-inner">
<div class="p-body-header"><div class="p-title "><h1 class="p-title-value">{title}</h1></div></div>
<div class="p-body-main"><div class="p-body-content"><div class="p-body-pageContent">
<div class="block block--messages" data-xf-init="" data-type="post" data-href="/inline-mod/" data-search-target="*">
<span class="u-anchorTarget" id="posts"></span>
{nav}
<div class="block-outer js-threadStatusField"></div>
<div class="block-container lbContainer" data-xf-init="lightbox select-to-quote" data-message-selector=".js-post" data-lb-id="thread-123" data-lb-universal="0">
<div class="block-body js-replyNewMessageContainer">
{body}
</div>
</div>
{nav}
</div>
</div></div></div>
</div></div>
<footer class="p-footer" id="footer"><div class="p-footer-inner"><div class="p-footer-copyright"><a href="https://xenforo.com" class="u-concealed" dir="ltr" target="_blank" rel="sponsored noopener">Community platform by XenForo<sup>&reg;</sup> <span class="copyright">&copy; 2010-2024 XenForo Ltd.</span></a></div></div></footer>
</div>
</body>
</html>"#,
        title = escape(title),
        canonical = page_url(page),
    )
}

/// A Reddit listing (`/r/NAME/new.json`, `/user/NAME/submitted.json`) holding
/// these posts' `data`, with `after` for the next page.
pub fn reddit_listing(posts: Vec<Value>, after: Option<&str>) -> Value {
    let children: Vec<Value> = posts
        .into_iter()
        .map(|data| json!({ "kind": "t3", "data": data }))
        .collect();
    json!({
        "kind": "Listing",
        "data": {
            "after": after,
            "dist": children.len(),
            "modhash": "",
            "geo_filter": null,
            "children": children,
            "before": null
        }
    })
}

/// A Reddit post's `data` with the fields every listing entry has.
pub fn reddit_post(id: &str, author: &str, created: i64, title: &str, subreddit: &str) -> Value {
    json!({
        "id": id,
        "name": format!("t3_{id}"),
        "author": author,
        "created": created as f64,
        "created_utc": created as f64,
        "title": title,
        "subreddit": subreddit,
        "subreddit_name_prefixed": format!("r/{subreddit}"),
        "permalink": format!("/r/{subreddit}/comments/{id}/{}/", title.to_lowercase().replace(' ', "_")),
        "selftext": "",
        "is_self": false,
        "is_video": false,
        "over_18": false,
        "spoiler": false,
        "stickied": false,
        "num_comments": 0,
        "score": 1,
        "domain": "i.redd.it",
        "thumbnail": "default",
        "media": null,
        "secure_media": null,
        "removed_by_category": null
    })
}
