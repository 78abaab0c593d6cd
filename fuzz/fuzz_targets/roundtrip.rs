#![no_main]
//! Fuzz target `roundtrip`: parse → into_owned → encode → parse again must give the same
//! message and bytes; likewise for KEMAC key chains with either first type (see
//! `check.rs`, shared with `tests/fuzz_corpus.rs`).

include!("../check.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_check::check_roundtrip(data));
