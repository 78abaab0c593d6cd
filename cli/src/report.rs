//! What `initiate`/`respond`/`complete` print: the message to send, the PK envelope key
//! `initiate` drew (RFC 3830 §3.2), the session state and, once keys are set, each crypto
//! session's SRTP key export (RFC 3830 §4.1.3, Appendix A.1), as text or as the stable
//! `--json` form.

use base64::Engine;
use mikey::exchange::Error;
use mikey::session::{CarriedKey, CryptoSession, KeyLifetime, Role, Session, State};
use mikey::tesla::TeslaBootstrap;
use mikey::wire::GeneralExtension;
use serde_json::{Value, json};
use zeroize::Zeroizing;

/// The result of one exchange command.
pub struct Outcome {
    command: &'static str,
    role: Role,
    state: State,
    csb_id: Option<u32>,
    /// The message to send to the peer, with what it is.
    message: Option<(&'static str, Vec<u8>)>,
    crypto_sessions: Vec<CryptoSession>,
    error: Option<Error>,
    /// The PK envelope key the I_MESSAGE was built with (RFC 3830 §3.2): secret, printed
    /// for `complete --envelope-key`.
    envelope_key: Option<Zeroizing<Vec<u8>>>,
    /// The DH secret exponent the I_MESSAGE was built with (RFC 3830 §3.3): secret,
    /// printed for `complete --dh-secret`.
    dh_secret: Option<Zeroizing<Vec<u8>>>,
    /// The envelope key a PK exchange with the PKE's C field "Cache" left to keep (RFC 3830
    /// §3.2): secret, the pre-shared key of later exchanges with this peer.
    cached_key: Option<Zeroizing<Vec<u8>>>,
    /// Responder: the General Extensions of the accepted I_MESSAGE (RFC 3830 §6.15).
    extensions: Vec<GeneralExtension<'static>>,
    /// Responder: its TESLA bootstrap (RFC 4442).
    tesla: Option<TeslaBootstrap>,
    /// `respond --carried-keys`: the KEMAC's keys as they came (secret).
    carried_keys: Option<Vec<CarriedKey>>,
}

impl Outcome {
    /// A message was built (`initiate`).
    pub fn sent(
        command: &'static str,
        session: &Session,
        kind: &'static str,
        message: Vec<u8>,
    ) -> Outcome {
        Outcome {
            message: Some((kind, message)),
            ..Outcome::processed(command, session, None)
        }
    }

    /// A message was processed; `reply` is the verification message to send, if any.
    pub fn processed(command: &'static str, session: &Session, reply: Option<Vec<u8>>) -> Outcome {
        Outcome {
            command,
            role: session.role(),
            state: session.state(),
            csb_id: session.csb_id(),
            message: reply.map(|r| ("verification message", r)),
            crypto_sessions: session.crypto_sessions().to_vec(),
            error: None,
            envelope_key: None,
            dh_secret: None,
            cached_key: session
                .cached_envelope_key()
                .map(|k| Zeroizing::new(k.to_vec())),
            extensions: session.peer_extensions().to_vec(),
            tesla: session.peer_tesla().cloned(),
            carried_keys: None,
        }
    }

    /// The outcome with the keys the KEMAC carried, when asked for.
    pub fn with_carried_keys(self, carried_keys: Option<Vec<CarriedKey>>) -> Outcome {
        Outcome {
            carried_keys,
            ..self
        }
    }

    /// The outcome with the PK envelope key the message was built with, if any.
    pub fn with_envelope_key(self, envelope_key: Option<Zeroizing<Vec<u8>>>) -> Outcome {
        Outcome {
            envelope_key,
            ..self
        }
    }

    /// The outcome with the DH secret the message was built with, if any.
    pub fn with_dh_secret(self, dh_secret: Option<Zeroizing<Vec<u8>>>) -> Outcome {
        Outcome { dh_secret, ..self }
    }

    /// The step failed with `error`; `reply` is the Error message to send, if any. No keys
    /// are reported.
    pub fn failed(
        command: &'static str,
        session: &Session,
        error: &Error,
        reply: Option<Vec<u8>>,
    ) -> Outcome {
        Outcome {
            command,
            role: session.role(),
            state: session.state(),
            csb_id: session.csb_id(),
            message: reply.map(|r| ("Error message", r)),
            crypto_sessions: Vec::new(),
            error: Some(error.clone()),
            envelope_key: None,
            dh_secret: None,
            cached_key: None,
            extensions: Vec::new(),
            tesla: None,
            carried_keys: None,
        }
    }
}

/// Prints `o` on standard output (and a failure's reason on standard error).
pub fn print(o: &Outcome, json: bool) {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&to_json(o)).unwrap_or_default()
        );
    } else {
        print!("{}", to_text(o));
    }
    if let Some(e) = &o.error {
        eprintln!("mikey: {} failed: {}", o.command, error_text(e));
    }
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Initiator => "initiator",
        Role::Responder => "responder",
    }
}

fn state_name(s: State) -> &'static str {
    match s {
        State::Idle => "idle",
        State::AwaitingVerification => "awaiting-verification",
        State::AwaitingKeys => "awaiting-keys",
        State::Forked => "forked",
        State::Established => "established",
    }
}

/// The error with the MIKEY Error no. it maps to, or the peer's Error nos.
fn error_text(e: &Error) -> String {
    match (e, e.error_no()) {
        (Error::PeerError { .. }, _) => e.to_string(),
        (_, Some(no)) => format!("{e} (MIKEY Error no. {}: {no})", no.value()),
        (_, None) => e.to_string(),
    }
}

