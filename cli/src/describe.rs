//! Turns the Common Header and each payload of a message into a [`Node`] tree naming
//! every field and codepoint, one payload at a time.

use crate::tree::Node;
use mikey::wire::*;
use std::ops::Range;

fn code<T: Copy + std::fmt::Display + Into<u8>>(n: &mut Node<'_>, key: &'static str, c: T) {
    n.code(key, u64::from(c.into()), c);
}

/// The Common Header node; `first` is the type of the first payload (its Next payload).
pub fn header<'a>(h: &'a CommonHeader<'_>, first: PayloadType, range: Range<usize>) -> Node<'a> {
    let mut n = Node::new("HDR", Some(range));
    n.int("version", MIKEY_VERSION);
    code(&mut n, "data_type", h.data_type);
    code(&mut n, "next_payload", first);
    n.flag("v", h.v);
    code(&mut n, "prf_func", h.prf);
    n.hex_int("csb_id", h.csb_id, 4);
    n.int("cs_count", h.cs_map.cs_count() as u64);
    code(&mut n, "cs_id_map_type", h.cs_map.map_type());
    match &h.cs_map {
        CsIdMap::SrtpId(map) => {
            for (i, e) in map.entries().enumerate() {
                let mut c = Node::new(format!("CS {} (SRTP-ID)", i + 1), None);
                c.int("cs_id", i as u64 + 1)
                    .int("policy_no", e.policy_no)
                    .hex_int("ssrc", e.ssrc, 4)
                    .int("roc", e.roc);
                n.children.push(c);
            }
        }
        CsIdMap::Empty { .. } => {}
        CsIdMap::GenericId(map) => {
            for e in map.entries() {
                let mut c = Node::new(format!("CS {} (GENERIC-ID)", e.cs_id), None);
                c.int("cs_id", e.cs_id);
                code(&mut c, "prot_type", e.prot_type);
                c.flag("s", e.s)
                    .bytes("policy_nos", &e.policy_nos)
                    .bytes("session_data", &e.session_data)
                    .bytes("spi", &e.spi);
                n.children.push(c.into_owned());
            }
        }
    }
    n
}

/// The node of one payload whose Next payload field is `next`.
pub fn payload_node<'a>(
    p: &'a Payload<'_>,
    next: PayloadType,
    range: Option<Range<usize>>,
) -> Node<'a> {
    let mut n = Node::new(p.payload_type().to_string(), range);
    if !matches!(p, Payload::Sign(_)) {
        code(&mut n, "next_payload", next);
    }
    match p {
        Payload::Kemac(k) => kemac(&mut n, k),
        Payload::Pke(pke) => {
            code(&mut n, "c", pke.cache);
            n.int("data_len", pke.data.len() as u64)
                .bytes("data", &pke.data);
        }
        Payload::Dh(dh) => {
            code(&mut n, "dh_group", dh.group);
            n.bytes("dh_value", &dh.value).int("reserved", dh.reserved);
            key_validity(&mut n, &dh.kv);
        }
        Payload::Sign(s) => {
            code(&mut n, "s_type", s.sig_type);
            n.int("signature_len", s.signature.len() as u64)
                .bytes("signature", &s.signature);
        }
        Payload::Timestamp(t) => timestamp(&mut n, t.ts_type, t.value),
        Payload::Id(id) => {
            code(&mut n, "id_type", id.id_type);
            n.int("id_len", id.data.len() as u64)
                .data("id_data", &id.data);
        }
        Payload::Cert(c) => {
            code(&mut n, "cert_type", c.cert_type);
            n.int("cert_len", c.data.len() as u64)
                .data("cert_data", &c.data);
        }
        Payload::Chash(c) => {
            code(&mut n, "hash_func", c.hash_func);
            n.bytes("hash", &c.hash);
        }
        Payload::Verification(v) => {
            code(&mut n, "auth_alg", v.auth_alg);
            n.bytes("ver_data", &v.data);
        }
        Payload::SecurityPolicy(sp) => policy(&mut n, sp),
        Payload::Rand(r) => {
            n.int("rand_len", r.rand.len() as u64)
                .bytes("rand", &r.rand);
        }
        Payload::Error(e) => {
            code(&mut n, "error_no", e.error_no);
            n.int("reserved", e.reserved);
        }
        Payload::TimestampRole(t) => {
            code(&mut n, "ts_role", t.role);
            timestamp(&mut n, t.ts_type, t.value);
        }
        Payload::IdRole(id) => {
            code(&mut n, "id_role", id.role);
            code(&mut n, "id_type", id.id_type);
            n.int("id_len", id.data.len() as u64)
                .data("id_data", &id.data);
        }
        Payload::RandRole(r) => {
            code(&mut n, "rand_role", r.role);
            n.int("rand_len", r.rand.len() as u64)
                .bytes("rand", &r.rand);
        }
        Payload::TicketPolicy(tp) => ticket_policy(&mut n, tp),
        Payload::Ticket(t) => {
            ticket_policy(&mut n, &t.policy);
            n.int("ticket_data_len", t.ticket_data.len() as u64)
                .bytes("ticket_data", &t.ticket_data)
                .int("initiator_data_len", t.initiator_data.len() as u64)
                .bytes("initiator_data", &t.initiator_data);
        }
        Payload::GeneralExtension(g) => general_extension(&mut n, g),
        Payload::Ibake(e) | Payload::EncryptedSecretKey(e) => {
            n.int("encr_data_len", e.encr_data.len() as u64)
                .bytes("encr_data", &e.encr_data);
        }
        Payload::EccPoint(e) => {
            code(&mut n, "ecc_curve", e.curve);
            n.bytes("ecc_point", &e.point)
                .int("tgk_len", u64::from(e.tgk_len));
            code(&mut n, "auth_alg", mikey::wire::MacAlg::from(e.auth_alg));
            key_validity(&mut n, &e.kv);
        }
        Payload::Sakke(s) => {
            code(&mut n, "sakke_params", s.params);
            code(&mut n, "id_scheme", s.id_scheme);
            n.int("sakke_data_len", s.data.len() as u64)
                .bytes("sakke_data", &s.data);
        }
    }
    n
}

