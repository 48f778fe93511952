//! `hooksig._native`: the private extension module behind the `hooksig` Python package.
//!
//! It converts Python values to core types, calls the core, and maps errors in one place
//! (`errors.rs`). Nothing here verifies or signs anything itself. The public, documented API is
//! `python/hooksig/__init__.py`; the types are in `python/hooksig/_native.pyi`.
//!
//! One module per noun, mirroring the core's: `scheme`, `verifier` (`Verifier`, `Verified`),
//! `sign`, `replay` (`ReplayGuard`), `receive` (`Receiver`, `Answer`), `shared_store`
//! (`SharedStore`, `StoreCommand`), `sql_store` (`SqlStore`, `SqlStatement`); this file only registers them.
//!
//! Arguments are converted in `convert.rs` (a wrong type is `hooksig.InvalidArgument`, never
//! pyo3's plain `TypeError`); every core call runs inside `boundary.rs` (a panic is
//! `VerificationError(code="internal")`), which releases the GIL for long work only.

mod boundary;
mod convert;
mod errors;
mod receive;
mod replay;
mod scheme;
mod shared_store;
mod sign;
mod sql_store;
mod verifier;

use pyo3::prelude::*;

use crate::boundary::DETACH_THRESHOLD;

#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("CORE_VERSION", hooksig::VERSION)?;
    m.add("DETACH_THRESHOLD", DETACH_THRESHOLD)?;
    m.add("DEFAULT_REPLAY_CAPACITY", hooksig::DEFAULT_REPLAY_CAPACITY)?;
    m.add_class::<verifier::PyVerifier>()?;
    m.add_class::<verifier::PyVerified>()?;
    m.add_class::<scheme::PyScheme>()?;
    m.add_class::<replay::PyReplayGuard>()?;
    m.add_class::<receive::PyReceiver>()?;
    m.add_class::<receive::PyAnswer>()?;
    m.add_class::<shared_store::PySharedStore>()?;
    m.add_class::<shared_store::PyStoreCommand>()?;
    m.add_class::<sql_store::PySqlStore>()?;
    m.add_class::<sql_store::PySqlStatement>()?;
    m.add("DEFAULT_SQL_TABLE", hooksig::sql_store::DEFAULT_TABLE)?;
    m.add("STORE_PREFIX", hooksig::shared_store::STORE_PREFIX)?;
    m.add("PROCESSING_TTL", hooksig::shared_store::PROCESSING_TTL_SECS)?;
    m.add("STORE_TIMEOUT_MS", hooksig::shared_store::STORE_TIMEOUT_MS)?;
    m.add("DEFAULT_BODY_LIMIT", hooksig::receive::DEFAULT_BODY_LIMIT)?;
    m.add("RETRY_AFTER", hooksig::receive::RETRY_AFTER_SECS)?;
    m.add_function(wrap_pyfunction!(sign::sign, m)?)?;
    m.add_function(wrap_pyfunction!(sign::public_url, m)?)?;
    m.add_function(wrap_pyfunction!(scheme::schemes, m)?)?;
    m.add_function(wrap_pyfunction!(scheme::scheme, m)?)?;
    m.add_function(wrap_pyfunction!(scheme::custom_scheme, m)?)?;
    m.add_function(wrap_pyfunction!(boundary::_panic_through_boundary, m)?)?;
    errors::register(m)?;
    Ok(())
}
