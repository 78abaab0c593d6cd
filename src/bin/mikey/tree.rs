//! A neutral tree of named fields, rendered as indented text or as JSON.

use serde_json::{Map, Value as Json, json};
use std::fmt::Write;
use std::ops::Range;

/// A field value.
pub enum Value {
    /// A plain number.
    Int(u64),
    /// A codepoint with its registry name (None when unregistered).
    Code(u64, Option<String>),
    /// Raw bytes, shown as hex.
    Bytes(Vec<u8>),
    /// Text.
    Text(String),
    /// A flag.
    Bool(bool),
    /// A number best read in hex (IDs, SSRCs, timestamps), with its width in bytes.
    HexInt(u64, usize),
}

/// One payload (or sub-payload) and its fields.
pub struct Node {
    pub name: String,
    pub range: Option<Range<usize>>,
    pub fields: Vec<(&'static str, Value)>,
    pub children: Vec<Node>,
}

impl Node {
    pub fn new(name: impl Into<String>, range: Option<Range<usize>>) -> Self {
        Node {
            name: name.into(),
            range,
            fields: Vec::new(),
            children: Vec::new(),
        }
    }

    pub fn int(&mut self, key: &'static str, v: impl Into<u64>) -> &mut Self {
        self.fields.push((key, Value::Int(v.into())));
        self
    }

    pub fn code<T: Copy + std::fmt::Display>(
        &mut self,
        key: &'static str,
        value: u64,
        code: T,
    ) -> &mut Self {
        let shown = code.to_string();
        let name = (!shown.starts_with("unknown")).then_some(shown);
        self.fields.push((key, Value::Code(value, name)));
        self
    }

    pub fn bytes(&mut self, key: &'static str, v: &[u8]) -> &mut Self {
        self.fields.push((key, Value::Bytes(v.to_vec())));
        self
    }

    pub fn text(&mut self, key: &'static str, v: impl Into<String>) -> &mut Self {
        self.fields.push((key, Value::Text(v.into())));
        self
    }

    pub fn hex_int(&mut self, key: &'static str, v: impl Into<u64>, width: usize) -> &mut Self {
        self.fields.push((key, Value::HexInt(v.into(), width)));
        self
    }

    pub fn flag(&mut self, key: &'static str, v: bool) -> &mut Self {
        self.fields.push((key, Value::Bool(v)));
        self
    }

    /// ID-like data: text when printable ASCII, hex otherwise.
    pub fn data(&mut self, key: &'static str, v: &[u8]) -> &mut Self {
        match std::str::from_utf8(v) {
            Ok(s) if !s.is_empty() && s.chars().all(|c| c.is_ascii_graphic() || c == ' ') => {
                self.text(key, s)
            }
            _ => self.bytes(key, v),
        }
    }

    pub fn to_text(&self, out: &mut String, depth: usize) {
        let pad = "  ".repeat(depth);
        let _ = match &self.range {
            Some(r) => writeln!(
                out,
                "{pad}{} (bytes {}..{}, {} bytes)",
                self.name,
                r.start,
                r.end,
                r.len()
            ),
            None => writeln!(out, "{pad}{}", self.name),
        };
        for (key, value) in &self.fields {
            let label = key.replace('_', " ");
            let shown = match value {
                Value::Int(v) => v.to_string(),
                Value::Code(v, Some(n)) => format!("{v} ({n})"),
                Value::Code(v, None) => format!("{v} (unregistered)"),
                Value::Bytes(b) if b.is_empty() => "(empty)".to_string(),
                Value::Bytes(b) => hex::encode(b),
                Value::Text(t) => format!("{t:?}"),
                Value::Bool(b) => u8::from(*b).to_string(),
                Value::HexInt(v, w) => format!("0x{v:0width$x}", width = w * 2),
            };
            let _ = writeln!(out, "{pad}  {label}: {shown}");
        }
        for child in &self.children {
            child.to_text(out, depth + 1);
        }
    }

    pub fn to_json(&self) -> Json {
        let mut fields = Map::new();
        for (key, value) in &self.fields {
            let v = match value {
                Value::Int(v) => json!(v),
                Value::Code(v, n) => json!({ "value": v, "name": n }),
                Value::Bytes(b) => json!(hex::encode(b)),
                Value::Text(t) => json!(t),
                Value::Bool(b) => json!(b),
                Value::HexInt(v, _) => json!(v),
            };
            fields.insert((*key).to_string(), v);
        }
        let mut node = Map::new();
        node.insert("payload".into(), json!(self.name));
        if let Some(r) = &self.range {
            node.insert("offset".into(), json!(r.start));
            node.insert("length".into(), json!(r.len()));
        }
        node.insert("fields".into(), Json::Object(fields));
        if !self.children.is_empty() {
            node.insert(
                "children".into(),
                Json::Array(self.children.iter().map(Node::to_json).collect()),
            );
        }
        Json::Object(node)
    }
}
