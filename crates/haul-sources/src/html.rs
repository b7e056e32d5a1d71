//! Small helpers over `scraper`'s parsed documents shared by the web and forum
//! extractors: selectors, a document-order walk that can skip subtrees, readable
//! text, and the page-level facts (`<base>`, `<meta>`, `<title>`).
//!
//! Walks use an explicit stack, never recursion: hostile markup nested a hundred
//! thousand levels deep must not overflow the stack.

use scraper::{CaseSensitivity, ElementRef, Html, Node, Selector};
use url::Url;

use crate::media_url;

/// Parses a selector literal of this crate.
#[allow(clippy::expect_used)]
pub(crate) fn css(selector: &'static str) -> Selector {
    // Cannot fail at run time: only string literals written in this crate reach
    // here (the parameter is `&'static str`), and every one of them is parsed by
    // this crate's unit tests, so an invalid literal fails `cargo test` first.
    Selector::parse(selector).expect("selector literal is valid CSS")
}

/// What a walk does after visiting an element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Walk {
    /// Visit the element's children too.
    Descend,
    /// Leave its subtree: handled, or not content.
    Skip,
}

/// Visits `root`'s descendant elements (not `root` itself) in document order.
pub(crate) fn walk<'a>(root: ElementRef<'a>, mut visit: impl FnMut(ElementRef<'a>) -> Walk) {
    let mut stack: Vec<_> = root.children().rev().collect();
    while let Some(node) = stack.pop() {
        let Some(element) = ElementRef::wrap(node) else {
            continue;
        };
        if visit(element) == Walk::Descend {
            stack.extend(node.children().rev());
        }
    }
}

/// The text of `root` as a reader sees it: scripts and styles left out, `skip`ped
/// subtrees left out, line breaks at `<br>` and block ends, runs of blanks
/// collapsed, at most one empty line in a row.
pub(crate) fn visible_text(root: ElementRef<'_>, skip: impl Fn(ElementRef<'_>) -> bool) -> String {
    let mut out = String::new();
    // (node, closing): a closing entry marks where a block element ends.
    let mut stack = vec![(*root, false)];
    while let Some((node, closing)) = stack.pop() {
        if closing {
            out.push('\n');
            continue;
        }
        match node.value() {
            // Line ends in markup are blanks; only `<br>` and blocks break lines.
            Node::Text(text) => out.extend(
                text.chars()
                    .map(|c| if c.is_whitespace() { ' ' } else { c }),
            ),
            Node::Element(element) => {
                let name = element.name();
                if matches!(name, "script" | "style" | "template" | "noscript") {
                    continue;
                }
                if node.id() != root.id() && ElementRef::wrap(node).is_some_and(&skip) {
                    continue;
                }
                if name == "br" {
                    out.push('\n');
                    continue;
                }
                if is_block(name) {
                    out.push('\n');
                    stack.push((node, true));
                }
                stack.extend(node.children().rev().map(|c| (c, false)));
            }
            _ => {}
        }
    }
    tidy(&out)
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "li"
            | "ul"
            | "ol"
            | "blockquote"
            | "pre"
            | "table"
            | "tr"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "section"
            | "article"
            | "aside"
            | "header"
            | "footer"
    )
}

/// Collapses blanks within lines, trims lines, keeps at most one empty line
/// (a paragraph break).
fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut blank_run = 0;
    for line in text.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(&line);
    }
    out
}

/// Cuts `text` to at most `max` characters (not bytes), on a character boundary.
pub(crate) fn cap_chars(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", text[..end].trim_end()),
        None => text.to_owned(),
    }
}

pub(crate) fn has_class(element: ElementRef<'_>, class: &str) -> bool {
    element
        .value()
        .has_class(class, CaseSensitivity::AsciiCaseInsensitive)
}

/// An attribute's value when present and not blank.
pub(crate) fn attr<'a>(element: ElementRef<'a>, name: &str) -> Option<&'a str> {
    element
        .value()
        .attr(name)
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// True for a tracking pixel or spacer: an explicit width or height of 2 or less.
pub(crate) fn is_tiny(element: ElementRef<'_>) -> bool {
    ["width", "height"].iter().any(|name| {
        attr(element, name)
            .map(|v| v.trim_end_matches("px"))
            .and_then(|v| v.parse::<f64>().ok())
            .is_some_and(|v| v <= 2.0)
    })
}

