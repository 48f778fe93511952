//! The one place where a core error or a panic becomes a JavaScript error: an `Error` with the
//! core's `code`, `header` (or `null`), HTTP `status` and secret-free message, which
//! `lib/errors.js` re-throws as a `HooksigError`. A panic must not abort Node: [`boundary`]
//! catches it around every core call (code `"internal"`, 500), and `#[napi(catch_unwind)]` on
//! every export is the backstop outside one.

use std::panic::{AssertUnwindSafe, catch_unwind};

use hooksig::{INTERNAL_ERROR_CODE, INTERNAL_ERROR_STATUS};
use napi::Task;
use napi::bindgen_prelude::{AsyncTask, Env, JsObjectValue, JsValue, Object};
use napi_derive::napi;

/// A failure on its way to JavaScript (`pub`: napi's public threadpool tasks carry it).
pub enum NodeError {
    Core(hooksig::Error),
    Panic,
}

impl From<hooksig::Error> for NodeError {
    fn from(err: hooksig::Error) -> Self {
        NodeError::Core(err)
    }
}

const PANIC_MESSAGE: &str = "internal error: hooksig panicked (a bug; please report it)";

impl NodeError {
    /// Builds the JS error object (`message`, `code`, `header`, `status`) and wraps it so that
    /// napi throws exactly that object.
    pub(crate) fn into_napi(self, env: &Env) -> napi::Error {
        let (code, header, status, message) = match &self {
            NodeError::Core(e) => (
                e.code().as_str(),
                e.header(),
                e.code().http_status(),
                e.message(),
            ),
            NodeError::Panic => (
                INTERNAL_ERROR_CODE,
                None,
                INTERNAL_ERROR_STATUS,
                PANIC_MESSAGE,
            ),
        };
        let status = u32::from(status);
        let build = || -> napi::Result<napi::Error> {
            let mut obj: Object<'_> = env.create_error(napi::Error::new(
                napi::Status::GenericFailure,
                message.to_owned(),
            ))?;
            obj.set_named_property("code", code)?;
            obj.set_named_property("header", header)?;
            obj.set_named_property("status", status)?;
            obj.set_named_property("hooksig", true)?;
            Ok(napi::Error::from(obj.to_unknown()))
        };
        // If building the object fails (an exception is already pending), still surface the
        // stable code as the napi status so the JS side can recover it.
        build().unwrap_or_else(|_| {
            napi::Error::new(napi::Status::GenericFailure, format!("{code}: {message}"))
        })
    }
}

/// `Result` alias for the binding's fallible functions before the env-aware conversion.
pub(crate) type CoreResult<T> = std::result::Result<T, NodeError>;

/// Runs `f`, turning a panic into [`NodeError::Panic`]. `AssertUnwindSafe`: after a panic nothing
/// `f` touched is observed again, and the core's only global state is `OnceLock` tables.
pub(crate) fn boundary<T>(f: impl FnOnce() -> CoreResult<T>) -> CoreResult<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(Err(NodeError::Panic))
}

/// Runs a core operation in [`boundary`] and converts its error with [`NodeError::into_napi`].
pub(crate) fn run<T>(env: &Env, f: impl FnOnce() -> CoreResult<T>) -> napi::Result<T> {
    boundary(f).map_err(|e| e.into_napi(env))
}

/// Test hook (untyped, not re-exported): panics inside [`run`] (`mode` `"core"`, default), in a
/// threadpool task (`"threadpool"`) or outside any core call (`"napi"`), to prove a panic
/// surfaces as `HooksigError('internal')` and Node carries on.
#[napi(
    catch_unwind,
    skip_typescript,
    js_name = "_panicThroughBoundary",
    ts_return_type = "void | Promise<void>"
)]
pub fn panic_through_boundary(
    env: Env,
    mode: Option<String>,
) -> napi::Result<Option<AsyncTask<PanicTask>>> {
    match mode.as_deref() {
        Some("threadpool") => Ok(Some(AsyncTask::new(PanicTask))),
        Some("napi") => panics().map(|()| None).map_err(|e| e.into_napi(&env)),
        _ => run(&env, panics).map(|()| None),
    }
}

fn panics() -> CoreResult<()> {
    panic!("deliberate panic from _panicThroughBoundary (a test)")
}

/// [`panic_through_boundary`]'s threadpool task.
pub struct PanicTask;

impl Task for PanicTask {
    type Output = CoreResult<()>;
    type JsValue = ();

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(boundary(panics))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<()> {
        output.map_err(|e| e.into_napi(&env))
    }
}
