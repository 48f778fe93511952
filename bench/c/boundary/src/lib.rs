//! Shared by the two bench binaries: libhooksig.so loaded with `dlopen` (so its C ABI is called
//! through a plain function pointer, exactly as a C caller calls it), the benchmark body and the
//! request headers.

use std::ffi::{CStr, CString, c_char, c_int, c_void};

pub const NOW: i64 = 1_767_225_600;

/// The same secrets as core/benches/verify.rs.
pub fn secret(scheme: &str) -> &'static str {
    match scheme {
        "standard-webhooks" | "svix" => "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        _ => "whsec_benchmark_secret_value",
    }
}

/// JSON-looking filler, byte for byte the body of core/benches/verify.rs.
pub fn body(len: usize) -> Vec<u8> {
    let head = br#"{"id":"evt_1","event":"x","data":""#;
    let n = len.max(2);
    let mut b = Vec::with_capacity(n);
    b.extend_from_slice(&head[..head.len().min(n - 2)]);
    b.resize(n - 2, b'a');
    b.extend_from_slice(b"\"}");
    b
}

/// The headers of a request carrying `body` for `scheme`: the ordinary ones, then the scheme's
/// signed headers (id `msg_1`, event type `x`, signed at [`NOW`]).
pub fn signed_headers(scheme: &str, body: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let opts = hooksig::SignOptions {
        id: Some("msg_1"),
        event_type: Some("x"),
        ..hooksig::SignOptions::at(NOW)
    };
    let mut pairs = ordinary(body.len());
    for (n, v) in hooksig::sign(scheme, secret(scheme).as_bytes(), body, &opts).expect("signs") {
        pairs.push((n.into_bytes(), v.into_bytes()));
    }
    pairs
}

/// Eight ordinary request headers (plus Content-Length), as every bench in bench/ sends them.
pub fn ordinary(len: usize) -> Vec<(Vec<u8>, Vec<u8>)> {
    [
        ("Host", "hooks.example.com".to_owned()),
        ("User-Agent", "Sender-Hookshot/1.0".to_owned()),
        ("Content-Type", "application/json".to_owned()),
        ("Accept", "*/*".to_owned()),
        ("Accept-Encoding", "gzip".to_owned()),
        ("X-Forwarded-For", "203.0.113.7".to_owned()),
        ("X-Forwarded-Proto", "https".to_owned()),
        (
            "X-Request-Id",
            "5f0c4e0e-7a43-4c41-9f5e-1f6a3f0b2c9d".to_owned(),
        ),
        ("Content-Length", len.to_string()),
    ]
    .into_iter()
    .map(|(n, v)| (n.as_bytes().to_vec(), v.into_bytes()))
    .collect()
}

/// `hooksig_header` from hooksig.h.
#[repr(C)]
pub struct CHeader {
    pub name: *const u8,
    pub name_len: usize,
    pub value: *const u8,
    pub value_len: usize,
}

/// `hooksig_bytes` from hooksig.h.
#[repr(C)]
pub struct CBytes {
    pub ptr: *const u8,
    pub len: usize,
}

pub type SchemeFromName =
    unsafe extern "C" fn(*const u8, usize, *mut *mut c_void, *mut *mut c_void) -> i32;
pub type VerifierNew = unsafe extern "C" fn(
    *const c_void,
    *const CBytes,
    usize,
    *const c_void,
    *mut *mut c_void,
    *mut *mut c_void,
) -> i32;
pub type Verify = unsafe extern "C" fn(
    *const c_void,
    *const CHeader,
    usize,
    *const u8,
    usize,
    i64,
    *mut *mut c_void,
    *mut *mut c_void,
) -> i32;
pub type Free = unsafe extern "C" fn(*mut c_void);

unsafe extern "C" {
    fn dlopen(filename: *const c_char, flag: c_int) -> *mut c_void;
    fn dlsym(handle: *mut c_void, symbol: *const c_char) -> *mut c_void;
    fn dlerror() -> *const c_char;
}
const RTLD_NOW: c_int = 2;

/// A verifier made by [`CApi::new_verifier`] (the only way to get one, so the pointer is live
/// until [`CApi::free_verifier`]).
#[derive(Clone, Copy)]
pub struct CVerifier(*mut c_void);

/// The C API functions the benches call.
pub struct CApi {
    pub scheme_from_name: SchemeFromName,
    pub scheme_free: Free,
    pub verifier_new: VerifierNew,
    pub verify: Verify,
    pub verified_free: Free,
    pub verifier_free: Free,
}

