// placeholder until the JSON emulation lands
pub(crate) fn restringify(_body: &[u8]) -> Option<Vec<u8>> {
    None
}
