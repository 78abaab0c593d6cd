//! The exchange commands' General Extensions (RFC 3830 §6.15), TESLA bootstrap (RFC 4442)
//! and broadcast settings (RFC 4563 Empty map, COUNTER timestamps kept in a file): what
//! `initiate --ext/--key-id/--oma-bcast/--tesla` send, what `respond` reports of them, and
//! the `--counter-file` store.

use mikey::session::counter_store::CounterPersist;
use mikey::session::{Role, Session};
use mikey::tesla::TeslaBootstrap;
use mikey::wire::{GenExtType, GeneralExtension, KeyIdEntry};
use mikey_cli::args::Initiate;
use mikey_cli::ext_args::{ExtArg, KeyIdArg};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The General Extensions `initiate` sends: every `--ext` in order, then one Key ID
/// extension holding every `--key-id`, then one OMA BCAST extension per `--oma-bcast`.
pub fn outgoing(a: &Initiate) -> Result<Vec<GeneralExtension<'static>>, String> {
    let mut exts: Vec<GeneralExtension<'static>> = a
        .ext
        .iter()
        .map(|e: &ExtArg| GeneralExtension::new(e.ext_type, &e.data))
        .collect();
    if !a.key_id.is_empty() {
        let entries: Vec<KeyIdEntry<'_>> = a
            .key_id
            .iter()
            .map(|k: &KeyIdArg| KeyIdEntry {
                id_type: k.id_type,
                id: &k.id,
            })
            .collect();
        exts.push(GeneralExtension::key_ids(&entries).map_err(|e| format!("--key-id: {e}"))?);
    }
    for b in &a.oma_bcast {
        exts.push(GeneralExtension::oma_bcast(b.subtype, &b.data));
    }
    if exts.iter().any(|e| e.data.len() > usize::from(u16::MAX)) {
        return Err("a General Extension holds at most 65535 bytes".to_string());
    }
    Ok(exts)
}

/// Sets what `initiate` sends besides keys on `session`.
pub fn apply(a: &Initiate, session: &mut Session) -> Result<(), String> {
    session
        .set_extensions(outgoing(a)?)
        .map_err(|e| format!("--ext: {e}"))?;
    match (&a.tesla, &a.tesla_key) {
        (Some(policy), Some(key)) => session
            .set_tesla(*policy, key)
            .map_err(|e| format!("--tesla: {e}")),
        (None, None) => Ok(()),
        _ => Err("--tesla and --tesla-key go together (RFC 4442 §4: the policy and K_0)".into()),
    }
}

/// A file holding the last COUNTER values sent and accepted (`sent N` and `accepted N`
/// lines; a missing file is 0 and 0), replaced whole on every store: written to a
/// temporary file beside it, synced, then renamed over it.
pub struct CounterFile {
    path: PathBuf,
}

impl CounterFile {
    /// The store at `path`.
    pub fn new(path: &Path) -> CounterFile {
        CounterFile {
            path: path.to_path_buf(),
        }
    }

    /// The last values sent and accepted.
    pub fn load(&self) -> Result<(u32, u32), String> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((0, 0)),
            Err(e) => return Err(format!("--counter-file {}: {e}", self.path.display())),
        };
        let (mut sent, mut accepted) = (0, 0);
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let bad = || {
                format!(
                    "--counter-file {}: {line:?} is not \"sent N\" or \"accepted N\"",
                    self.path.display()
                )
            };
            let (key, value) = line.trim().split_once(' ').ok_or_else(bad)?;
            let value: u32 = value.trim().parse().map_err(|_| bad())?;
            match key {
                "sent" => sent = value,
                "accepted" => accepted = value,
                _ => return Err(bad()),
            }
        }
        Ok((sent, accepted))
    }

    /// The library's persistence callback writing to this file.
    pub fn persist(&self, sent: u32, accepted: u32) -> CounterPersist {
        let path = self.path.clone();
        let last = std::sync::Mutex::new((sent, accepted));
        std::sync::Arc::new(move |role, value| {
            let mut last = last.lock().unwrap_or_else(|p| p.into_inner());
            let next = match role {
                Role::Initiator => (value, last.1),
                Role::Responder => (last.0, value),
            };
            let ok = write_atomically(&path, &format!("sent {}\naccepted {}\n", next.0, next.1));
            if ok {
                *last = next;
            }
            ok
        })
    }
}

fn write_atomically(path: &Path, text: &str) -> bool {
    use std::io::Write;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(text.as_bytes())?;
        f.sync_all()
    });
    written.is_ok() && std::fs::rename(&tmp, path).is_ok()
}

fn ext_json(g: &GeneralExtension<'_>) -> Value {
    let mut v = json!({
        "type": u8::from(g.ext_type),
        "name": g.ext_type.registered_name(),
        "hex": hex::encode(&g.data),
    });
    match g.ext_type {
        GenExtType::KeyId => {
            v["key_ids"] = g
                .key_id_entries()
                .map(|e| {
                    json!({
                        "type": u8::from(e.id_type),
                        "name": e.id_type.registered_name(),
                        "hex": hex::encode(e.id),
                    })
                })
                .collect();
        }
        GenExtType::OmaBcast => {
            if let Some((sub, data)) = g.as_oma_bcast() {
                v["oma_bcast"] = json!({
                    "subtype": u8::from(sub),
                    "name": sub.registered_name(),
                    "hex": hex::encode(data),
                });
            }
        }
        GenExtType::SdpIds => v["sdp_ids"] = json!(g.as_sdp_ids()),
        GenExtType::CsbId => v["csb_id"] = json!(g.as_csb_id()),
        _ => {}
    }
    v
}

fn tesla_json(t: &TeslaBootstrap) -> Value {
    let p = &t.policy;
    json!({
        "prf": p.prf,
        "prf_output_bits": p.prf_output_bits,
        "mac": p.mac,
        "mac_output_bits": p.mac_output_bits,
        "session_start": p.session_start,
        "interval_ms": p.interval_ms,
        "disclosure_delay": p.disclosure_delay,
        "chain_length": p.chain_length,
        "receiver_time": p.receiver_time,
        "initial_key": hex::encode(&t.initial_key),
    })
}

/// The `--json` fields of what the accepted I_MESSAGE carried besides keys.
pub fn received_json(
    extensions: &[GeneralExtension<'_>],
    tesla: Option<&TeslaBootstrap>,
) -> (Value, Value) {
    (
        extensions.iter().map(ext_json).collect(),
        tesla.map_or(Value::Null, tesla_json),
    )
}

/// The text lines of the same.
pub fn received_text(
    extensions: &[GeneralExtension<'_>],
    tesla: Option<&TeslaBootstrap>,
) -> String {
    let mut out = String::new();
    for g in extensions {
        let name = g.ext_type.to_string();
        out += &format!("General Extension {name}: {}\n", hex::encode(&g.data));
        for e in g.key_id_entries() {
            out += &format!("  {}: {}\n", e.id_type, hex::encode(e.id));
        }
        if let Some((sub, data)) = g.as_oma_bcast() {
            out += &format!("  OMA BCAST {sub}: {}\n", hex::encode(data));
        }
    }
    if let Some(t) = tesla {
        let p = &t.policy;
        out += &format!(
            "TESLA: PRF {} ({} bits), MAC {} ({} bits), start {:#018x}, interval {} ms, \
             disclosure delay {}, chain length {}, initial key {}\n",
            p.prf,
            p.prf_output_bits,
            p.mac,
            p.mac_output_bits,
            p.session_start,
            p.interval_ms,
            p.disclosure_delay,
            p.chain_length,
            hex::encode(&t.initial_key)
        );
    }
    out
}
