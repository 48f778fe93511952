//! `Hooksig\Ext\Scheme`: a built-in scheme by id or a custom definition (C's `hooksig_scheme`
//! and `hooksig_custom_scheme_builder`), and signing as a sender of it (`hooksig_sign`).

use ext_php_rs::boxed::ZBox;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use hooksig::{CustomScheme, Scheme};

use crate::failure::{Fail, guard};
use crate::input::{bytes, text};
use crate::sign_options::SignRequest;

#[php_class]
#[php(name = "Hooksig\\Ext\\Scheme")]
pub struct ExtScheme {
    inner: Scheme,
}

impl ExtScheme {
    pub fn inner(&self) -> &Scheme {
        &self.inner
    }
}

#[php_impl]
impl ExtScheme {
    /// A built-in scheme (`hooksig_scheme_from_name`).
    pub fn named(name: &Zval) -> PhpResult<ExtScheme> {
        guard(|| {
            let inner = Scheme::named(text(bytes(name, "scheme")?, "scheme")?)?;
            Ok(ExtScheme { inner })
        })
    }

    /// A custom scheme from `[key, value|null]` pairs, set in order on the core's builder and
    /// validated by it (`hooksig_custom_scheme_builder_set` / `_build`).
    pub fn custom(settings: &ZendHashTable) -> PhpResult<ExtScheme> {
        guard(|| {
            let mut def = CustomScheme::new("", "");
            for pair in settings.values() {
                let (key, value) = pair
                    .array()
                    .and_then(|p| {
                        let mut it = p.values();
                        Some((it.next()?, it.next()?))
                    })
                    .ok_or_else(|| {
                        Fail::invalid_argument("a setting must be a [key, value] pair")
                    })?;
                let key = text(bytes(key, "key")?, "key")?;
                let value = if value.is_null() {
                    None
                } else {
                    Some(text(bytes(value, "value")?, "value")?)
                };
                def.set(key, value)?;
            }
            Ok(ExtScheme {
                inner: def.build()?,
            })
        })
    }

    /// The built-in scheme ids.
    pub fn builtin_ids() -> Vec<String> {
        hooksig::SCHEME_IDS
            .iter()
            .map(|s| (*s).to_owned())
            .collect()
    }

    /// The headers a sender attaches (`hooksig_sign`), a list of `[name, value]`; `url` and
    /// `method` as `hooksig_sign_options_set_request` (null: not set).
    #[allow(clippy::too_many_arguments)]
    pub fn sign(
        &self,
        secret: &Zval,
        body: &Zval,
        timestamp: Option<i64>,
        id: Option<&Zval>,
        event_type: Option<&Zval>,
        url: Option<&Zval>,
        method: Option<&Zval>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let request = SignRequest::new(timestamp, id, event_type, url, method)?;
            let secret = bytes(secret, "secret")?;
            let body = bytes(body, "body")?;
            let headers = hooksig::sign_with(&self.inner, secret, body, &request.core())?;
            Ok(SignRequest::headers(&headers))
        })
    }
}
