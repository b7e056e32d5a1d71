//! The one way Haul's extractors ask a site for a page: a GET with a descriptive
//! User-Agent and the account's cookies, a capped body, and the reply's status
//! turned into a [`SourceError`] the core can act on.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};
use url::Url;

use crate::error::SourceError;
use crate::extractor::ExtractContext;
use crate::model::RateHint;

/// Sites (Reddit above all) throttle anonymous default User-Agents hard and ask
/// clients to name themselves; this one says who we are and where to complain.
pub const USER_AGENT: &str = concat!(
    "Haul/",
    env!("CARGO_PKG_VERSION"),
    " (download manager; +https://github.com/haul-app/haul)"
);

/// No real HTML page or JSON listing comes near this; a bigger body is something
/// else (a video behind a page URL, a hostile endless stream) and is refused
/// before it is held in memory.
pub const MAX_PAGE_BYTES: usize = 16 * 1024 * 1024;

/// Enough of an error page to recognise it (a login form, a JSON `reason`).
const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// A stalled server must not hold a check forever.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

pub(crate) const ACCEPT_HTML: &str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5";
pub(crate) const ACCEPT_JSON: &str = "application/json";

/// A successful reply whose body has not been read yet.
pub(crate) struct Response {
    /// Where the reply came from after redirects.
    pub url: Url,
    pub headers: HeaderMap,
    inner: reqwest::Response,
}

impl Response {
    pub fn content_type(&self) -> Option<&str> {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
    }

    /// The rate-limit headers of this reply, when it had any.
    pub fn rate(&self) -> Option<RateHint> {
        rate_hint(&self.headers)
    }

    /// The body as text, refused (not truncated) beyond [`MAX_PAGE_BYTES`].
    pub async fn text(self) -> Result<String, SourceError> {
        let what = self.url.to_string();
        let bytes = read_capped(self.inner, MAX_PAGE_BYTES, false)
            .await
            .map_err(|e| match e {
                ReadError::TooBig => SourceError::Malformed {
                    what,
                    message: format!("the reply is larger than {} MiB", MAX_PAGE_BYTES >> 20),
                },
                ReadError::Network(m) => SourceError::Network(m),
            })?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// GETs `url`. Statuses other than 2xx become errors; `inspect` sees the status
/// and the start of an error body first and may name a better error (a login
/// form behind a 403, Reddit's `{"reason": "private"}`).
pub(crate) async fn get(
    ctx: &ExtractContext,
    url: &Url,
    accept: &str,
    inspect: impl FnOnce(StatusCode, &str) -> Option<SourceError>,
) -> Result<Response, SourceError> {
    let mut request = ctx
        .client
        .get(url.clone())
        .timeout(REQUEST_TIMEOUT)
        .header(header::USER_AGENT, USER_AGENT)
        .header(header::ACCEPT, accept);
    if let Some(cookie) = ctx.cookies.as_ref().and_then(|c| c.header_for(url)) {
        // The value is a secret: it goes on the wire and nowhere else.
        request = request.header(header::COOKIE, cookie);
    }
    let reply = request
        .send()
        .await
        .map_err(|e| SourceError::Network(e.without_url().to_string()))?;
    let status = reply.status();
    let final_url = reply.url().clone();
    let headers = reply.headers().clone();
    tracing::debug!(url = %final_url, status = status.as_u16(), "fetched");
    if status.is_success() {
        return Ok(Response {
            url: final_url,
            headers,
            inner: reply,
        });
    }
    // An error page is read only as far as needed to recognise it.
    let body = read_capped(reply, MAX_ERROR_BODY_BYTES, true)
        .await
        .unwrap_or_default();
    let body = String::from_utf8_lossy(&body);
    if let Some(err) = inspect(status, &body) {
        return Err(err);
    }
    Err(status_error(
        &final_url,
        status,
        &headers,
        SystemTime::now(),
    ))
}

/// What an unsuccessful status means for the core.
pub(crate) fn status_error(
    url: &Url,
    status: StatusCode,
    headers: &HeaderMap,
    now: SystemTime,
) -> SourceError {
    let site = url.host_str().unwrap_or("the site").to_owned();
    match status.as_u16() {
        429 => SourceError::RateLimited {
            retry_after: retry_after(headers, now),
            site,
        },
        401 => SourceError::LoginRequired(format!("{site} answered 401 Unauthorized")),
        403 => SourceError::Blocked(format!("{site} answered 403 Forbidden for {url}")),
        404 | 410 => SourceError::Gone(format!("{url} answered {status}")),
        451 => SourceError::Blocked(format!("{url} is unavailable for legal reasons")),
        // A challenge page (Cloudflare) is a refusal, not an outage.
        503 if headers.contains_key("cf-mitigated") => {
            SourceError::Blocked(format!("{site} answered with a challenge page"))
        }
        _ => SourceError::Network(format!("{site} answered {status}")),
    }
}

/// The wait a 429 names: `Retry-After` (seconds or an HTTP date), else Reddit's
/// `x-ratelimit-reset` (seconds).
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    if let Some(value) = header_str(headers, header::RETRY_AFTER.as_str()) {
        if let Ok(secs) = value.parse::<u64>() {
            return Some(Duration::from_secs(secs));
        }
        if let Some(at) = parse_http_date(value) {
            let now = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
            return Some(Duration::from_secs(at.saturating_sub(now)));
        }
    }
    rate_hint(headers).and_then(|h| h.reset)
}

/// Reddit's `x-ratelimit-remaining` (a float) and `x-ratelimit-reset` (seconds).
pub(crate) fn rate_hint(headers: &HeaderMap) -> Option<RateHint> {
    let remaining = header_str(headers, "x-ratelimit-remaining")
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|v| v.is_finite());
    let reset = header_str(headers, "x-ratelimit-reset")
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v >= 0.0)
        .map(|v| Duration::from_secs(v.ceil() as u64));
    (remaining.is_some() || reset.is_some()).then_some(RateHint { remaining, reset })
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

/// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the only form RFC 9110 asks
/// senders to use, as Unix seconds.
pub(crate) fn parse_http_date(value: &str) -> Option<u64> {
    let parts: Vec<&str> = value.split_whitespace().collect();
    let [_, day, month, year, clock, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month))?;
    let month = time::Month::try_from(u8::try_from(month + 1).ok()?).ok()?;
    let date = time::Date::from_calendar_date(year.parse().ok()?, month, day.parse().ok()?).ok()?;
    let mut hms = clock.split(':').map(str::parse::<u8>);
    let (Some(Ok(h)), Some(Ok(m)), Some(Ok(s)), None) =
        (hms.next(), hms.next(), hms.next(), hms.next())
    else {
        return None;
    };
    let at = date.with_hms(h, m, s).ok()?.assume_utc().unix_timestamp();
    u64::try_from(at).ok()
}

enum ReadError {
    TooBig,
    Network(String),
}

/// Reads the body chunk by chunk and stops at `cap`: refused when `truncate` is
/// false, cut short when it is true.
async fn read_capped(
    mut reply: reqwest::Response,
    cap: usize,
    truncate: bool,
) -> Result<Vec<u8>, ReadError> {
    if !truncate
        && reply
            .content_length()
            .is_some_and(|n| n > u64::try_from(cap).unwrap_or(u64::MAX))
    {
        return Err(ReadError::TooBig);
    }
    let mut body = Vec::new();
    while let Some(chunk) = reply
        .chunk()
        .await
        .map_err(|e| ReadError::Network(e.without_url().to_string()))?
    {
        if body.len() + chunk.len() > cap {
            if truncate {
                let room = cap - body.len();
                body.extend_from_slice(&chunk[..room]);
                return Ok(body);
            }
            return Err(ReadError::TooBig);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn user_agent_names_haul_and_version() {
        assert!(USER_AGENT.starts_with(&format!("Haul/{} (", env!("CARGO_PKG_VERSION"))));
        assert!(USER_AGENT.contains("+https://github.com/haul-app/haul"));
    }

    #[test]
    fn retry_after_seconds_date_and_reddit_reset() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_700);
        assert_eq!(
            retry_after(&headers(&[("retry-after", "120")]), now),
            Some(Duration::from_secs(120))
        );
        // Sun, 06 Nov 1994 08:49:37 GMT is 784111777.
        assert_eq!(
            retry_after(
                &headers(&[("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT")]),
                now
            ),
            Some(Duration::from_secs(77))
        );
        assert_eq!(
            retry_after(&headers(&[("x-ratelimit-reset", "42")]), now),
            Some(Duration::from_secs(42))
        );
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")]), now), None);
    }

    #[test]
    fn http_date_rejects_other_forms() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), None);
        assert_eq!(parse_http_date("Sun, 31 Feb 1994 08:49:37 GMT"), None);
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49 GMT"), None);
    }

    #[test]
    fn rate_hint_reads_reddit_headers() {
        let hint = rate_hint(&headers(&[
            ("x-ratelimit-remaining", "0.0"),
            ("x-ratelimit-used", "100"),
            ("x-ratelimit-reset", "371"),
        ]));
        let hint = hint.unwrap_or_default();
        assert_eq!(hint.remaining, Some(0.0));
        assert_eq!(hint.wait(), Some(Duration::from_secs(371)));
        let plenty = rate_hint(&headers(&[
            ("x-ratelimit-remaining", "99.0"),
            ("x-ratelimit-reset", "371"),
        ]));
        assert_eq!(plenty.and_then(|h| h.wait()), None);
        assert_eq!(rate_hint(&headers(&[])), None);
    }

    #[test]
    fn statuses_map_to_kinds() {
        let url = Url::parse("https://example.com/a").unwrap_or_else(|_| unreachable!());
        let now = SystemTime::now();
        let kind = |code: u16, h: &HeaderMap| {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::IM_A_TEAPOT);
            status_error(&url, status, h, now).kind()
        };
        use crate::error::SourceErrorKind as K;
        let none = HeaderMap::new();
        assert_eq!(kind(401, &none), K::LoginRequired);
        assert_eq!(kind(403, &none), K::Blocked);
        assert_eq!(kind(404, &none), K::Gone);
        assert_eq!(kind(410, &none), K::Gone);
        assert_eq!(kind(429, &none), K::RateLimited);
        assert_eq!(kind(500, &none), K::Network);
        assert_eq!(kind(503, &none), K::Network);
        assert_eq!(
            kind(503, &headers(&[("cf-mitigated", "challenge")])),
            K::Blocked
        );
    }
}
