//! Writes `hooksig.h` into the directory given as the only argument.
//!
//! cbindgen is a locked dependency of this crate rather than a tool found on PATH: its output
//! differs between patch releases, and the committed header is compared byte for byte in CI.
//!
//! ```text
//! cargo run --locked -q -p hooksig-header-gen -- OUT_DIR
//! ```
//!
//! PHP's `FFI::cdef` reads the same header: `bindings-php/src/Native.php` drops its
//! preprocessor lines (and the `#ifdef __cplusplus` blocks) when it loads it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cbindgen::{Builder, Config};

const PLACEHOLDER: &str = "@HOOKSIG_VERSION_MACROS@";

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let (Some(out), None) = (args.next(), args.next()) else {
        eprintln!("usage: hooksig-header-gen OUT_DIR");
        return ExitCode::from(2);
    };
    match write_headers(Path::new(&out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("hooksig-header-gen: {message}");
            ExitCode::FAILURE
        }
    }
}

fn write_headers(out: &Path) -> Result<(), String> {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("no parent directory")?
        .to_path_buf();
    let config = Config::from_file(crate_dir.join("cbindgen.toml"))?;
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;

    generate(&crate_dir, c_config(config)?)?.write_to_file(out.join("hooksig.h"));
    Ok(())
}

fn generate(crate_dir: &Path, config: Config) -> Result<cbindgen::Bindings, String> {
    Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .map_err(|e| e.to_string())
}

/// The C header: the configuration as written, with the version macros taken from Cargo.
fn c_config(mut config: Config) -> Result<Config, String> {
    if config.after_includes.as_deref() != Some(PLACEHOLDER) {
        return Err(format!(
            "cbindgen.toml lost its after_includes = \"{PLACEHOLDER}\""
        ));
    }
    let version = env!("CARGO_PKG_VERSION");
    let [major, minor, patch] = [
        env!("CARGO_PKG_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_PATCH"),
    ];
    config.after_includes = Some(format!(
        "// The version this header belongs to; hooksig_version() is the library you run.\n\
         #define HOOKSIG_VERSION \"{version}\"\n\
         #define HOOKSIG_VERSION_MAJOR {major}\n\
         #define HOOKSIG_VERSION_MINOR {minor}\n\
         #define HOOKSIG_VERSION_PATCH {patch}\n"
    ));
    Ok(config)
}
