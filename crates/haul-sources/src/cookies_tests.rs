//! Tests for Netscape cookie parsing, header selection and the private file.

use super::*;

const SECRET: &str = "s3cr3t-VALUE-do-not-leak";

fn good_file() -> String {
    format!(
        "# Netscape HTTP Cookie File\r\n\
         # a comment\r\n\
         \r\n\
         .example.com\tTRUE\t/\tTRUE\t0\tsessionid\t{SECRET}\r\n\
         #HttpOnly_www.example.org\tFALSE\t/app\tFALSE\t4102444800\tcsrftoken\tabc\r\n\
         old.example.net\tFALSE\t/\tFALSE\t1000\texpired\tgone\n"
    )
}

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

#[test]
fn parses_a_good_file_with_http_only_and_crlf() {
    let c = Cookies::parse_netscape(&good_file()).unwrap();
    assert_eq!(c.entries.len(), 3);
    let e = &c.entries[0];
    assert_eq!(e.domain, ".example.com");
    assert!(e.include_subdomains && e.secure && !e.http_only);
    assert_eq!((e.path.as_str(), e.expires), ("/", 0));
    assert_eq!((e.name.as_str(), e.value.as_str()), ("sessionid", SECRET));
    let h = &c.entries[1];
    assert_eq!(h.domain, "www.example.org");
    assert!(h.http_only && !h.include_subdomains && !h.secure);
    assert_eq!((h.path.as_str(), h.expires), ("/app", 4102444800));
    assert_eq!(h.value, "abc");
    assert_eq!(
        c.domains(),
        vec!["example.com", "old.example.net", "www.example.org"]
    );
    assert!(!c.is_empty());
}

#[test]
fn round_trips_through_to_netscape() {
    let c = Cookies::parse_netscape(&good_file()).unwrap();
    let text = c.to_netscape();
    assert!(
        text.contains(
            "#HttpOnly_www.example.org\tFALSE\t/app\tFALSE\t4102444800\tcsrftoken\tabc\n"
        )
    );
    let again = Cookies::parse_netscape(&text).unwrap();
    assert_eq!(again.to_netscape(), text);
    assert_eq!(again.entries.len(), 3);
}

fn err(text: &str) -> CookieFileError {
    Cookies::parse_netscape(text).unwrap_err()
}

#[test]
fn bad_lines_name_their_line_number_and_never_the_value() {
    let ok = format!(".a.com\tTRUE\t/\tFALSE\t0\tn\t{SECRET}\n");
    let cases = [
        (
            format!("{ok}\n.a.com\tTRUE\t/\t{SECRET}\n"),
            CookieFileError::FieldCount { line: 3, found: 4 },
        ),
        (
            format!("# c\n.a.com\tYES\t/\tFALSE\t0\tn\t{SECRET}\n"),
            CookieFileError::BadBoolean {
                line: 2,
                field: "include-subdomains",
            },
        ),
        (
            format!("{ok}.a.com\tTRUE\t/\tmaybe\t0\tn\t{SECRET}\n"),
            CookieFileError::BadBoolean {
                line: 2,
                field: "secure",
            },
        ),
        (
            format!(".a.com\tTRUE\t/\tFALSE\tsoon\tn\t{SECRET}\n"),
            CookieFileError::BadExpiry { line: 1 },
        ),
        (
            format!("{ok}{ok}.a.com\tTRUE\t/\tFALSE\t0\t \t{SECRET}\n"),
            CookieFileError::EmptyName { line: 3 },
        ),
        (
            format!("\tTRUE\t/\tFALSE\t0\tn\t{SECRET}\n"),
            CookieFileError::EmptyDomain { line: 1 },
        ),
        (
            format!("{SECRET}\n"),
            CookieFileError::FieldCount { line: 1, found: 1 },
        ),
    ];
    for (text, want) in cases {
        let got = err(&text);
        assert_eq!(got, want);
        let message = got.to_string();
        assert!(!message.contains(SECRET), "{message}");
        assert!(!format!("{got:?}").contains(SECRET));
    }
    assert_eq!(
        err(".a.com\tTRUE\t/\tmaybe\t0\tn\tv\n").to_string(),
        "line 1: the secure field must be TRUE or FALSE"
    );
}

