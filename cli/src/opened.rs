//! What `mikey decode --psk` or `--key` found inside an I_MESSAGE, as text and in
//! `--json` (the `kemac` member): with `--psk` the MAC verdict and the keys of a PSK or
//! NULL-mode KEMAC (RFC 3830 §3.1); with `--key` those of a PK I_MESSAGE (§3.2), whose
//! PKE the key decrypts, with IDi and whether SIGNi verifies with the certificate the
//! message encloses (the chain is not validated).

use mikey::exchange::{Error, OpenedPk};
use mikey::session::CarriedKey;
use mikey::wire::{EncrAlg, KeyValidity, MacAlg};
use serde_json::{Value, json};

/// What opening an I_MESSAGE gave.
pub enum Opened {
    /// `--psk`: the keys of a PSK or NULL-mode KEMAC.
    Psk(Result<Vec<CarriedKey>, Error>),
    /// `--key`: IDi, the keys and the SIGNi verdict of a PK I_MESSAGE.
    Pk(Result<OpenedPk, Error>),
}

/// The encryption and MAC algorithms of the message's KEMAC, when it has one.
pub type KemacAlgs = Option<(EncrAlg, MacAlg)>;

impl Opened {
    /// Why the message did not open, if it did not.
    pub fn error(&self) -> Option<&Error> {
        match self {
            Opened::Psk(Err(e)) | Opened::Pk(Err(e)) => Some(e),
            Opened::Psk(Ok(_)) | Opened::Pk(Ok(_)) => None,
        }
    }

    /// Whether SIGNi was checked and does not verify (`--key`).
    pub fn signature_failed(&self) -> bool {
        matches!(self, Opened::Pk(Ok(o)) if o.signature_verified == Some(false))
    }

    /// The text form, after the message's tree.
    pub fn text(&self, kemac: KemacAlgs) -> String {
        let title = match self {
            Opened::Psk(_) => "KEMAC with --psk",
            Opened::Pk(_) => "PKE and KEMAC with --key",
        };
        let (keys, pk) = match self {
            Opened::Psk(Err(e)) | Opened::Pk(Err(e)) => {
                return format!("{title}: does not open: {e}\n");
            }
            Opened::Psk(Ok(keys)) => (keys, None),
            Opened::Pk(Ok(o)) => (&o.keys, Some(o)),
        };
        let mut out = format!("{title}: {}, {} key(s)\n", verdict(self, kemac), keys.len());
        if let Some(o) = pk {
            let (id_type, data) = &o.initiator;
            out += &format!("  IDi: {id_type}, {}\n", id_text(data));
        }
        for (i, k) in keys.iter().enumerate() {
            out += &format!(
                "  Key data {}: {}, key {}",
                i + 1,
                k.kind,
                hex::encode(&k.key)
            );
            if let Some(salt) = &k.salt {
                out += &format!(", salt {}", hex::encode(salt));
            }
            out += &format!(", key validity {}\n", kv_text(&k.kv));
        }
        if let Some(o) = pk {
            out += match o.signature_verified {
                Some(true) => {
                    "  SIGNi: verified with the certificate the message encloses (its chain \
                     is not validated)\n"
                }
                Some(false) => {
                    "  SIGNi: does NOT verify with the certificate the message encloses\n"
                }
                None => "  SIGNi: not checked (the message encloses no certificate)\n",
            };
        }
        out
    }

    /// The `--json` form: `{"mac": "verified" (or "null"), "keys": [...]}`, with `--key`
    /// also `idi`, `signature` ("verified", "failed" or "no-certificate") and
    /// `chain_validated` (false); or `{"mac": "failed", "error": ...}`.
    pub fn json(&self, kemac: KemacAlgs) -> Value {
        let (keys, pk) = match self {
            Opened::Psk(Err(e)) | Opened::Pk(Err(e)) => {
                return json!({ "mac": "failed", "error": e.to_string() });
            }
            Opened::Psk(Ok(keys)) => (keys, None),
            Opened::Pk(Ok(o)) => (&o.keys, Some(o)),
        };
        let null_mac = matches!(kemac, Some((_, MacAlg::Null)));
        let mut v = json!({
            "mac": if null_mac { "null" } else { "verified" },
            "keys": keys.iter().map(key_json).collect::<Vec<_>>(),
        });
        if let Some(o) = pk {
            let (id_type, data) = &o.initiator;
            v["idi"] = json!({
                "type": id_type.to_string(),
                "type_value": id_type.value(),
                "data": std::str::from_utf8(data).ok(),
                "hex": hex::encode(data),
            });
            v["signature"] = json!(match o.signature_verified {
                Some(true) => "verified",
                Some(false) => "failed",
                None => "no-certificate",
            });
            v["chain_validated"] = json!(false);
        }
        v
    }
}

/// The MAC verdict of a KEMAC that opened.
fn verdict(opened: &Opened, kemac: KemacAlgs) -> &'static str {
    match (opened, kemac) {
        (Opened::Psk(_), Some((_, MacAlg::Null))) => {
            "NULL MAC (nothing verified: NULL mode is unauthenticated)"
        }
        // RFC 3830 §4.2.3: with AES-KW the key wrap's integrity check protects the keys.
        (Opened::Pk(_), Some((EncrAlg::AesKw128, MacAlg::Null))) => {
            "NULL MAC, AES key wrap integrity verified"
        }
        (Opened::Pk(_), Some((_, MacAlg::Null))) => "NULL MAC (the keys are not verified)",
        _ => "MAC verified",
    }
}

/// ID data as text when it is printable ASCII, in hex otherwise.
fn id_text(data: &[u8]) -> String {
    match std::str::from_utf8(data) {
        Ok(s) if !s.is_empty() && s.chars().all(|c| c.is_ascii_graphic() || c == ' ') => {
            format!("{s:?}")
        }
        _ => format!("hex {}", hex::encode(data)),
    }
}

fn kv_text(kv: &KeyValidity<'_>) -> String {
    match kv {
        KeyValidity::Null => "none".to_string(),
        KeyValidity::Spi(spi) => format!("SPI/MKI {}", hex::encode(spi)),
        KeyValidity::Interval { from, to } => {
            format!("interval {} to {}", hex::encode(from), hex::encode(to))
        }
    }
}

fn key_json(k: &CarriedKey) -> Value {
    json!({
        "type": k.kind.to_string(),
        "type_value": k.kind.value(),
        "key": hex::encode(&k.key),
        "salt": k.salt.as_ref().map(hex::encode),
        "key_validity": kv_text(&k.kv),
    })
}
