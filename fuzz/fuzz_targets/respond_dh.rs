#![no_main]
//! Fuzz target `respond_dh`: the input as an I_MESSAGE to DH-SIGN and DH-HMAC Responders
//! (OAKLEY 1), fresh and after a completed exchange (see `session_check.rs`, shared with
//! `tests/fuzz_corpus.rs`).

include!("../session_check.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    session_check::check_respond_dh(data);
});