fn kemac<'a>(n: &mut Node<'a>, k: &'a Kemac<'_>) {
    code(n, "encr_alg", k.encr_alg);
    n.int("encr_data_len", k.encr_data.len() as u64)
        .bytes("encr_data", &k.encr_data);
    code(n, "mac_alg", k.mac_alg);
    n.bytes("mac", &k.mac);
    if k.encr_alg == EncrAlg::Null {
        match parse_key_chain(&k.encr_data, PayloadType::KeyData, 0) {
            Ok(items) => n
                .children
                .extend(items.iter().map(|i| key_chain_item(i).into_owned())),
            Err(e) => {
                n.text("encr_data_note", format!("not a Key data chain: {e}"));
            }
        }
    }
}

/// A node for one sub-payload of a plaintext KEMAC chain.
fn key_chain_item<'a>(item: &'a KeyChainItem<'_>) -> Node<'a> {
    match item {
        KeyChainItem::Id(id) => {
            let mut n = Node::new("ID", None);
            code(&mut n, "id_type", id.id_type);
            n.data("id_data", &id.data);
            n
        }
        KeyChainItem::KeyData(k) => {
            let mut n = Node::new("Key data", None);
            code(&mut n, "type", k.key_type);
            code(&mut n, "kv", k.kv.kv_type());
            n.int("key_data_len", k.key.len() as u64)
                .bytes("key_data", &k.key);
            if let Some(salt) = &k.salt {
                n.int("salt_len", salt.len() as u64)
                    .bytes("salt_data", salt);
            }
            key_validity(&mut n, &k.kv);
            n
        }
    }
}

fn key_validity<'a>(n: &mut Node<'a>, kv: &'a KeyValidity<'_>) {
    match kv {
        KeyValidity::Null => {
            code(n, "kv", KvType::Null);
        }
        KeyValidity::Spi(spi) => {
            code(n, "kv", KvType::Spi);
            n.int("spi_len", spi.len() as u64).bytes("spi", spi);
        }
        KeyValidity::Interval { from, to } => {
            code(n, "kv", KvType::Interval);
            n.bytes("valid_from", from).bytes("valid_to", to);
        }
    }
}

fn timestamp(n: &mut Node<'_>, ts_type: TsType, value: u64) {
    code(n, "ts_type", ts_type);
    n.hex_int("ts_value", value, ts_type.value_len().unwrap_or(8));
    let secs = match ts_type {
        TsType::NtpUtc | TsType::Ntp => Some(value >> 32),
        TsType::NtpUtc32 => Some(value),
        _ => None,
    };
    if let Some(secs) = secs {
        n.text("ts_time", ntp_seconds_to_utc(secs));
    }
}

/// Formats NTP seconds (era 0, from 1900-01-01) as an ISO 8601 UTC time.
fn ntp_seconds_to_utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil date from days since 1900-01-01 (which is day -25567 relative to 1970).
    let z = days - 25_567 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