#[test]
fn refuses_empty_binary_and_huge_files() {
    assert_eq!(err(""), CookieFileError::Empty);
    assert_eq!(err("# only a comment\n\n"), CookieFileError::Empty);
    assert_eq!(err("SQLite format 3\0\0"), CookieFileError::NotText);
    assert_eq!(
        Cookies::parse_netscape_bytes(&[0xff, 0xfe, 0x00, 0x41]).unwrap_err(),
        CookieFileError::NotText
    );
    let huge = "#".repeat(MAX_COOKIE_FILE_BYTES + 1);
    assert_eq!(err(&huge), CookieFileError::TooBig);
    assert_eq!(
        Cookies::parse_netscape_bytes(huge.as_bytes()).unwrap_err(),
        CookieFileError::TooBig
    );
}

#[test]
fn accepts_a_missing_value_and_fractional_expiry() {
    let c = Cookies::parse_netscape(".a.com\tTRUE\t/\tFALSE\t1700000000.5\tflag\n").unwrap();
    assert_eq!(c.entries[0].value, "");
    assert_eq!(c.entries[0].expires, 1700000000);
}

#[test]
fn debug_shows_no_value() {
    let c = Cookies::parse_netscape(&good_file()).unwrap();
    assert_eq!(format!("{c:?}"), "Cookies(3 entries)");
}

fn cookies(lines: &[&str]) -> Cookies {
    Cookies::parse_netscape(&lines.join("\n")).unwrap()
}

#[test]
fn header_follows_domain_rules() {
    let c = cookies(&[
        ".dot.com\tFALSE\t/\tFALSE\t0\tdot\t1",
        "flag.com\tTRUE\t/\tFALSE\t0\tflag\t2",
        "host.com\tFALSE\t/\tFALSE\t0\thost\t3",
    ]);
    let now = 1_700_000_000;
    assert_eq!(
        c.header_at(&url("http://dot.com/"), now).as_deref(),
        Some("dot=1")
    );
    assert_eq!(
        c.header_at(&url("http://a.b.dot.com/x"), now).as_deref(),
        Some("dot=1")
    );
    assert_eq!(
        c.header_at(&url("http://www.flag.com/"), now).as_deref(),
        Some("flag=2")
    );
    assert_eq!(
        c.header_at(&url("http://HOST.com/"), now).as_deref(),
        Some("host=3")
    );
    assert_eq!(c.header_at(&url("http://www.host.com/"), now), None);
    // Suffix without a dot boundary is another site.
    assert_eq!(c.header_at(&url("http://notdot.com/"), now), None);
    assert_eq!(c.header_at(&url("http://evilflag.com/"), now), None);
}

#[test]
fn header_follows_path_secure_and_expiry() {
    let c = cookies(&[
        "a.com\tFALSE\t/app\tFALSE\t0\tapp\t1",
        "a.com\tFALSE\t/\tTRUE\t0\tsecure\t2",
        "a.com\tFALSE\t/\tFALSE\t1000\told\t3",
        "a.com\tFALSE\t/\tFALSE\t5000\tfresh\t4",
    ]);
    let now = 2000;
    assert_eq!(
        c.header_at(&url("https://a.com/app/x"), now).as_deref(),
        Some("app=1; secure=2; fresh=4")
    );
    assert_eq!(
        c.header_at(&url("http://a.com/app"), now).as_deref(),
        Some("app=1; fresh=4")
    );
    assert_eq!(
        c.header_at(&url("http://a.com/apple"), now).as_deref(),
        Some("fresh=4")
    );
    assert_eq!(c.header_at(&url("http://a.com/"), 6000), None);
    // The wall-clock variant skips the long-expired ones too.
    assert_eq!(c.header_for(&url("http://a.com/")), None);
}

#[cfg(unix)]
#[test]
fn private_file_is_0600_and_removed_on_drop() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("cookies");
    let c = Cookies::parse_netscape(&good_file()).unwrap();
    let file = PrivateCookieFile::create(&nested, &c).unwrap();
    let path = file.path().to_path_buf();
    assert!(path.starts_with(&nested));
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), c.to_netscape());
    assert!(!format!("{file:?}").contains(SECRET));
    drop(file);
    assert!(!path.exists());
}
