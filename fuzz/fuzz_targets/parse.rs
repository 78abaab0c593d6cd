#![no_main]
//! Fuzz target `parse`: `Message::parse` on arbitrary bytes; whatever parses must re-encode
//! to exactly the input (see `check.rs`, shared with `tests/fuzz_corpus.rs`).

include!("../check.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_check::check_parse(data));
