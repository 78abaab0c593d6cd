//! MIKEY over a byte stream (TCP port 2269, IANA "mikey"). No RFC defines a framing for it,
//! and none is needed: a message ends with the payload whose Next payload is Last (RFC
//! 3830 §6), so its own payload chain delimits it, as Wireshark reads TCP port 2269. This
//! finds where the first message of a stream ends without adding a length prefix anyone
//! else would have to know. Over UDP 2269 a datagram is one message.

use super::codepoints::PayloadType;
use super::error::{ErrorKind, ParseError};
use super::limits::Limits;
use super::message::Message;

/// The length of the first MIKEY message at the start of `stream` (the bytes received so
/// far on a TCP connection): `Some(n)` when its last payload ends at byte `n` (what follows
/// belongs to the next message), `None` when the bytes end inside it (read more and call
/// again). A stream that cannot be a message, or whose first message would be longer than
/// `limits.max_message_size` ([`ErrorKind::TooLarge`]), is an error: close the connection,
/// since no later byte can resynchronise it.
pub fn message_len(stream: &[u8], limits: &Limits) -> Result<Option<usize>, ParseError> {
    let cut = stream.len() > limits.max_message_size;
    let window = &stream[..stream.len().min(limits.max_message_size)];
    let more = |e: ParseError| match e.kind {
        ErrorKind::Truncated { .. } if !cut => Ok(None),
        ErrorKind::Truncated { .. } => Err(ParseError::new(
            0,
            ErrorKind::TooLarge {
                len: stream.len(),
                limit: limits.max_message_size,
            },
        )),
        _ => Err(e),
    };
    let walk = match Message::walk(window, limits) {
        Ok((_, _, walk)) => walk,
        Err(e) => return more(e),
    };
    for item in walk {
        match item {
            Ok(item) if item.next == PayloadType::Last => return Ok(Some(item.range.end)),
            Ok(_) => {}
            Err(e) => return more(e),
        }
    }
    // A walk that ends without a Last payload stopped at the end of the bytes.
    more(ParseError::new(
        window.len(),
        ErrorKind::Truncated {
            field: "Next payload",
            needed: 1,
            available: 0,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{DataType, MessageBuilder, Payload, Rand, Timestamp, TsType};
    use std::borrow::Cow;

    fn message(csb_id: u32) -> Vec<u8> {
        MessageBuilder::new(DataType::PreShared, csb_id)
            .srtp_crypto_session(0, 0x1234, 0)
            .payload(Payload::Timestamp(Timestamp {
                ts_type: TsType::NtpUtc,
                value: 7,
            }))
            .payload(Payload::Rand(Rand {
                rand: Cow::Owned(vec![9; 16]),
            }))
            .build()
            .unwrap()
            .encode()
            .unwrap()
    }

    #[test]
    fn a_stream_splits_at_each_message_end() {
        let (a, b) = (message(1), message(2));
        let mut stream = a.clone();
        stream.extend_from_slice(&b);
        for n in 0..a.len() {
            assert_eq!(message_len(&stream[..n], &Limits::DEFAULT), Ok(None), "{n}");
        }
        for n in a.len()..=stream.len() {
            assert_eq!(
                message_len(&stream[..n], &Limits::DEFAULT),
                Ok(Some(a.len()))
            );
        }
        assert_eq!(
            message_len(&stream[a.len()..], &Limits::DEFAULT),
            Ok(Some(b.len()))
        );
    }

    #[test]
    fn bytes_that_cannot_be_a_message_or_are_too_long_are_errors() {
        let mut bad = message(1);
        bad[0] = 2; // version 2
        assert!(message_len(&bad, &Limits::DEFAULT).is_err());
        let limits = Limits {
            max_message_size: 20,
            ..Limits::DEFAULT
        };
        let long = message(1);
        assert!(long.len() > 20);
        assert!(matches!(
            message_len(&long, &limits).unwrap_err().kind,
            ErrorKind::TooLarge { .. }
        ));
        assert_eq!(message_len(&long[..10], &limits), Ok(None));
    }
}
