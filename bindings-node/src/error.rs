//! The one place where a core error becomes a JavaScript error.
//!
//! Every failure reaches JavaScript as an `Error` object carrying the core's stable `code`
//! (`"signature_mismatch"`, ...), the `header` involved (or `null`) and the HTTP `status` a
//! receiver should answer (`ErrorCode::http_status`, the single status table). `index.js`
//! re-throws it as a `HooksigError`. Messages come from the core and never contain a secret.

use hooksig::ErrorCode;
use napi::bindgen_prelude::{Env, JsObjectValue, JsValue, Object};

/// A core error on its way to JavaScript.
pub(crate) struct NodeError(pub(crate) hooksig::Error);

impl From<hooksig::Error> for NodeError {
    fn from(err: hooksig::Error) -> Self {
        NodeError(err)
    }
}

impl NodeError {
    /// Builds the JS error object (`message`, `code`, `header`, `status`) and wraps it so that
    /// napi throws exactly that object.
    pub(crate) fn into_napi(self, env: &Env) -> napi::Error {
        let err = self.0;
        let code = err.code();
        let build = || -> napi::Result<napi::Error> {
            let mut obj: Object<'_> = env.create_error(napi::Error::new(
                napi::Status::GenericFailure,
                err.message().to_owned(),
            ))?;
            obj.set_named_property("code", code.as_str())?;
            obj.set_named_property("header", err.header())?;
            obj.set_named_property("status", u32::from(code.http_status()))?;
            obj.set_named_property("hooksig", true)?;
            Ok(napi::Error::from(obj.to_unknown()))
        };
        // If building the object fails (an exception is already pending), still surface the
        // stable code as the napi status so the JS side can recover it.
        build().unwrap_or_else(|_| {
            napi::Error::new(
                napi::Status::GenericFailure,
                code_reason(code, err.message()),
            )
        })
    }
}

fn code_reason(code: ErrorCode, message: &str) -> String {
    format!("{}: {message}", code.as_str())
}

/// `Result` alias for the binding's fallible functions before the env-aware conversion.
pub(crate) type CoreResult<T> = std::result::Result<T, NodeError>;

/// Runs a core operation and converts its error with [`NodeError::into_napi`].
pub(crate) fn run<T>(env: &Env, f: impl FnOnce() -> CoreResult<T>) -> napi::Result<T> {
    f().map_err(|e| e.into_napi(env))
}
