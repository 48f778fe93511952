//! hooksig as a native PHP extension (`hooksig.so`, built with ext-php-rs): the classes of the
//! `Hooksig\Ext` namespace, one per C noun of libhooksig, calling the core crate directly with
//! the C binding's semantics (its status numbers, error words, bytes and answers). The composer
//! package's classes use them when the extension is loaded, and otherwise their FFI twins
//! (`Hooksig\Ffi`, the same methods and return shapes), so PHP code sees one API either way.
//! Every entry point that can fail runs under `failure::guard` (no panic crosses into PHP).

mod answer;
mod failure;
mod input;
mod receiver;
mod replay_guard;
mod scheme;
mod shared_store;
mod sign_options;
mod sql_store;
mod status;
mod verifier;

use ext_php_rs::prelude::*;
use ext_php_rs::zend::ModuleEntry;
use ext_php_rs::{info_table_end, info_table_row, info_table_start};

/// The core's version (`Hooksig\Verifier::version()`).
#[php_function]
#[php(name = "Hooksig\\Ext\\version")]
pub fn version() -> String {
    hooksig::VERSION.to_owned()
}

/// `php -i` / phpinfo(): what is loaded, for a support question.
pub extern "C" fn module_info(_module: *mut ModuleEntry) {
    info_table_start!();
    info_table_row!("hooksig support", "enabled");
    info_table_row!("hooksig core version", hooksig::VERSION);
    info_table_end!();
}

#[php_module]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    module
        .name("hooksig")
        .version(hooksig::VERSION)
        .info_function(module_info)
        .class::<failure::Failure>()
        .class::<status::Status>()
        .class::<scheme::ExtScheme>()
        .class::<verifier::ExtVerifier>()
        .class::<receiver::ExtReceiver>()
        .class::<replay_guard::ExtReplayGuard>()
        .class::<shared_store::ExtSharedStore>()
        .class::<sql_store::ExtSqlStore>()
        .function(wrap_function!(version))
}
