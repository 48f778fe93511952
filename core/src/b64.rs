//! The base64 engine that secrets (`whsec_`, `whpk_`, `whsk_`, `base64`) and signatures are
//! decoded with.

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// Standard-alphabet base64 that accepts input with or without padding but nothing else
/// (no whitespace, no URL-safe characters, no non-canonical trailing bits).
pub(crate) const LENIENT_PADDING: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);
