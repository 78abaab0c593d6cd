#![no_main]
//! Fuzz target `respond_pk`: the input as an I_MESSAGE to MIKEY-PK and MIKEY-RSA-R
//! Responders, fresh and after a completed exchange, and to an RSA-R group key server (see
//! `session_check.rs`, shared with `tests/fuzz_corpus.rs`).

include!("../session_check.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    session_check::check_respond_pk(data);
});
