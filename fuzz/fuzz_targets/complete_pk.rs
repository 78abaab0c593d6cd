#![no_main]
//! Fuzz target `complete_pk`: the input as the answer to MIKEY-PK Initiators awaiting the
//! verification message and MIKEY-RSA-R Initiators awaiting the keys (see
//! `session_check.rs`, shared with `tests/fuzz_corpus.rs`).

include!("../session_check.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    session_check::check_complete_pk(data);
});
