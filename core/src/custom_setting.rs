//! A custom scheme's settings given as text key/value pairs, the way the C API (and through
//! it PHP, C# and later bindings) and configuration files pass them, so that every binding
//! accepts the same keys and values and refuses the same mistakes with the same message.

use crate::error::{Error, ErrorCode, Result};
use crate::scheme::{Algorithm, CustomScheme, Encoding, undisclosed};

impl CustomScheme {
    /// Every key [`CustomScheme::set`] accepts, in the order the docs list them.
    pub const SETTINGS: &'static [&'static str] = &[
        "id",
        "signature_header",
        "timestamp_header",
        "id_header",
        "event_header",
        "template",
        "encoding",
        "prefix",
        "algorithm",
        "json_fallback",
    ];

    /// Sets one option by name from text: `None` clears an optional header or prefix, and is
    /// refused for the options that need a value. `json_fallback` takes `true` or `false`,
    /// `encoding` and `algorithm` what [`Encoding::parse`] and [`Algorithm::parse`] take. The
    /// scheme is unchanged on failure (`invalid_config`); [`CustomScheme::build`] then checks
    /// the whole.
    ///
    /// ```
    /// use hooksig::CustomScheme;
    /// let mut acme = CustomScheme::new("acme", "X-Acme-Signature");
    /// acme.set("encoding", Some("base64")).unwrap();
    /// acme.set("prefix", Some("sha256=")).unwrap();
    /// assert!(acme.set("colour", Some("blue")).is_err());
    /// assert!(acme.set("template", None).is_err());
    /// assert!(acme.build().is_ok());
    /// ```
    pub fn set(&mut self, key: &str, value: Option<&str>) -> Result<()> {
        let invalid = |msg: String| Error::config(ErrorCode::InvalidConfig, msg);
        let required = || {
            value.ok_or_else(|| {
                invalid(format!(
                    "the custom scheme option `{key}` requires a value (only headers and the \
                     prefix can be unset)"
                ))
            })
        };
        let owned = value.map(str::to_owned);
        match key {
            "id" => self.id = required()?.to_owned(),
            "signature_header" => self.signature_header = required()?.to_owned(),
            "timestamp_header" => self.timestamp_header = owned,
            "id_header" => self.id_header = owned,
            "event_header" => self.event_header = owned,
            "prefix" => self.prefix = owned,
            "template" => self.template = required()?.to_owned(),
            "encoding" => self.encoding = Encoding::parse(required()?)?,
            "algorithm" => self.algorithm = Algorithm::parse(required()?)?,
            "json_fallback" => {
                self.json_fallback = match required()? {
                    "true" => true,
                    "false" => false,
                    other => {
                        return Err(invalid(format!(
                            "json_fallback must be `true` or `false` ({})",
                            undisclosed(other)
                        )));
                    }
                }
            }
            // A key is not a secret, but a secret passed in the wrong argument could be one.
            other => {
                return Err(invalid(format!(
                    "unknown custom scheme option ({}); known: {}",
                    undisclosed(other),
                    Self::SETTINGS.join(", ")
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_setting_is_accepted_and_changes_the_scheme() {
        let values = [
            ("id", "acme2"),
            ("signature_header", "X-Sig"),
            ("timestamp_header", "X-Ts"),
            ("id_header", "X-Id"),
            ("event_header", "X-Event"),
            ("template", "{id}.{ts}.{body}"),
            ("encoding", "base64"),
            ("prefix", "v1="),
            ("algorithm", "sha512"),
            ("json_fallback", "true"),
        ];
        assert_eq!(
            values.map(|(k, _)| k).as_slice(),
            CustomScheme::SETTINGS,
            "the test covers every setting"
        );
        for (key, value) in values {
            let mut def = CustomScheme::new("acme", "X-Acme-Signature");
            let before = def.clone();
            def.set(key, Some(value)).unwrap();
            assert_ne!(def, before, "{key} changed nothing");
        }
    }

    #[test]
    fn optional_settings_clear_and_required_ones_refuse_none() {
        let mut def = CustomScheme::new("acme", "X-Acme-Signature");
        def.set("prefix", Some("sha256=")).unwrap();
        def.set("prefix", None).unwrap();
        assert_eq!(def.prefix, None);
        for key in [
            "id",
            "signature_header",
            "template",
            "encoding",
            "algorithm",
        ] {
            let before = def.clone();
            let err = def.set(key, None).unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidConfig);
            assert!(err.message().contains(key), "{}", err.message());
            assert_eq!(def, before, "unchanged on failure");
        }
    }

    #[test]
    fn unknown_keys_and_bad_values_are_config_errors_that_echo_no_secret() {
        let mut def = CustomScheme::new("acme", "X-Acme-Signature");
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        for (key, value) in [
            (secret, "x"),
            ("json_fallback", secret),
            ("encoding", secret),
            ("algorithm", secret),
        ] {
            let err = def.set(key, Some(value)).unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidConfig);
            assert!(!err.message().contains(secret), "{}", err.message());
        }
        assert!(def.set("json_fallback", Some("yes")).is_err());
    }
}
