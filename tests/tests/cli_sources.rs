//! Sources end to end through the `haul` binary, against sites on 127.0.0.1 in
//! the real formats: a XenForo 2 thread over several pages and Reddit's JSON
//! listings. A subscription fetches each media item exactly once — checked
//! twice, after a new post, and killed in the middle of a check — names files
//! inside its folder whatever the site calls them, dates them by their post,
//! and records them in a searchable history.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, UNIX_EPOCH};

use haul_e2e::forum::{
    Attachment, XfPost, attachment_path, bb_image, bb_quote, bb_video, linked_thumbnail,
    reddit_listing, reddit_post, thread_page,
};
use haul_e2e::haul_bin;
use haul_e2e::site_server::{Reply, SiteServer};
use serde_json::{Value, json};

fn haul_env(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = std::process::Command::new(haul_bin());
    command.arg("--data-dir").arg(data).args(args);
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

fn haul(data: &Path, args: &[&str]) -> Output {
    let output = haul_env(data, args, &[]);
    assert!(
        output.status.success(),
        "haul {args:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// A small JPEG whose pixels depend on `seed` (so no two are the same file).
fn jpeg(seed: u8) -> Vec<u8> {
    let image = image::RgbImage::from_fn(48, 32, |x, y| {
        image::Rgb([seed.wrapping_mul(37), (x * 5) as u8 ^ seed, (y * 7) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// Every regular file under `dir`, relative, with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(
                    path.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    out
}

fn mtime_secs(path: &Path) -> i64 {
    std::fs::metadata(path)
        .unwrap()
        .modified()
        .unwrap()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

const THREAD: &str = "/threads/holiday-photos.123/";
const T0: i64 = 1_714_564_800; // 2024-05-01 12:00 UTC

/// The thread's site: two pages of posts and every media file they show.
struct Forum {
    site: SiteServer,
    /// Media path → bytes.
    media: BTreeMap<String, Vec<u8>>,
}

impl Forum {
    async fn start() -> Self {
        let site = SiteServer::start().await.unwrap();
        let mut forum = Self {
            site,
            media: BTreeMap::new(),
        };
        for (path, seed) in [
            ("/media/sunset.jpg", 1),
            ("/media/full/lake.jpg", 2),
            ("/media/lake-thumb.jpg", 3),
            ("/data/attachments/0/2001-thumb.jpg", 4),
            ("/data/attachments/0/2003-thumb.jpg", 5),
            ("/data/avatars/m/0/7.jpg", 6),
            ("/media/harbour.jpg", 8),
        ] {
            forum.file(path, jpeg(seed));
        }
        let beach = Attachment {
            id: 2001,
            name: "beach.jpg".into(),
        };
        let evil = Attachment {
            id: 2003,
            name: "../../evil\u{202e}gpj.jpg".into(),
        };
        forum.file(&attachment_path(&beach), jpeg(10));
        forum.file(&attachment_path(&evil), jpeg(11));
        let mut clip = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom".to_vec();
        clip.extend(std::iter::repeat_n(7u8, 4000));
        forum.site.set(
            "/data/video/clip.mp4",
            Reply::bytes("video/mp4", clip.clone()),
        );
        forum.media.insert("/data/video/clip.mp4".into(), clip);
        forum.publish(false);
        forum
    }

    fn file(&mut self, path: &str, bytes: Vec<u8>) {
        self.site
            .set(path, Reply::bytes("image/jpeg", bytes.clone()));
        self.media.insert(path.to_string(), bytes);
    }

    fn posts(with_new_post: bool) -> (Vec<XfPost>, Vec<XfPost>) {
        let page1 = vec![
            XfPost {
                id: 1001,
                author: "alice".into(),
                time: T0,
                body: format!(
                    "Sunset over the bay<br />{}",
                    bb_image("/media/sunset.jpg", "sunset.jpg")
                ),
                attachments: vec![Attachment {
                    id: 2001,
                    name: "beach.jpg".into(),
                }],
            },
            XfPost {
                id: 1002,
                author: "bob".into(),
                time: T0 + 3600,
                body: format!(
                    "The lake, click for full size<br />{}",
                    linked_thumbnail("/media/full/lake.jpg", "/media/lake-thumb.jpg")
                ),
                attachments: Vec::new(),
            },
        ];
        let mut page2 = vec![XfPost {
            id: 1003,
            author: "carol".into(),
            time: T0 + 7200,
            body: format!(
                "{}Still my favourite. And a clip:<br />{}",
                bb_quote("alice", 1001, &bb_image("/media/sunset.jpg", "sunset.jpg")),
                bb_video("/data/video/clip.mp4")
            ),
            attachments: vec![Attachment {
                id: 2003,
                name: "../../evil\u{202e}gpj.jpg".into(),
            }],
        }];
        if with_new_post {
            page2.push(XfPost {
                id: 1004,
                author: "dave".into(),
                time: T0 + 86_400,
                body: format!(
                    "Harbour at dawn<br />{}",
                    bb_image("/media/harbour.jpg", "harbour.jpg")
                ),
                attachments: Vec::new(),
            });
        }
        (page1, page2)
    }

    fn publish(&self, with_new_post: bool) {
        let (page1, page2) = Self::posts(with_new_post);
        self.site.set(
            THREAD,
            Reply::html(thread_page("Holiday photos", THREAD, 1, 2, &page1)),
        );
        self.site.set(
            &format!("{THREAD}page-2"),
            Reply::html(thread_page("Holiday photos", THREAD, 2, 2, &page2)),
        );
    }

    /// How often each media path was fetched.
    fn media_hits(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for hit in self.site.hits() {
            if self.media.contains_key(&hit.path) {
                *out.entry(hit.path).or_default() += 1;
            }
        }
        out
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_followed_thread_is_fetched_exactly_once_and_dated_by_its_posts() {
    let forum = Forum::start().await;
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let url = forum.site.url(THREAD);
    let id = stdout(&haul(
        data.path(),
        &[
            "source",
            "add",
            &url,
            "--every",
            "1h",
            "--dir",
            out.path().to_str().unwrap(),
        ],
    ));
    assert!(id.parse::<i64>().is_ok(), "prints the id, not {id:?}");

    haul(data.path(), &["source", "check", &id, "--wait"]);
    let fetched = forum.media_hits();
    let expected: Vec<&str> = vec![
        "/attachments/beach-jpg.2001/",
        "/attachments/evil-gpj-jpg.2003/",
        "/data/video/clip.mp4",
        "/media/full/lake.jpg",
        "/media/sunset.jpg",
    ];
    assert_eq!(
        fetched.keys().map(String::as_str).collect::<Vec<_>>(),
        expected,
        "full-size media only: no thumbnails, avatars or smilies"
    );
    assert!(
        fetched.values().all(|n| *n == 1),
        "each once (the quote repeats sunset): {fetched:?}"
    );

    let on_disk = files(out.path());
    assert_eq!(on_disk.len(), 5, "{:?}", on_disk.keys().collect::<Vec<_>>());
    for (path, bytes) in &on_disk {
        assert!(
            forum.media.values().any(|b| b == bytes),
            "{} holds bytes the site served",
            path.display()
        );
        let name = path.to_string_lossy();
        assert!(!name.contains(".."), "{name}");
        assert!(!name.contains('\u{202e}'), "no bidi override in {name}");
    }
    // Named by the default template and dated by their posts.
    let sunset = on_disk
        .keys()
        .find(|p| p.starts_with("xenforo/alice") && on_disk[*p] == forum.media["/media/sunset.jpg"])
        .expect("alice's sunset under xenforo/alice/")
        .clone();
    assert!(
        sunset.to_string_lossy().contains("2024-05-01_1001_"),
        "{}",
        sunset.display()
    );
    assert_eq!(mtime_secs(&out.path().join(&sunset)), T0);
    let clip = on_disk
        .keys()
        .find(|p| p.extension().is_some_and(|e| e == "mp4"))
        .unwrap();
    assert_eq!(mtime_secs(&out.path().join(clip)), T0 + 7200);

    // Checked again: the pages are read, no media is fetched.
    forum.site.clear_hits();
    haul(data.path(), &["source", "check", &id, "--wait"]);
    assert!(forum.media_hits().is_empty(), "{:?}", forum.media_hits());
    assert!(
        !forum.site.hits_under(THREAD).is_empty(),
        "the thread was read again"
    );

    // A new post: only its media.
    forum.publish(true);
    forum.site.clear_hits();
    haul(data.path(), &["source", "check", &id, "--wait"]);
    assert_eq!(
        forum.media_hits().into_iter().collect::<Vec<_>>(),
        vec![("/media/harbour.jpg".to_string(), 1)]
    );
    assert_eq!(files(out.path()).len(), 6);

    // The list shows the source; the history finds a file by a word of its caption.
    let list: Value =
        serde_json::from_str(&stdout(&haul(data.path(), &["source", "list", "--json"]))).unwrap();
    assert_eq!(list[0]["id"].as_i64().unwrap().to_string(), id);
    assert_eq!(list[0]["url"], url.as_str());
    assert_eq!(list[0]["state"], "active");
    let found: Value = serde_json::from_str(&stdout(&haul(
        data.path(),
        &["history", "search", "harbour", "--json"],
    )))
    .unwrap();
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["platform"], "xenforo");
    assert_eq!(found[0]["account"], "dave");
    assert_eq!(found[0]["postedAt"], T0 + 86_400);

    // Export, import into a new data folder, export again: the same entries.
    let export = stdout(&haul(
        data.path(),
        &["history", "export", "--format", "csv"],
    ));
    let csv = out.path().join("history.csv");
    std::fs::write(&csv, &export).unwrap();
    let other = tempfile::tempdir().unwrap();
    assert_eq!(
        stdout(&haul(
            other.path(),
            &["history", "import", csv.to_str().unwrap()]
        )),
        "6 entries added"
    );
    assert_eq!(
        stdout(&haul(
            other.path(),
            &["history", "export", "--format", "csv"]
        )),
        export
    );
    let json_export = stdout(&haul(
        data.path(),
        &["history", "export", "--format", "json"],
    ));
    let parsed: Value = serde_json::from_str(&json_export).unwrap();
    assert_eq!(parsed.as_array().unwrap().len(), 6);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_check_killed_midway_continues_and_fetches_every_item_once() {
    let forum = Forum::start().await;
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let url = forum.site.url(THREAD);
    let id = stdout(&haul(
        data.path(),
        &["source", "add", &url, "--dir", out.path().to_str().unwrap()],
    ));
    let page2 = format!("{THREAD}page-2");
    forum.site.hold(&page2);
    let mut child = std::process::Command::new(haul_bin())
        .arg("--data-dir")
        .arg(data.path())
        .args(["source", "check", &id, "--wait"])
        .spawn()
        .unwrap();
    // Page 1's media are archived and queued before page 2 is asked for.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while forum.site.hits_under(&page2).is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "page 2 was never requested"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    forum.site.release();

    haul(data.path(), &["source", "check", &id, "--wait"]);
    let on_disk = files(out.path());
    assert_eq!(on_disk.len(), 5, "{:?}", on_disk.keys().collect::<Vec<_>>());
    let mut contents: Vec<&Vec<u8>> = on_disk.values().collect();
    contents.sort();
    contents.dedup();
    assert_eq!(contents.len(), 5, "no item twice");
    // The second run continued at page 2: page 1 was not read again.
    let page1_reads = forum
        .site
        .hits()
        .iter()
        .filter(|h| h.path == THREAD)
        .count();
    assert_eq!(page1_reads, 1, "continued from its cursor");
}

fn reddit_site_posts(site: &SiteServer) -> (Value, Value) {
    let img = |name: &str| site.url(&format!("/i/{name}"));
    let mut image = reddit_post("abc1", "poster", T0, "A red fox", "pics");
    image["url"] = json!(img("fox.jpg"));
    image["post_hint"] = json!("image");
    let mut gallery = reddit_post("abc2", "poster", T0 - 60, "Two birds", "pics");
    gallery["url"] = json!("https://www.reddit.com/gallery/abc2");
    gallery["is_gallery"] = json!(true);
    gallery["gallery_data"] = json!({"items": [
        {"media_id": "m2b", "id": 2},
        {"media_id": "m2a", "id": 1}
    ]});
    gallery["media_metadata"] = json!({
        "m2a": {"status": "valid", "e": "Image", "m": "image/jpeg", "s": {"u": img("m2a.jpg"), "x": 48, "y": 32}},
        "m2b": {"status": "valid", "e": "Image", "m": "image/jpeg", "s": {"u": img("m2b.jpg"), "x": 48, "y": 32}}
    });
    let mut text = reddit_post("abc3", "writer", T0 - 120, "Just words", "pics");
    text["is_self"] = json!(true);
    text["selftext"] = json!("No pictures here.");
    text["url"] = json!("https://www.reddit.com/r/pics/comments/abc3/just_words/");
    let mut link = reddit_post("abc4", "linker", T0 - 180, "An article", "pics");
    link["url"] = json!("https://example.invalid/article.html");
    link["domain"] = json!("example.invalid");
    let mut older = reddit_post("abc5", "poster", T0 - 240, "An owl", "pics");
    older["url"] = json!(img("owl.jpg"));
    (
        reddit_listing(vec![image, gallery, text, link], Some("t3_abc4")),
        reddit_listing(vec![older], None),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_subreddit_is_read_page_by_page_through_a_rate_limit() {
    let site = SiteServer::start().await.unwrap();
    for (name, seed) in [
        ("fox.jpg", 21),
        ("m2a.jpg", 22),
        ("m2b.jpg", 23),
        ("owl.jpg", 24),
    ] {
        site.set(
            &format!("/i/{name}"),
            Reply::bytes("image/jpeg", jpeg(seed)),
        );
    }
    let (first, second) = reddit_site_posts(&site);
    site.set_sequence(
        "/r/pics/new.json",
        vec![
            Reply::status(
                429,
                &[
                    ("retry-after", "1"),
                    ("x-ratelimit-remaining", "0"),
                    ("x-ratelimit-used", "100"),
                    ("x-ratelimit-reset", "1"),
                ],
            ),
            Reply::json(&first),
        ],
    );
    // The page after abc4: the listing's `after`.
    site.set("/r/pics/new.json?after=t3_abc4", Reply::json(&second));
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let env = [("HAUL_REDDIT_URL", site.base())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let add = haul_env(
        data.path(),
        &[
            "source",
            "add",
            "https://www.reddit.com/r/pics/",
            "--dir",
            out.path().to_str().unwrap(),
        ],
        &env,
    );
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    let id = stdout(&add);
    let check = haul_env(data.path(), &["source", "check", &id, "--wait"], &env);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );

    let listing_hits = site.hits_under("/r/pics/new.json");
    assert!(
        listing_hits.len() >= 3,
        "429, page 1, page 2: {listing_hits:?}"
    );
    let agent = listing_hits[0]
        .headers
        .iter()
        .find(|(n, _)| n == "user-agent")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    assert!(
        agent.starts_with("Haul/"),
        "a descriptive User-Agent: {agent:?}"
    );
    assert!(
        listing_hits
            .iter()
            .all(|h| h.query.as_deref().unwrap_or("").contains("raw_json=1")),
        "{listing_hits:?}"
    );
    let on_disk = files(out.path());
    assert_eq!(
        on_disk.len(),
        4,
        "fox, two gallery images, owl: {:?}",
        on_disk.keys().collect::<Vec<_>>()
    );
    let names: Vec<String> = on_disk
        .keys()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().any(|n| n.contains("abc2_1")) && names.iter().any(|n| n.contains("abc2_2")),
        "{names:?}"
    );

    // Checked again: nothing new is fetched.
    site.clear_hits();
    let again = haul_env(data.path(), &["source", "check", &id, "--wait"], &env);
    assert!(again.status.success());
    assert!(
        site.hits_under("/i/").is_empty(),
        "{:?}",
        site.hits_under("/i/")
    );
}

#[test]
fn bad_input_gets_a_clear_error() {
    let data = tempfile::tempdir().unwrap();
    for (args, says) in [
        (vec!["source", "add", "ftp://example.invalid/x"], "http"),
        (
            vec!["source", "add", "http://127.0.0.1:9/t/", "--every", "5s"],
            "between 1 minute",
        ),
        (
            vec!["source", "add", "http://127.0.0.1:9/t/", "--cron", "* * *"],
            "5-field",
        ),
        (vec!["source", "check", "999", "--wait"], "no source #999"),
        (
            vec!["history", "import", "/nonexistent/h.json"],
            "Cannot read",
        ),
    ] {
        let output = haul_env(data.path(), &args, &[]);
        assert!(!output.status.success(), "{args:?} should fail");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.to_lowercase().contains(&says.to_lowercase()),
            "{args:?}: {stderr}"
        );
    }
}

/// Every file under `dir` (recursively) whose bytes contain `needle`.
fn files_containing(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path)
                && bytes.windows(needle.len()).any(|w| w == needle)
            {
                found.push(path);
            }
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a Secret Service on D-Bus; run by cargo xtask test"]
async fn cookies_reach_the_site_and_nothing_else() {
    const VALUE: &str = "c00kieV4lue-7f3a9d";
    let forum = Forum::start().await;
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let cookies = work.path().join("cookies.txt");
    std::fs::write(
        &cookies,
        format!(
            "# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\txf_session\t{VALUE}\n"
        ),
    )
    .unwrap();
    // A cookies file that is not one is refused with the line it stumbled on.
    let bad = work.path().join("bad.txt");
    std::fs::write(&bad, "127.0.0.1\tFALSE\t/\n").unwrap();
    let refused = haul_env(
        data.path(),
        &[
            "cookies",
            "import",
            bad.to_str().unwrap(),
            "--account",
            "me",
        ],
        &[],
    );
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("line 1"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );

    haul(
        data.path(),
        &[
            "cookies",
            "import",
            cookies.to_str().unwrap(),
            "--account",
            "me",
        ],
    );
    std::fs::remove_file(&cookies).unwrap();

    // A thread read and fetched with the account's cookies.
    let url = forum.site.url(THREAD);
    let id = stdout(&haul(
        data.path(),
        &[
            "source",
            "add",
            &url,
            "--account",
            "me",
            "--dir",
            out.path().to_str().unwrap(),
        ],
    ));
    haul(data.path(), &["source", "check", &id, "--wait"]);
    let with_cookie = forum
        .site
        .hits()
        .into_iter()
        .filter(|h| {
            h.headers
                .iter()
                .any(|(n, v)| n == "cookie" && v.contains(VALUE))
        })
        .count();
    assert!(
        with_cookie >= 6,
        "pages and media were fetched with the cookie ({with_cookie})"
    );

    // The same account through gallery-dl: a stand-in that records its command
    // line and the cookie file it was given, then prints gallery-dl's JSON.
    let record = work.path().join("argv.txt");
    let tool = work.path().join("gallery-dl");
    let image = forum.site.url("/media/harbour.jpg");
    std::fs::write(
        &tool,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{record}'\nwhile [ $# -gt 0 ]; do if [ \"$1\" = --cookies ]; then cp \"$2\" '{record}.cookies'; ls -l \"$2\" > '{record}.mode'; fi; shift; done\n\
             printf '%s' '[[2, {{\"category\": \"directlink\", \"subcategory\": \"\"}}], [3, \"{image}\", {{\"category\": \"directlink\", \"subcategory\": \"\", \"filename\": \"harbour\", \"extension\": \"jpg\"}}]]'\n",
            record = record.display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let env = [("HAUL_GALLERY_DL", tool.to_str().unwrap())];
    let add = haul_env(
        data.path(),
        &[
            "source",
            "add",
            &image,
            "--extractor",
            "gallery-dl",
            "--account",
            "me",
            "--dir",
            out.path().to_str().unwrap(),
        ],
        &env,
    );
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    let check = haul_env(
        data.path(),
        &["source", "check", &stdout(&add), "--wait"],
        &env,
    );
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let argv = std::fs::read_to_string(&record).unwrap();
    assert!(argv.contains("--cookies"), "{argv}");
    assert!(
        !argv.contains(VALUE),
        "no cookie on the command line: {argv}"
    );
    assert!(
        std::fs::read_to_string(format!("{}.cookies", record.display()))
            .unwrap()
            .contains(VALUE)
    );
    let mode = std::fs::read_to_string(format!("{}.mode", record.display())).unwrap();
    assert!(mode.starts_with("-rw-------"), "a private copy: {mode}");
    let cookie_path = argv
        .lines()
        .skip_while(|l| *l != "--cookies")
        .nth(1)
        .unwrap();
    assert!(
        !Path::new(cookie_path).exists(),
        "the copy is removed after the run"
    );

    // Nowhere in the data folder (database, settings, logs) or the downloads.
    assert_eq!(
        files_containing(data.path(), VALUE.as_bytes()),
        Vec::<PathBuf>::new()
    );
    assert_eq!(
        files_containing(out.path(), VALUE.as_bytes()),
        Vec::<PathBuf>::new()
    );
}
