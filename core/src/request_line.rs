//! The request's method and public URL, for the schemes that sign them (Twilio, Square,
//! HubSpot, and custom templates with `{method}`/`{url}`).

use std::borrow::Cow;

use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorCode, Result};
use crate::form_params;
use crate::scheme::{Scheme, TemplatePart};

/// The method and the URL the sender requested, as verification input.
///
/// The URL is the one the **sender** used: scheme, host, port, path and query exactly as
/// configured at the vendor (`https://example.com/hooks/twilio?x=1`). Behind a proxy or a load
/// balancer, the URL the application sees differs (`http://10.0.0.5:8000/...`): build it from
/// the public base URL instead ([`RequestLine::public_url`]); every integration takes that base
/// as an option.
///
/// ```
/// use hooksig::RequestLine;
/// let line = RequestLine::post("https://example.com/hooks?a=1");
/// assert_eq!(line.method, "POST");
/// assert_eq!(
///     RequestLine::public_url("https://example.com/", "/hooks?a=1"),
///     "https://example.com/hooks?a=1"
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestLine<'a> {
    /// The HTTP method as received (`POST`).
    pub method: &'a str,
    /// The full URL the sender requested.
    pub url: &'a str,
}

impl<'a> RequestLine<'a> {
    /// A `POST` to `url` (what webhooks are).
    pub fn post(url: &'a str) -> RequestLine<'a> {
        RequestLine {
            method: "POST",
            url,
        }
    }

    /// Joins a public base URL (`https://example.com` or `https://example.com/prefix/`) and
    /// the request's path and query (`/hooks?a=1`) with exactly one `/` between them.
    pub fn public_url(base: &str, path_and_query: &str) -> String {
        let base = base.trim_end_matches('/');
        let rest = path_and_query.trim_start_matches('/');
        let mut url = String::with_capacity(base.len() + rest.len() + 1);
        url.push_str(base);
        url.push('/');
        url.push_str(rest);
        url
    }
}

/// How a scheme reads the URL before signing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UrlRule {
    /// The URL exactly as given (Square, custom templates).
    AsGiven,
    /// Twilio's validators try the URL with and without its port (Twilio's own signing is
    /// inconsistent about it): without the port, then with the scheme's default port added.
    PortVariants,
    /// HubSpot v3 signs the URI with a fixed set of percent-escapes decoded.
    HubSpotDecoded,
}

/// The URL forms to try, in order (one, or Twilio's two).
pub(crate) fn url_forms(rule: UrlRule, url: &str) -> [Option<Cow<'_, str>>; 2] {
    match rule {
        UrlRule::AsGiven => [Some(Cow::Borrowed(url)), None],
        UrlRule::HubSpotDecoded => [Some(hubspot_decoded(url)), None],
        UrlRule::PortVariants => {
            let (without, with) = port_variants(url);
            [Some(without), Some(with)]
        }
    }
}

/// The request-line pieces one verification (or signing) feeds to the MAC.
pub(crate) struct PreparedRequest<'r> {
    pub(crate) method: &'r str,
    /// The URL forms to try, in order (empty when the scheme signs no URL).
    pub(crate) urls: [Option<Cow<'r, str>>; 2],
    /// Twilio's canonical form parameters.
    pub(crate) form: Vec<u8>,
}

impl PreparedRequest<'_> {
    const NONE: PreparedRequest<'static> = PreparedRequest {
        method: "",
        urls: [None, None],
        form: Vec::new(),
    };
}

/// Reads the request line for `scheme`: nothing when the scheme signs none of it; otherwise
/// the URL is required (`invalid_argument`: the caller must pass it), the method defaults to
/// `POST`, and Twilio's form parameters or `bodySHA256` check are applied to the body.
/// `exact_url` (signing) uses the URL as given instead of trying Twilio's port variants.
pub(crate) fn prepare<'r>(
    scheme: &Scheme,
    request: Option<RequestLine<'r>>,
    body: &[u8],
    exact_url: bool,
) -> Result<PreparedRequest<'r>> {
    // One pass with no comparison of parts' data (every other scheme's hot path).
    if !scheme.signs_request_line() {
        return Ok(PreparedRequest::NONE);
    }
    let uses = |part: TemplatePart| scheme.template.contains(&part);
    let (needs_url, needs_form) = (uses(TemplatePart::Url), uses(TemplatePart::FormParams));
    let id = scheme.id();
    let line = request.unwrap_or(RequestLine {
        method: "",
        url: "",
    });
    if needs_url && line.url.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            None,
            format!(
                "the {id} scheme signs the request URL: pass the URL the sender requested \
                 (`url`; behind a proxy, built from the public base URL)"
            ),
        ));
    }
    let method = if line.method.is_empty() {
        "POST"
    } else {
        line.method
    };
    let rule = if exact_url && scheme.url_rule == UrlRule::PortVariants {
        UrlRule::AsGiven
    } else {
        scheme.url_rule
    };
    let urls = url_forms(rule, line.url);
    let mut form = Vec::new();
    if needs_form {
        match scheme
            .body_hash_query
            .and_then(|name| query_param(line.url, name))
        {
            // A JSON body: the URL carries the body's SHA-256 and the signature covers the URL
            // only. The hash is public (anyone can hash the body), so `==` is fine here.
            Some(expected) => {
                if hex::encode(Sha256::digest(body)) != expected {
                    return Err(Error::new(
                        ErrorCode::SignatureMismatch,
                        Some(scheme.signature_header()),
                        format!(
                            "the body's SHA-256 differs from the URL's {} parameter: the body \
                             was altered, or is not the raw request bytes",
                            scheme.body_hash_query.unwrap_or_default()
                        ),
                    ));
                }
            }
            None => {
                form = form_params::canonical(body).ok_or_else(|| {
                    Error::new(
                        ErrorCode::SignatureMismatch,
                        Some(scheme.signature_header()),
                        format!(
                            "the form body has more than {} parameters: not a {id} request \
                             (refused unread)",
                            form_params::MAX_FORM_PARAMS
                        ),
                    )
                })?;
            }
        }
    }
    Ok(PreparedRequest { method, urls, form })
}

