#![no_main]
//! Fuzz target `complete`: the input as the answer (verification or Error message) to
//! Initiators awaiting verification, PSK and NULL mode (see `session_check.rs`, shared with
//! `tests/fuzz_corpus.rs`).

include!("../session_check.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    session_check::check_complete(data);
});
