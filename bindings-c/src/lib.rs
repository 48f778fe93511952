//! The C API of hooksig: `libhooksig.so` / `libhooksig.a` and the cbindgen-generated
//! `include/hooksig.h`.
//!
//! Conventions: written for C users in `bindings-c/README.md` and in the header's introduction
//! (`cbindgen.toml`). Every exported body runs inside [`panic::ffi_boundary`], through one of
//! the shapes in `panic.rs`, so a Rust panic never unwinds into C.
//!
//! # Safety
//! The contract of every exported `unsafe extern "C" fn`, stated once here (and in the header's
//! introduction) rather than on each: every handle argument is NULL or a live object of its type
//! (a mutable one not used by another thread during the call); every other pointer is NULL or
//! valid for its stated length (for one write, for `*_out` pointers and `len_out`) for the
//! duration of the call; a `_free` function gets NULL or an object not yet freed.
//!
//! Layout: `status.rs` is the one place codes are mapped, `panic.rs` the boundary, `input.rs`
//! the checks on caller pointers, `text.rs` the strings handed back; every other module is one
//! C noun: `scheme`, `custom_scheme` (its builder), `verifier` (with its options), `verified`,
//! `sign` (with its options and headers), `replay_guard`, `shared_store`, `receiver`,
//! `error`, `meta` (version).

// The exported types keep their C names (`hooksig_verifier`, ...): they are the API.
#![allow(non_camel_case_types)]

/// What the noun modules share: the boundary shapes, the input checks, the status and error.
mod prelude {
    pub(crate) use crate::error::{Failure, hooksig_error};
    pub(crate) use crate::input::{bytes, handle, invalid, opt_text, slice, text};
    pub(crate) use crate::panic::{
        ffi_boundary, ffi_free, ffi_get, ffi_new, ffi_out, ffi_set, ffi_status, ffi_text,
    };
    pub(crate) use crate::status::hooksig_status;
    pub(crate) use crate::text::CText;
    pub(crate) use std::ffi::c_char;
}

mod custom_scheme;
mod error;
mod input;
mod meta;
mod panic;
mod receiver;
mod replay_guard;
mod scheme;
mod shared_store;
mod sign;
mod sql_store;
mod status;
mod text;
mod verified;
mod verifier;

pub use custom_scheme::hooksig_custom_scheme_builder;
pub use error::hooksig_error;
pub use receiver::{
    HOOKSIG_DEFAULT_BODY_LIMIT, HOOKSIG_HANDLER_RAISED, HOOKSIG_NO_CONTENT_LENGTH, hooksig_answer,
    hooksig_guard_answer, hooksig_key_action, hooksig_receiver,
};
pub use replay_guard::{HOOKSIG_DEFAULT_REPLAY_CAPACITY, hooksig_replay_guard};
pub use scheme::hooksig_scheme;
pub use shared_store::{
    HOOKSIG_PROCESSING_TTL, HOOKSIG_STORE_LOOKUP_NEEDED, HOOKSIG_STORE_TIMEOUT_MS,
    hooksig_shared_store, hooksig_store_command, hooksig_store_step,
};
pub use sign::{hooksig_sign_options, hooksig_signed_headers};
pub use sql_store::{
    hooksig_sql_dialect, hooksig_sql_reply, hooksig_sql_statement, hooksig_sql_step,
    hooksig_sql_store,
};
pub use status::hooksig_status;
pub use verified::hooksig_verified;
pub use verifier::{
    HOOKSIG_DEFAULT_TOLERANCE, HOOKSIG_JSON_FALLBACK_DEFAULT, HOOKSIG_NOW,
    HOOKSIG_TOLERANCE_SCHEME_DEFAULT, hooksig_bytes, hooksig_header, hooksig_request,
    hooksig_verifier, hooksig_verifier_options,
};
