#![no_main]
//! Fuzz target: parse arbitrary bytes; what parses must re-encode to the same bytes.

include!("../check.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| check_input(data));