fn policy<'a>(n: &mut Node<'a>, sp: &'a SecurityPolicy<'_>) {
    n.int("policy_no", sp.policy_no);
    code(n, "prot_type", sp.prot_type);
    n.int("param_count", sp.params().count() as u64);
    for p in sp.params() {
        let name = p.name(sp.prot_type).unwrap_or("unregistered");
        let mut c = Node::new(format!("param {} ({name})", p.param_type), None);
        c.int("type", p.param_type)
            .int("length", p.value.len() as u64);
        match (sp.prot_type, SrtpParam::from(p.param_type), p.value) {
            (ProtType::Srtp, SrtpParam::EncrAlg, [v]) => {
                code(&mut c, "value", SrtpEncrAlg::from(*v));
            }
            (
                ProtType::Srtp,
                SrtpParam::AuthAlg | SrtpParam::SrtpAuthAlg | SrtpParam::SrtcpAuthAlg,
                [v],
            ) => {
                code(&mut c, "value", SrtpAuthAlg::from(*v));
            }
            (ProtType::Srtp, SrtpParam::Prf, [v]) => {
                code(&mut c, "value", SrtpPrf::from(*v));
            }
            _ => match p.as_uint() {
                Some(v) if p.value.len() <= 4 => {
                    c.int("value", v);
                }
                _ => {
                    c.bytes("value", p.value);
                }
            },
        }
        n.children.push(c);
    }
}

fn ticket_policy<'a>(n: &mut Node<'a>, tp: &'a TicketPolicy<'_>) {
    n.code(
        "ticket_type",
        u64::from(u16::from(tp.ticket_type)),
        tp.ticket_type,
    );
    n.int("subtype", tp.subtype).int("version", tp.version);
    code(n, "prf_func", tp.prf);
    let letters: String = "DEFGHIJKLMNO"
        .chars()
        .enumerate()
        .filter(|(i, _)| tp.flags & (1 << (11 - i)) != 0)
        .map(|(_, c)| c)
        .collect();
    n.text("flags", letters).int("reserved", tp.reserved);
    n.int("tp_data_len", tp.tp_data.len() as u64)
        .bytes("tp_data", &tp.tp_data);
    match tp.tp_payloads() {
        Ok(payloads) => {
            for (i, p) in payloads.iter().enumerate() {
                let next = payloads
                    .get(i + 1)
                    .map_or(PayloadType::Last, Payload::payload_type);
                n.children.push(payload_node(p, next, None).into_owned());
            }
        }
        Err(e) if !tp.tp_data.is_empty() => {
            n.text("tp_data_note", format!("TP data does not parse: {e}"));
        }
        Err(_) => {}
    }
}

fn general_extension<'a>(n: &mut Node<'a>, g: &'a GeneralExtension<'_>) {
    code(n, "type", g.ext_type);
    n.int("length", g.data.len() as u64).bytes("data", &g.data);
    if let Some(ids) = g.as_sdp_ids() {
        n.text("sdp_ids", ids);
    }
    if let Some(csb) = g.as_csb_id() {
        n.hex_int("csb_id", csb, 4);
    }
    if let Some(v) = g.as_vendor_id() {
        n.bytes("vendor_id", v);
    }
    if let Some(k) = g.as_tesla_i_key() {
        n.bytes("tesla_i_key", k);
    }
    if let Some((sub, data)) = g.as_oma_bcast() {
        code(n, "oma_bcast_subtype", sub);
        n.bytes("oma_bcast_data", data);
    }
    if let Some(d) = g.as_sakke_to_self() {
        n.bytes("sakke_to_self", d);
    }
    if let Some(d) = g.as_3gpp_key_parameters() {
        n.bytes("3gpp_key_parameters", d);
    }
    for e in g.key_id_entries() {
        let mut c = Node::new("Key ID", None);
        code(&mut c, "key_id_type", e.id_type);
        c.bytes("key_id", e.id);
        n.children.push(c);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ntp_dates() {
        assert_eq!(super::ntp_seconds_to_utc(0), "1900-01-01T00:00:00Z");
        // 0xC8E350EA: the RFC 4567 example timestamp.
        assert_eq!(
            super::ntp_seconds_to_utc(2_208_988_800),
            "1970-01-01T00:00:00Z"
        );
        assert_eq!(
            super::ntp_seconds_to_utc(0xE8D4_A510),
            "2023-10-14T05:26:40Z"
        );
    }
}
