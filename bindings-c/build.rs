//! Gives `libhooksig.so` its SONAME, `libhooksig.so.<major>`: programs linked against it record
//! that name, so an incompatible major version is never loaded in its place. `install.sh`
//! installs the file as `libhooksig.so.<version>` with the `.so.<major>` and `.so` links;
//! `test.sh` checks the SONAME with `readelf -d`.

fn main() {
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").expect("cargo sets the version");
    let target = std::env::var("TARGET").unwrap_or_default();
    // ELF platforms only (macOS uses -install_name, Windows has no SONAME).
    if target.contains("linux") || target.contains("bsd") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libhooksig.so.{major}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
