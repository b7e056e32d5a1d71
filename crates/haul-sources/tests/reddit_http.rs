//! The Reddit extractor against the fixture server: a user's listing paged by
//! `after`, a subreddit, rate-limit headers and Reddit's error replies.

mod support;

use std::time::Duration;

use haul_sources::{Extractor, Order, Reddit, SourceErrorKind, Tool};
use support::{ctx, paths, serve, url};

#[tokio::test]
async fn reddit_user_pages_newest_first() {
    let (base, seen) = serve().await;
    let reddit = Reddit::with_base(url(&format!("{base}/reddit")));
    assert_eq!(reddit.order(), Order::NewestFirst);
    let source = url("https://www.reddit.com/user/harbour_lens/submitted/");
    let mut ctx = ctx();
    ctx.limit = Some(30);

    let first = reddit
        .page(&ctx, &source, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(first.next.as_deref(), Some("t3_1d5h3c9"));
    assert_eq!(first.title.as_deref(), Some("u/harbour_lens"));
    let rate = first.rate.clone().unwrap_or_default();
    assert_eq!(rate.remaining, Some(97.0));
    assert_eq!(rate.wait(), None);
    let ids: Vec<&str> = first.posts.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["1d5k2m1", "1d5j7q2", "1d5h3c9"]);
    let gallery: Vec<&str> = first.posts[1].media.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(gallery, ["q8w2e4r6t1y3", "a1s2d3f4g5h6", "z9x8c7v6b5n4"]);

    let second = reddit
        .page(&ctx, &source, first.next.as_deref())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(second.next, None);
    assert_eq!(
        second.rate.as_ref().and_then(|r| r.wait()),
        Some(Duration::from_secs(58))
    );
    let video = &second.posts[1].media[0];
    assert_eq!(video.via_tool, Some(Tool::YtDlp));
    assert_eq!(video.id, "qz8m1k2j9x3d1");
    assert_eq!(
        video.url,
        format!("{base}/reddit/r/sailing/comments/1d4w2v8/tacking_drill_from_the_bow/")
    );
    assert!(second.posts[0].media.is_empty());
    assert_eq!(
        second.posts[0].caption.as_deref(),
        Some("https://www.example.org/articles/regatta-results")
    );

    assert_eq!(
        paths(&seen),
        [
            "/reddit/user/harbour_lens/submitted.json?raw_json=1&limit=30",
            "/reddit/user/harbour_lens/submitted.json?raw_json=1&limit=30&after=t3_1d5h3c9",
        ]
    );
}

#[tokio::test]
async fn reddit_subreddit_and_errors() {
    let (base, _) = serve().await;
    let reddit = Reddit::with_base(url(&format!("{base}/reddit/")));
    let sub = reddit
        .page(&ctx(), &url("https://old.reddit.com/r/sailing/"), None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sub.title.as_deref(), Some("r/sailing"));
    assert_eq!(sub.posts[0].media[0].id, "p0o9i8u7y6t5");

    let err = |name: &'static str| {
        let reddit = reddit.clone();
        async move {
            reddit
                .page(
                    &ctx(),
                    &url(&format!("https://www.reddit.com/r/{name}")),
                    None,
                )
                .await
                .err()
        }
    };
    assert_eq!(
        err("secret").await.map(|e| e.kind()),
        Some(SourceErrorKind::Gone)
    );
    assert_eq!(
        err("banned").await.map(|e| e.kind()),
        Some(SourceErrorKind::Gone)
    );
    assert_eq!(
        err("html").await.map(|e| e.kind()),
        Some(SourceErrorKind::Layout)
    );
    let busy = err("busy").await;
    assert_eq!(
        busy.as_ref().map(|e| e.kind()),
        Some(SourceErrorKind::RateLimited)
    );
    // Retry-After wins over x-ratelimit-reset.
    assert_eq!(
        busy.and_then(|e| e.retry_after()),
        Some(Duration::from_secs(30))
    );
}
