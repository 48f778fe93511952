//! The JSON re-serialization behind the Chaindoc fallback: never panics, and is idempotent
//! (Node's output parsed and printed again is itself), as JSON.stringify(JSON.parse(x)) is.
//! The differential check against real Node runs over the corpus in `fuzz/differential.py`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    if let Some(once) = hooksig::js_restringify(body) {
        let twice = hooksig::js_restringify(&once).expect("our own output parses");
        assert_eq!(once, twice);
    }
});
