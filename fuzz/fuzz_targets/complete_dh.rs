#![no_main]
//! Fuzz target `complete_dh`: the input as the answer to DH-SIGN and DH-HMAC Initiators
//! (OAKLEY 1) awaiting the R_MESSAGE (see `session_check.rs`, shared with
//! `tests/fuzz_corpus.rs`).

include!("../session_check.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    session_check::check_complete_dh(data);
});
