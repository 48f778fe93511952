//! Placeholder until this binding's issue lands.
