//! The C API of hooksig: `libhooksig.so` / `libhooksig.a` and the cbindgen-generated
//! `include/hooksig.h`.
//!
//! Conventions (written for C users in `bindings-c/README.md` and in the header):
//! opaque handles created by `hooksig_<noun>_new` (or an operation) and released by
//! `hooksig_<noun>_free` (NULL is a no-op); inputs first, then `*_out` pointers; every buffer is
//! a pointer followed by its `size_t` length; outputs are written only on success; every
//! function that can fail returns a [`hooksig_status`] and takes an optional
//! `hooksig_error **err_out` last. Every exported body runs inside [`panic::ffi_boundary`], so a
//! Rust panic never unwinds into C.
//!
//! Layout: `status.rs` is the one place codes are mapped, `panic.rs` the boundary, `input.rs`
//! the checks on caller pointers, the other modules one C noun each.

// The exported types keep their C names (`hooksig_verifier`, ...): they are the API.
#![allow(non_camel_case_types)]

mod error;
mod input;
mod meta;
mod panic;
mod receiver;
mod replay;
mod shared_store;
mod sign;
mod status;
mod text;
mod verifier;

pub use error::hooksig_error;
pub use receiver::{
    HOOKSIG_DEFAULT_BODY_LIMIT, HOOKSIG_HANDLER_RAISED, HOOKSIG_NO_CONTENT_LENGTH, hooksig_answer,
    hooksig_guard_answer, hooksig_key_action, hooksig_receiver,
};
pub use replay::{HOOKSIG_DEFAULT_REPLAY_CAPACITY, hooksig_replay_guard};
pub use shared_store::{
    HOOKSIG_PROCESSING_TTL, HOOKSIG_STORE_LOOKUP_NEEDED, HOOKSIG_STORE_TIMEOUT_MS,
    hooksig_shared_store, hooksig_store_command, hooksig_store_step,
};
pub use sign::hooksig_signed_headers;
pub use status::hooksig_status;
pub use verifier::{
    HOOKSIG_DEFAULT_TOLERANCE, HOOKSIG_JSON_FALLBACK_DEFAULT, HOOKSIG_NOW, hooksig_bytes,
    hooksig_custom_scheme, hooksig_header, hooksig_verified, hooksig_verifier,
};
