//! RFC 4567 §4.1.4 bidding-down protection end to end: the Initiator puts the KMPID list of
//! its SDP offer in a General Extension of type SDP IDs (covered by the MAC), and the
//! Responder compares it with the list of the SDP it received. An offer whose key-mgmt
//! lines were peeled off on the way is rejected; the unaltered one passes.

use mikey::exchange::Error;
use mikey::sdp::{media_key_mgmt, parse_sdp_attribute, sdp_attribute};
use mikey::session::{Config, ConfigBuilder, Event, Mode, Session, State, StreamSpec};
use mikey::wire::{Message, Payload};
use std::sync::Arc;

fn config() -> Arc<Config> {
    Arc::new(
        ConfigBuilder::new(Mode::Psk)
            .psk(b"bidding-down test key")
            .build()
            .unwrap(),
    )
}

const STREAM: StreamSpec = StreamSpec {
    ssrc: 0x4567,
    roc: 0,
    policy_no: 0,
};

/// The offer as RFC 4567 §4.1.4's example writes it: MIKEY and two other protocols.
fn offer(mikey: &[u8]) -> String {
    format!(
        "v=0\r\no=alice 2891092738 2891092738 IN IP4 lost.example.com\r\ns=Secret discussion\r\n\
         t=0 0\r\nc=IN IP4 lost.example.com\r\n{}\r\n\
         a=key-mgmt:keyp1 727gkdOshsuiSDF9sdhsdKnD/dhsoSJokdo7eWD\r\n\
         a=key-mgmt:keyp2 DFsnuiSDSh9sdhKksd/dhsoddo7eOok727gWsJD\r\n\
         m=audio 39000 RTP/SAVP 98\r\na=rtpmap:98 AMR/8000\r\n",
        sdp_attribute(mikey)
    )
}

/// The Responder's side: the MIKEY message and KMPID list of the SDP it received.
fn received(sdp: &str) -> (Vec<u8>, String) {
    let found = media_key_mgmt(sdp).unwrap();
    let attribute = found.media(0).unwrap().attribute.unwrap();
    let message = parse_sdp_attribute(&attribute.text).unwrap();
    (message, found.protocol_list(0).unwrap())
}

#[test]
fn an_unaltered_offer_passes_and_a_peeled_one_is_rejected() {
    let c = config();
    // The Initiator computes the list from its own offer (the MIKEY line's data is not
    // needed for that), then makes the I_MESSAGE for it.
    let kmpids = media_key_mgmt(&offer(b"x"))
        .unwrap()
        .protocol_list(0)
        .unwrap();
    assert_eq!(kmpids, "mikey;keyp1;keyp2");
    let mut i = Session::initiator(c.clone());
    let init = i.initiate_offer(&[STREAM], &kmpids).unwrap();
    let ext = Message::parse(&init)
        .unwrap()
        .payloads
        .iter()
        .find_map(|p| match p {
            Payload::GeneralExtension(g) => g.as_sdp_ids().map(str::to_string),
            _ => None,
        });
    assert_eq!(ext.as_deref(), Some("mikey;keyp1;keyp2"));
    let sdp = offer(&init);

    // A man in the middle removes the keyp1 line: the Responder sees "mikey;keyp2".
    let peeled = sdp.replace(
        "a=key-mgmt:keyp1 727gkdOshsuiSDF9sdhsdKnD/dhsoSJokdo7eWD\r\n",
        "",
    );
    let (message, list) = received(&peeled);
    assert_eq!(list, "mikey;keyp2");
    let mut r = Session::responder(c.clone());
    let f = r.process_offer(&message, &list).unwrap_err();
    assert_eq!(f.error, Error::BiddingDown);
    assert!(f.reply.is_none());
    assert_eq!(r.state(), State::Idle);
    assert!(
        c.replay_cache().is_empty(),
        "a rejected offer is not remembered"
    );

    // The unaltered offer passes, to the same session.
    let (message, list) = received(&sdp);
    let done = r.process_offer(&message, &list).unwrap();
    assert_eq!(done.event, Event::KeysEstablished { update: false });
    assert_eq!(r.crypto_sessions(), i.crypto_sessions());
}

#[test]
fn the_list_is_covered_by_the_mac_and_needed_for_several_protocols() {
    let c = config();
    let mut i = Session::initiator(c.clone());
    let init = i.initiate_offer(&[STREAM], "mikey;keyp1").unwrap();
    // Rewriting the list inside the message breaks its MAC.
    let at = init.windows(11).position(|w| w == b"mikey;keyp1").unwrap();
    let mut forged = init.clone();
    forged[at + 6..at + 11].copy_from_slice(b"keyp9");
    let f = Session::responder(c.clone())
        .process_offer(&forged, "mikey;keyp9")
        .unwrap_err();
    assert_eq!(f.error, Error::AuthFailed);

    // A message without the list: fine for an offer of MIKEY alone, rejected for several.
    let plain = Session::initiator(c.clone()).initiate(&[STREAM]).unwrap();
    assert_eq!(
        Session::responder(c.clone())
            .process_offer(&plain, "mikey;keyp1")
            .unwrap_err()
            .error,
        Error::BiddingDown
    );
    assert!(
        Session::responder(c.clone())
            .process_offer(&plain, "mikey")
            .is_ok()
    );
    // A malformed list is refused when the message is made.
    assert!(matches!(
        Session::initiator(c).initiate_offer(&[STREAM], "mikey;;x y"),
        Err(Error::Config(_))
    ));
}

#[test]
fn the_list_is_the_levels_that_apply() {
    let sdp = "v=0\r\na=key-mgmt:mikey AQE=\r\na=key-mgmt:keyp1 abc\r\n\
               m=audio 1 RTP/SAVP 0\r\n\
               m=video 2 RTP/SAVP 31\r\na=key-mgmt:keyp2 x\r\na=key-mgmt:mikey AQE=\r\n";
    let found = media_key_mgmt(sdp).unwrap();
    assert_eq!(found.protocol_list(0).as_deref(), Some("mikey;keyp1"));
    assert_eq!(found.protocol_list(1).as_deref(), Some("keyp2;mikey"));
    assert_eq!(found.protocol_list(2), None);
    assert_eq!(media_key_mgmt("v=0\r\n").unwrap().protocol_list(0), None);
}