/// Where the authority (`host[:port]`) sits in `url`: after `://`, up to `/`, `?` or `#`.
fn authority(url: &str) -> Option<(usize, usize)> {
    let start = url.find("://")? + 3;
    let end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    Some((start, end))
}

/// The port's start (the `:`) within an authority, when it ends in `:<digits>` (after any
/// IPv6 literal's `]`).
fn port_colon(authority: &str) -> Option<usize> {
    let colon = authority.rfind(':')?;
    let port = &authority[colon + 1..];
    let after_ipv6 = authority.rfind(']').is_none_or(|b| b < colon);
    (after_ipv6 && !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())).then_some(colon)
}

/// `(without port, with port)`, as Twilio's SDK validators build them: the port removed when
/// present, else `:443` (https) or `:80` added.
fn port_variants(url: &str) -> (Cow<'_, str>, Cow<'_, str>) {
    let Some((start, end)) = authority(url) else {
        return (Cow::Borrowed(url), Cow::Borrowed(url));
    };
    match port_colon(&url[start..end]) {
        Some(colon) => {
            let without = format!("{}{}", &url[..start + colon], &url[end..]);
            (Cow::Owned(without), Cow::Borrowed(url))
        }
        None => {
            let port = if url[..start].eq_ignore_ascii_case("https://") {
                ":443"
            } else {
                ":80"
            };
            let with = format!("{}{port}{}", &url[..end], &url[end..]);
            (Cow::Borrowed(url), Cow::Owned(with))
        }
    }
}

/// HubSpot's v3 rule: these escapes are decoded in the URI before signing (HubSpot's
/// "Validate the v3 request signature" table); every other escape stays as sent.
const HUBSPOT_DECODED: [(&str, char); 12] = [
    ("%3A", ':'),
    ("%2F", '/'),
    ("%3F", '?'),
    ("%40", '@'),
    ("%21", '!'),
    ("%24", '$'),
    ("%27", '\''),
    ("%28", '('),
    ("%29", ')'),
    ("%2A", '*'),
    ("%2C", ','),
    ("%3B", ';'),
];

fn hubspot_decoded(url: &str) -> Cow<'_, str> {
    if !url.contains('%') {
        return Cow::Borrowed(url);
    }
    let mut out = String::with_capacity(url.len());
    let mut rest = url;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let escape = rest.get(i..i + 3);
        match escape.and_then(|e| {
            HUBSPOT_DECODED
                .iter()
                .find(|(code, _)| code.eq_ignore_ascii_case(e))
        }) {
            Some((_, c)) => {
                out.push(*c);
                rest = &rest[i + 3..];
            }
            None => {
                out.push('%');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The first non-empty value of query parameter `name` in `url` (as `parse_qs` reads it:
/// blank values do not count), undecoded.
pub(crate) fn query_param<'u>(url: &'u str, name: &str) -> Option<&'u str> {
    let query = url.split_once('?')?.1;
    let query = query.split_once('#').map_or(query, |(q, _)| q);
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, v)| *k == name && !v.is_empty())
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twilio_port_variants() {
        let (a, b) = port_variants("https://example.com/sms?x=1");
        assert_eq!(a, "https://example.com/sms?x=1");
        assert_eq!(b, "https://example.com:443/sms?x=1");
        let (a, b) = port_variants("http://127.0.0.1:8080/sms");
        assert_eq!(a, "http://127.0.0.1/sms");
        assert_eq!(b, "http://127.0.0.1:8080/sms");
        let (a, b) = port_variants("http://[::1]/x");
        assert_eq!(
            (a.as_ref(), b.as_ref()),
            ("http://[::1]/x", "http://[::1]:80/x")
        );
        let (a, b) = port_variants("not a url");
        assert_eq!((a.as_ref(), b.as_ref()), ("not a url", "not a url"));
    }

    #[test]
    fn hubspot_decodes_its_table_only() {
        assert_eq!(
            hubspot_decoded("https://h.io/a%3Fb%3ac%20d%"),
            "https://h.io/a?b:c%20d%"
        );
        assert_eq!(hubspot_decoded("https://h.io/plain"), "https://h.io/plain");
    }

    #[test]
    fn query_param_skips_blank_values() {
        let url = "https://x.io/p?bodySHA256=&a=1&bodySHA256=ab#frag";
        assert_eq!(query_param(url, "bodySHA256"), Some("ab"));
        assert_eq!(query_param("https://x.io/p", "a"), None);
    }

    #[test]
    fn public_url_joins_with_one_slash() {
        assert_eq!(
            RequestLine::public_url("https://e.com", "/a"),
            "https://e.com/a"
        );
        assert_eq!(
            RequestLine::public_url("https://e.com/p/", "a?b"),
            "https://e.com/p/a?b"
        );
    }
}