impl CApi {
    pub fn load(path: &str) -> CApi {
        let cpath = CString::new(path).expect("path");
        // SAFETY: dlopen/dlsym/dlerror are called as glibc documents; every symbol is cast to
        // the signature hooksig.h declares for it.
        unsafe {
            let lib = dlopen(cpath.as_ptr(), RTLD_NOW);
            if lib.is_null() {
                panic!("dlopen {path}: {:?}", CStr::from_ptr(dlerror()));
            }
            let sym = |name: &str| {
                let c = CString::new(name).expect("name");
                let p = dlsym(lib, c.as_ptr());
                assert!(!p.is_null(), "{name} not found in {path}");
                p
            };
            CApi {
                scheme_from_name: std::mem::transmute::<*mut c_void, SchemeFromName>(sym(
                    "hooksig_scheme_from_name",
                )),
                scheme_free: std::mem::transmute::<*mut c_void, Free>(sym("hooksig_scheme_free")),
                verifier_new: std::mem::transmute::<*mut c_void, VerifierNew>(sym(
                    "hooksig_verifier_new",
                )),
                verify: std::mem::transmute::<*mut c_void, Verify>(sym("hooksig_verify")),
                verified_free: std::mem::transmute::<*mut c_void, Free>(sym(
                    "hooksig_verified_free",
                )),
                verifier_free: std::mem::transmute::<*mut c_void, Free>(sym(
                    "hooksig_verifier_free",
                )),
            }
        }
    }

    /// `hooksig_verifier_new(hooksig_scheme_from_name(scheme), [secret], NULL)` (tolerance 300).
    pub fn new_verifier(&self, scheme: &str, secret: &str) -> CVerifier {
        let secrets = [CBytes {
            ptr: secret.as_ptr(),
            len: secret.len(),
        }];
        let mut named = std::ptr::null_mut();
        let mut out = std::ptr::null_mut();
        // SAFETY: every pointer is valid for its length during the calls; the scheme is freed
        // once, after the verifier copied it.
        let status = unsafe {
            let status = (self.scheme_from_name)(
                scheme.as_ptr(),
                scheme.len(),
                &mut named,
                std::ptr::null_mut(),
            );
            let status = if status == 0 {
                (self.verifier_new)(
                    named,
                    secrets.as_ptr(),
                    1,
                    std::ptr::null(),
                    &mut out,
                    std::ptr::null_mut(),
                )
            } else {
                status
            };
            (self.scheme_free)(named);
            status
        };
        assert_eq!(status, 0, "hooksig_verifier_new({scheme})");
        CVerifier(out)
    }

    /// `hooksig_verifier_free`.
    ///
    /// # Safety
    /// `v` is not used again (nor freed twice).
    pub unsafe fn free_verifier(&self, v: CVerifier) {
        // SAFETY: `v` came from `new_verifier` and, per the contract, is freed once.
        unsafe { (self.verifier_free)(v.0) }
    }

    /// One `hooksig_verify` + `hooksig_verified_free`, as a C caller does it; the status.
    #[inline]
    pub fn verify_once(
        &self,
        verifier: CVerifier,
        headers: &[CHeader],
        body: &[u8],
        now: i64,
    ) -> i32 {
        let mut out = std::ptr::null_mut();
        // SAFETY: `headers` and `body` are live slices; `out` is written on success only.
        unsafe {
            let status = (self.verify)(
                verifier.0,
                headers.as_ptr(),
                headers.len(),
                body.as_ptr(),
                body.len(),
                now,
                &mut out,
                std::ptr::null_mut(),
            );
            if status == 0 {
                (self.verified_free)(out);
            }
            status
        }
    }
}

/// C views of owned header pairs.
pub fn c_headers(pairs: &[(Vec<u8>, Vec<u8>)]) -> Vec<CHeader> {
    pairs
        .iter()
        .map(|(n, v)| CHeader {
            name: n.as_ptr(),
            name_len: n.len(),
            value: v.as_ptr(),
            value_len: v.len(),
        })
        .collect()
}

/// `VmHWM` / `VmRSS` of this process, KiB.
pub fn proc_status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("{field} not in /proc/self/status"))
}

/// Resets the peak RSS (VmHWM) to the current RSS (Linux >= 4.0).
pub fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").expect("write /proc/self/clear_refs");
}
