//! The options of a signing call (C's `hooksig_sign_options`) and the signed headers it returns
//! (`hooksig_signed_headers`), as a list of `[name, value]`.

use ext_php_rs::boxed::ZBox;
use ext_php_rs::types::{ZendHashTable, Zval};
use hooksig::{SignOptions, SignedHeaders};

use crate::answer::pairs;
use crate::failure::Fail;
use crate::input::{bytes, text};

pub struct SignRequest {
    timestamp: Option<i64>,
    id: Option<String>,
    event_type: Option<String>,
    method: Option<String>,
    url: Option<String>,
}

impl SignRequest {
    /// Null (absent) id / event type / method / URL stay absent; present ones must be UTF-8
    /// (checked in C's order: id, event type, then `hooksig_sign_options_set_request`'s method
    /// and URL).
    pub fn new(
        timestamp: Option<i64>,
        id: Option<&Zval>,
        event_type: Option<&Zval>,
        url: Option<&Zval>,
        method: Option<&Zval>,
    ) -> Result<SignRequest, Fail> {
        let opt = |v: Option<&Zval>, what: &str| -> Result<Option<String>, Fail> {
            match v.filter(|v| !v.is_null()) {
                None => Ok(None),
                Some(v) => Ok(Some(text(bytes(v, what)?, what)?.to_owned())),
            }
        };
        Ok(SignRequest {
            timestamp,
            id: opt(id, "id")?,
            event_type: opt(event_type, "event_type")?,
            method: opt(method, "method")?,
            url: opt(url, "url")?,
        })
    }

    pub fn core(&self) -> SignOptions<'_> {
        SignOptions {
            timestamp: self.timestamp,
            id: self.id.as_deref(),
            event_type: self.event_type.as_deref(),
            url: self.url.as_deref(),
            method: self.method.as_deref(),
        }
    }

    pub fn headers(headers: &SignedHeaders) -> ZBox<ZendHashTable> {
        pairs(headers.iter().map(|(n, v)| (n.as_str(), v.as_str())))
    }
}
