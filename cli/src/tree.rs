//! A neutral tree of named fields, written as indented text or as JSON. Byte fields
//! borrow from the message, and both forms are written straight to the output (hex a
//! block at a time), so a node costs little more than its field list.

use std::borrow::Cow;
use std::io::{self, Write};
use std::ops::Range;

/// A field value.
pub enum Value<'a> {
    /// A plain number.
    Int(u64),
    /// A codepoint with its registry name (None when unregistered).
    Code(u64, Option<String>),
    /// Raw bytes, shown as hex.
    Bytes(Cow<'a, [u8]>),
    /// Text.
    Text(String),
    /// A flag.
    Bool(bool),
    /// A number best read in hex (IDs, SSRCs, timestamps), with its width in bytes.
    HexInt(u64, usize),
}

/// One payload (or sub-payload) and its fields.
pub struct Node<'a> {
    pub name: String,
    pub range: Option<Range<usize>>,
    pub fields: Vec<(&'static str, Value<'a>)>,
    pub children: Vec<Node<'a>>,
}

/// Writes `bytes` as lower-case hex, a block at a time.
pub fn write_hex(w: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
    for block in bytes.chunks(4096) {
        w.write_all(hex::encode(block).as_bytes())?;
    }
    Ok(())
}

/// A JSON string literal (serde_json's escaping).
fn json_string(w: &mut dyn Write, s: &str) -> io::Result<()> {
    serde_json::to_writer(&mut *w, s).map_err(io::Error::from)
}

impl<'a> Node<'a> {
    pub fn new(name: impl Into<String>, range: Option<Range<usize>>) -> Self {
        Node {
            name: name.into(),
            range,
            fields: Vec::new(),
            children: Vec::new(),
        }
    }

    /// The same node owning all its bytes (for nodes built from a sub-chain parsed into a
    /// temporary list).
    pub fn into_owned(self) -> Node<'static> {
        Node {
            name: self.name,
            range: self.range,
            fields: self
                .fields
                .into_iter()
                .map(|(key, value)| {
                    let value = match value {
                        Value::Bytes(b) => Value::Bytes(Cow::Owned(b.into_owned())),
                        Value::Int(v) => Value::Int(v),
                        Value::Code(v, n) => Value::Code(v, n),
                        Value::Text(t) => Value::Text(t),
                        Value::Bool(b) => Value::Bool(b),
                        Value::HexInt(v, w) => Value::HexInt(v, w),
                    };
                    (key, value)
                })
                .collect(),
            children: self.children.into_iter().map(Node::into_owned).collect(),
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

    pub fn bytes(&mut self, key: &'static str, v: &'a [u8]) -> &mut Self {
        self.fields.push((key, Value::Bytes(Cow::Borrowed(v))));
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
    pub fn data(&mut self, key: &'static str, v: &'a [u8]) -> &mut Self {
        match std::str::from_utf8(v) {
            Ok(s) if !s.is_empty() && s.chars().all(|c| c.is_ascii_graphic() || c == ' ') => {
                self.text(key, s)
            }
            _ => self.bytes(key, v),
        }
    }

    /// The indented text form: the name and range, then one `key: value` line per field,
    /// then the children one level deeper.
    pub fn write_text(&self, w: &mut dyn Write, depth: usize) -> io::Result<()> {
        let pad = "  ".repeat(depth);
        match &self.range {
            Some(r) => writeln!(
                w,
                "{pad}{} (bytes {}..{}, {} bytes)",
                self.name,
                r.start,
                r.end,
                r.len()
            )?,
            None => writeln!(w, "{pad}{}", self.name)?,
        }
        for (key, value) in &self.fields {
            write!(w, "{pad}  {}: ", key.replace('_', " "))?;
            match value {
                Value::Int(v) => write!(w, "{v}")?,
                Value::Code(v, Some(n)) => write!(w, "{v} ({n})")?,
                Value::Code(v, None) => write!(w, "{v} (unregistered)")?,
                Value::Bytes(b) if b.is_empty() => w.write_all(b"(empty)")?,
                Value::Bytes(b) => write_hex(w, b)?,
                Value::Text(t) => write!(w, "{t:?}")?,
                Value::Bool(b) => write!(w, "{}", u8::from(*b))?,
                Value::HexInt(v, width) => write!(w, "0x{v:0width$x}", width = width * 2)?,
            }
            w.write_all(b"\n")?;
        }
        for child in &self.children {
            child.write_text(w, depth + 1)?;
        }
        Ok(())
    }

    /// The JSON form, pretty-printed as serde_json does (two-space indentation, members
    /// in sorted order, the last of equal keys) as a value `depth` levels deep:
    /// `{"children": [...], "fields": {...}, "length", "offset", "payload"}`.
    pub fn write_json(&self, w: &mut dyn Write, depth: usize) -> io::Result<()> {
        let inner = "  ".repeat(depth + 1);
        w.write_all(b"{\n")?;
        if !self.children.is_empty() {
            write!(w, "{inner}\"children\": [")?;
            for (i, child) in self.children.iter().enumerate() {
                let separator = if i == 0 { "\n" } else { ",\n" };
                write!(w, "{separator}{inner}  ")?;
                child.write_json(w, depth + 2)?;
            }
            write!(w, "\n{inner}],\n")?;
        }
        write!(w, "{inner}\"fields\": ")?;
        self.write_json_fields(w, depth + 1)?;
        if let Some(r) = &self.range {
            write!(
                w,
                ",\n{inner}\"length\": {},\n{inner}\"offset\": {}",
                r.len(),
                r.start
            )?;
        }
        write!(w, ",\n{inner}\"payload\": ")?;
        json_string(w, &self.name)?;
        write!(w, "\n{}}}", "  ".repeat(depth))
    }

    /// The fields as a JSON object `depth` levels deep, sorted by key; of equal keys the
    /// last one (a map keeps the last value inserted).
    fn write_json_fields(&self, w: &mut dyn Write, depth: usize) -> io::Result<()> {
        let mut order: Vec<usize> = (0..self.fields.len()).collect();
        order.sort_by_key(|&i| self.fields[i].0);
        let last_of_key = |pos: usize| {
            order
                .get(pos + 1)
                .is_none_or(|&next| self.fields[next].0 != self.fields[order[pos]].0)
        };
        let shown: Vec<usize> = (0..order.len())
            .filter(|&pos| last_of_key(pos))
            .map(|pos| order[pos])
            .collect();
        if shown.is_empty() {
            return w.write_all(b"{}");
        }
        let inner = "  ".repeat(depth + 1);
        w.write_all(b"{")?;
        for (n, &i) in shown.iter().enumerate() {
            let (key, value) = &self.fields[i];
            let separator = if n == 0 { "\n" } else { ",\n" };
            write!(w, "{separator}{inner}\"{key}\": ")?;
            match value {
                Value::Int(v) | Value::HexInt(v, _) => write!(w, "{v}")?,
                Value::Code(v, name) => {
                    write!(w, "{{\n{inner}  \"name\": ")?;
                    match name {
                        Some(n) => json_string(w, n)?,
                        None => w.write_all(b"null")?,
                    }
                    write!(w, ",\n{inner}  \"value\": {v}\n{inner}}}")?;
                }
                Value::Bytes(b) => {
                    w.write_all(b"\"")?;
                    write_hex(w, b)?;
                    w.write_all(b"\"")?;
                }
                Value::Text(t) => json_string(w, t)?,
                Value::Bool(b) => write!(w, "{b}")?,
            }
        }
        write!(w, "\n{}}}", "  ".repeat(depth))
    }
}