fn lifetime_json(l: &KeyLifetime) -> Value {
    match l {
        KeyLifetime::UntilReplaced => json!("until-replaced"),
        KeyLifetime::Interval { from, to } => json!({ "from": from, "to": to }),
    }
}

fn crypto_session_json(cs: &CryptoSession) -> Value {
    json!({
        "cs_id": cs.cs_id,
        "ssrc": cs.ssrc,
        "roc": cs.roc,
        "policy_no": cs.policy_no,
        "profile": cs.profile.name(),
        "profile_id": cs.profile as u32,
        "keys": cs.keys.iter().map(|k| json!({
            "master_key": hex::encode(k.master_key()),
            "master_salt": hex::encode(k.master_salt()),
            "key_salt": hex::encode(k.key_salt()),
            "mki": hex::encode(&k.mki),
            "lifetime": lifetime_json(&k.lifetime),
        })).collect::<Vec<_>>(),
    })
}

fn error_json(e: &Error) -> Value {
    let peer = match e {
        Error::PeerError {
            errors,
            authenticated,
        } => json!({
            "errors": errors.iter().map(|n| json!({
                "error_no": n.value(),
                "name": n.to_string(),
            })).collect::<Vec<_>>(),
            "authenticated": authenticated,
        }),
        _ => Value::Null,
    };
    json!({
        "message": e.to_string(),
        "error_no": e.error_no().map(|n| n.value()),
        "error_name": e.error_no().map(|n| n.to_string()),
        "peer": peer,
    })
}

fn to_json(o: &Outcome) -> Value {
    let extensions = crate::extensions::received_json(&o.extensions, o.tesla.as_ref());
    json!({
        "command": o.command,
        "status": if o.error.is_none() { "ok" } else { "error" },
        "role": role_name(o.role),
        "state": state_name(o.state),
        "csb_id": o.csb_id,
        "message": o.message.as_ref().map(|(kind, m)| json!({
            "kind": kind,
            "length": m.len(),
            "hex": hex::encode(m),
            "base64": b64(m),
        })),
        "crypto_sessions": o.crypto_sessions.iter().map(crypto_session_json).collect::<Vec<_>>(),
        "envelope_key": o.envelope_key.as_ref().map(|k| hex::encode(k.as_slice())),
        "dh_secret": o.dh_secret.as_ref().map(|k| hex::encode(k.as_slice())),
        "cached_envelope_key": o.cached_key.as_ref().map(|k| hex::encode(k.as_slice())),
        "error": o.error.as_ref().map(error_json),
        "extensions": extensions.0,
        "tesla": extensions.1,
        "carried_keys": o.carried_keys.as_ref().map(|keys| keys.iter().map(|k| json!({
            "type": k.kind.to_string(),
            "key": hex::encode(k.key.as_slice()),
            "salt": k.salt.as_ref().map(|s| hex::encode(s.as_slice())),
        })).collect::<Vec<_>>()),
    })
}

fn to_text(o: &Outcome) -> String {
    let mut out = String::new();
    if let Some((kind, m)) = &o.message {
        out += &format!("{kind} to send ({} bytes):\n{}\n", m.len(), b64(m));
    }
    if let Some(key) = &o.envelope_key {
        out += &format!(
            "envelope key (secret; for complete --envelope-key): {}\n",
            hex::encode(key.as_slice())
        );
    }
    if let Some(secret) = &o.dh_secret {
        out += &format!(
            "DH secret (secret; for complete --dh-secret): {}\n",
            hex::encode(secret.as_slice())
        );
    }
    if o.error.is_some() {
        return out;
    }
    if let Some(key) = &o.cached_key {
        out += &format!(
            "cached envelope key (secret; the --psk of later exchanges with this peer): {}\n",
            hex::encode(key.as_slice())
        );
    }
    if let Some(id) = o.csb_id {
        out += &format!("CSB ID: {id:#010x}\n");
    }
    out += &format!("{}: {}\n", role_name(o.role), state_name(o.state));
    out += &crate::extensions::received_text(&o.extensions, o.tesla.as_ref());
    for k in o.carried_keys.iter().flatten() {
        out += &format!(
            "carried key ({}; secret): {}{}\n",
            k.kind,
            hex::encode(k.key.as_slice()),
            k.salt
                .as_ref()
                .map(|s| format!(", salt {}", hex::encode(s.as_slice())))
                .unwrap_or_default()
        );
    }
    for cs in &o.crypto_sessions {
        out += &format!(
            "crypto session {}: SSRC {:#010x}, ROC {}, policy {}, {}\n",
            cs.cs_id,
            cs.ssrc,
            cs.roc,
            cs.policy_no,
            cs.profile.name()
        );
        for (i, k) in cs.keys.iter().enumerate() {
            let mki = if k.mki.is_empty() {
                "none".to_string()
            } else {
                hex::encode(&k.mki)
            };
            let lifetime = match &k.lifetime {
                KeyLifetime::UntilReplaced => "until replaced".to_string(),
                KeyLifetime::Interval { from, to } => format!("SRTP index {from} to {to}"),
            };
            out += &format!(
                "  key {}: master key {}, master salt {}, MKI {mki}, valid {lifetime}\n",
                i + 1,
                hex::encode(k.master_key()),
                hex::encode(k.master_salt()),
            );
        }
    }
    out
}
