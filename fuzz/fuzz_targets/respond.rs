#![no_main]
//! Fuzz target `respond`: the input as an I_MESSAGE to a PSK-mode and a NULL-mode
//! Responder, each fresh and after a completed exchange (see `session_check.rs`, shared
//! with `tests/fuzz_corpus.rs`).

include!("../session_check.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    session_check::check_respond(data);
});