/// The URL relative links resolve against: `<base href>` (itself resolved against
/// the page) when the page has one, else the page's own URL.
pub(crate) fn base_url(doc: &Html, page: &Url) -> Url {
    doc.select(&css("base[href]"))
        .next()
        .and_then(|b| attr(b, "href"))
        .and_then(|href| media_url::resolve(page, href))
        .unwrap_or_else(|| page.clone())
}

/// The `content` of the first `<meta property=key>` or `<meta name=key>`.
pub(crate) fn meta(doc: &Html, key: &str) -> Option<String> {
    let metas = css("meta[content]");
    doc.select(&metas)
        .find(|m| {
            let v = m.value();
            v.attr("property")
                .is_some_and(|p| p.eq_ignore_ascii_case(key))
                || v.attr("name").is_some_and(|n| n.eq_ignore_ascii_case(key))
        })
        .and_then(|m| attr(m, "content"))
        .map(str::to_owned)
}

/// The whole document's `<title>`, whitespace collapsed.
pub(crate) fn title(doc: &Html) -> Option<String> {
    let text = doc.select(&css("title")).next()?.text().collect::<String>();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(html: &str) -> Html {
        Html::parse_document(html)
    }

    #[test]
    fn walk_is_document_order_and_skips() {
        let doc = body("<div id=r><p><b>1</b><i>skip<u>no</u></i></p><span>2</span></div>");
        let root = doc
            .select(&css("#r"))
            .next()
            .unwrap_or_else(|| unreachable!());
        let mut seen = Vec::new();
        walk(root, |e| {
            seen.push(e.value().name().to_owned());
            if e.value().name() == "i" {
                Walk::Skip
            } else {
                Walk::Descend
            }
        });
        assert_eq!(seen, ["p", "b", "i", "span"]);
    }

    #[test]
    fn text_keeps_lines_and_drops_skipped() {
        let doc = body(
            "<div id=r>Hello <b>world</b><br>next   line<blockquote>quoted</blockquote>\
             <script>var x = 1;</script><p>para</p>\n\n\n<p>last</p></div>",
        );
        let root = doc
            .select(&css("#r"))
            .next()
            .unwrap_or_else(|| unreachable!());
        let text = visible_text(root, |e| e.value().name() == "blockquote");
        assert_eq!(text, "Hello world\nnext line\npara\n\nlast");
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = format!(
            "<div id=r>{}x{}</div>",
            "<span>".repeat(50_000),
            "</span>".repeat(50_000)
        );
        let doc = body(&html);
        let root = doc
            .select(&css("#r"))
            .next()
            .unwrap_or_else(|| unreachable!());
        assert_eq!(visible_text(root, |_| false), "x");
        let mut n = 0;
        walk(root, |_| {
            n += 1;
            Walk::Descend
        });
        assert!(n > 0);
    }

    #[test]
    fn cap_chars_counts_characters() {
        assert_eq!(cap_chars("ééé", 2), "éé…");
        assert_eq!(cap_chars("ab", 2), "ab");
    }

    #[test]
    fn tiny_and_meta_and_base() {
        let doc = body(
            "<html><head><base href='/sub/'><title> A  title </title>\
             <meta property='og:title' content='OG'><meta name='description' content='D'></head>\
             <body><img id=p width=1 height=1 src=x.gif><img id=q width=300 src=y.jpg></body></html>",
        );
        let page = Url::parse("https://e.com/a/b.html").unwrap_or_else(|_| unreachable!());
        assert_eq!(base_url(&doc, &page).as_str(), "https://e.com/sub/");
        assert_eq!(meta(&doc, "og:title").as_deref(), Some("OG"));
        assert_eq!(meta(&doc, "description").as_deref(), Some("D"));
        assert_eq!(title(&doc).as_deref(), Some("A title"));
        let p = doc
            .select(&css("#p"))
            .next()
            .unwrap_or_else(|| unreachable!());
        let q = doc
            .select(&css("#q"))
            .next()
            .unwrap_or_else(|| unreachable!());
        assert!(is_tiny(p));
        assert!(!is_tiny(q));
    }
}
