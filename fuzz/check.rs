// Shared by the fuzz targets and `tests/fuzz_corpus.rs` (included with `include!`): the
// properties every input must satisfy.

/// Parsing never panics; whatever parses re-encodes to exactly the input, with a layout
/// that tiles the input; KEMAC data parsed as a key chain never panics either.
pub fn check_input(data: &[u8]) {
    match mikey::wire::Message::parse_with_layout(data) {
        Ok((message, layout)) => {
            assert_eq!(message.encode().expect("a parsed message encodes"), data);
            let mut end = layout.header.end;
            for span in &layout.payloads {
                assert_eq!(span.start, end);
                end = span.end;
            }
            assert_eq!(end, data.len());
            let owned = message.clone().into_owned();
            assert_eq!(owned, message);
        }
        Err(e) => assert!(e.offset <= data.len()),
    }
    for first in [mikey::wire::PayloadType::KeyData, mikey::wire::PayloadType::Id] {
        if let Ok(items) = mikey::wire::parse_key_chain(data, first, 0) {
            if !items.is_empty() {
                assert_eq!(mikey::wire::encode_key_chain(&items).unwrap(), data);
            }
        }
    }
}
