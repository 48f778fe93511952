//! `Hooksig\Ext\Verifier`: C's `hooksig_verifier` with its options, `hooksig_verify` /
//! `hooksig_verify_request` (and the receiver's handshake on the same call),
//! `hooksig_verifier_sign`, `hooksig_verifier_signs_request`, the tolerance and the replay TTL.

use std::sync::Arc;

use ext_php_rs::boxed::ZBox;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendClassObject, ZendHashTable, Zval};
use hooksig::{RequestLine, SecretFormat, Verified, Verifier};

use crate::answer::{binary, opt_to_php, to_php};
use crate::failure::{Fail, guard};
use crate::input::{byte_list, bytes, header_pairs, text};
use crate::receiver::ExtReceiver;
use crate::scheme::ExtScheme;
use crate::sign_options::SignRequest;

#[php_class]
#[php(name = "Hooksig\\Ext\\Verifier")]
pub struct ExtVerifier {
    /// Shared (not copied) by the `anyOf` composites built from this verifier.
    inner: Arc<Verifier>,
}

#[php_impl]
impl ExtVerifier {
    /// `hooksig_verifier_new`: `tolerance` null keeps the scheme's default (a negative one is
    /// the core's to refuse), `json_fallback` null the scheme's.
    pub fn __construct(
        scheme: &ExtScheme,
        secrets: &ZendHashTable,
        tolerance: Option<i64>,
        secret_format: &Zval,
        json_fallback: Option<bool>,
    ) -> PhpResult<ExtVerifier> {
        guard(|| {
            let format = SecretFormat::parse(text(
                bytes(secret_format, "secret_format")?,
                "secret_format",
            )?)?;
            let mut builder = Verifier::builder(scheme.inner().clone()).secret_format(format);
            if let Some(t) = tolerance {
                builder = builder.tolerance(t);
            }
            for secret in byte_list(secrets, "secrets")? {
                builder = builder.secret(secret);
            }
            if let Some(on) = json_fallback {
                builder = builder.json_fallback(on);
            }
            Ok(ExtVerifier {
                inner: Arc::new(builder.build()?),
            })
        })
    }

    /// `hooksig_verifier_any_of`: one verifier over several `Hooksig\Ext\Verifier`s (shared,
    /// not copied); the core decides everything else.
    pub fn any_of(verifiers: &ZendHashTable) -> PhpResult<ExtVerifier> {
        guard(|| {
            let mut members = Vec::new();
            for (i, v) in verifiers.values().enumerate() {
                // The core refuses more than MAX_ANY_OF: no need to read past one more.
                if i > hooksig::MAX_ANY_OF {
                    break;
                }
                let v = v
                    .extract::<&ZendClassObject<ExtVerifier>>()
                    .ok_or_else(|| {
                        Fail::invalid_argument(format!(
                            "verifiers[{i}] must be a Hooksig\\Ext\\Verifier"
                        ))
                    })?;
                members.push(Arc::clone(&v.inner));
            }
            Ok(ExtVerifier {
                inner: Arc::new(Verifier::any_of(members)?),
            })
        })
    }

    /// `hooksig_verify_request`: `[scheme, timestamp, id, event_type, key_index, payload,
    /// dedupe_key, received, handshake]`, where `received` is the canonical success answer and
    /// `handshake` the vendor's endpoint handshake answer when `receiver` is given and there is
    /// one. The request line is passed when `url` or `method` is not null (as C's
    /// `hooksig_request`: a null `url` then reads as "", a null `method` as POST).
    pub fn verify(
        &self,
        headers: &ZendHashTable,
        body: &Zval,
        now: Option<i64>,
        receiver: Option<&ExtReceiver>,
        url: Option<&Zval>,
        method: Option<&Zval>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let pairs = header_pairs(headers)?;
            let body = bytes(body, "body")?;
            let (url, method) = (given(url), given(method));
            let line = if url.is_none() && method.is_none() {
                None
            } else {
                let method = match method {
                    None => "",
                    Some(m) => text(bytes(m, "request.method")?, "request.method")?,
                };
                let url = match url {
                    None => "",
                    Some(u) => text(bytes(u, "request.url")?, "request.url")?,
                };
                Some(RequestLine { method, url })
            };
            let v = match now {
                None => self.inner.verify_request(&pairs, body, line),
                Some(now) => self.inner.verify_request_at(&pairs, body, line, now),
            }?;
            let handshake = receiver.and_then(|r| {
                r.inner()
                    .handshake(&self.inner, &v, &pairs)
                    .map(|(_, answer)| answer)
            });
            Ok(verified(&v, opt_to_php(handshake)))
        })
    }

    /// `hooksig_verifier_sign`: the headers, a list of `[name, value]`; `url` and `method` as
    /// `hooksig_sign_options_set_request` (null: not set).
    pub fn sign(
        &self,
        body: &Zval,
        timestamp: Option<i64>,
        id: Option<&Zval>,
        event_type: Option<&Zval>,
        url: Option<&Zval>,
        method: Option<&Zval>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let request = SignRequest::new(timestamp, id, event_type, url, method)?;
            let headers = self.inner.sign(bytes(body, "body")?, &request.core())?;
            Ok(SignRequest::headers(&headers))
        })
    }

    /// `hooksig_verifier_signs_request`: whether the scheme signs the request line.
    pub fn signs_request_line(&self) -> bool {
        self.inner.signs_request_line()
    }

    /// `hooksig_verifier_tolerance`: the past tolerance in seconds.
    pub fn tolerance(&self) -> i64 {
        self.inner
            .tolerance()
            .past
            .map_or(i64::MAX, |t| i64::try_from(t).unwrap_or(i64::MAX))
    }

    /// `hooksig_replay_default_ttl`.
    pub fn replay_ttl(&self) -> i64 {
        i64::try_from(hooksig::default_ttl(&self.inner)).unwrap_or(i64::MAX)
    }
}

/// An optional argument that is neither absent nor PHP null.
fn given(value: Option<&Zval>) -> Option<&Zval> {
    value.filter(|v| !v.is_null())
}

impl ExtVerifier {
    pub fn inner(&self) -> &Verifier {
        &self.inner
    }
}

/// The verified request as the PHP list `verify()` documents (strings byte for byte).
fn verified(v: &Verified<'_>, handshake: Option<ZBox<ZendHashTable>>) -> ZBox<ZendHashTable> {
    let opt = |s: &Option<String>| {
        s.as_deref()
            .map_or_else(Zval::new, |s| binary(s.as_bytes()))
    };
    let received =
        hooksig::Receiver::received_fields(v.scheme, v.id.as_deref(), v.event_type.as_deref());
    let mut out = ZendHashTable::new();
    let _ = out.push(binary(v.scheme.as_bytes()));
    let _ = out.push(v.timestamp);
    let _ = out.push(opt(&v.id));
    let _ = out.push(opt(&v.event_type));
    let _ = out.push(i64::try_from(v.key_index).unwrap_or(i64::MAX));
    let _ = out.push(binary(&v.payload));
    let _ = out.push(binary(v.dedupe_key().as_bytes()));
    let _ = out.push(to_php(&received));
    let _ = out.push(handshake);
    out
}
