//! Command-line arguments: `--name VALUE` options, `--flag` switches and positional
//! arguments, checked against what each command allows.

use std::collections::BTreeMap;

/// The parsed arguments of one command.
pub struct Args {
    options: BTreeMap<&'static str, Vec<String>>,
    flags: Vec<&'static str>,
    /// The positional arguments, in order.
    pub positional: Vec<String>,
}

impl Args {
    /// Parses `args`, allowing the options in `with_value` (each takes the next argument)
    /// and the switches in `switches`. `-` is a positional argument.
    pub fn parse(
        args: &[String],
        with_value: &[&'static str],
        switches: &[&'static str],
    ) -> Result<Args, String> {
        let mut parsed = Args {
            options: BTreeMap::new(),
            flags: Vec::new(),
            positional: Vec::new(),
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if !a.starts_with("--") {
                parsed.positional.push(a.clone());
            } else if let Some(name) = with_value.iter().find(|n| **n == a.as_str()) {
                let value = it.next().ok_or_else(|| format!("{a} needs a value"))?;
                parsed.options.entry(name).or_default().push(value.clone());
            } else if let Some(name) = switches.iter().find(|n| **n == a.as_str()) {
                parsed.flags.push(name);
            } else {
                return Err(format!("unknown option {a}"));
            }
        }
        Ok(parsed)
    }

    /// Whether switch `name` was given.
    pub fn flag(&self, name: &str) -> bool {
        self.flags.contains(&name)
    }

    /// The value of option `name`, if given once; an error if given more than once.
    pub fn value(&self, name: &str) -> Result<Option<&str>, String> {
        match self.options.get(name).map(Vec::as_slice) {
            None | Some([]) => Ok(None),
            Some([v]) => Ok(Some(v)),
            Some(_) => Err(format!("{name} given more than once")),
        }
    }

    /// Every value of a repeatable option `name`, in order.
    pub fn values(&self, name: &str) -> &[String] {
        self.options.get(name).map_or(&[], Vec::as_slice)
    }

    /// The value of option `name` decoded from hex.
    pub fn hex(&self, name: &str) -> Result<Option<Vec<u8>>, String> {
        self.value(name)?
            .map(|v| {
                hex::decode(v.trim_start_matches("0x"))
                    .map_err(|e| format!("{name}: not hex ({e})"))
            })
            .transpose()
    }

    /// The value of option `name` as a number (decimal, or hex with `0x`).
    pub fn number(&self, name: &str) -> Result<Option<u64>, String> {
        self.value(name)?.map(|v| number(name, v)).transpose()
    }
}

/// `text` as a number: decimal, or hex with `0x`.
pub fn number(name: &str, text: &str) -> Result<u64, String> {
    let parsed = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(h) => u64::from_str_radix(h, 16),
        None => text.parse(),
    };
    parsed.map_err(|_| format!("{name}: {text:?} is not a number"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options_switches_and_positionals() {
        let a = Args::parse(
            &strings(&[
                "--psk", "0a0b", "msg", "--json", "--ssrc", "1", "--ssrc", "0x10",
            ]),
            &["--psk", "--ssrc"],
            &["--json"],
        )
        .unwrap();
        assert_eq!(a.hex("--psk").unwrap(), Some(vec![10, 11]));
        assert!(a.flag("--json"));
        assert_eq!(a.positional, ["msg"]);
        assert_eq!(a.values("--ssrc"), ["1", "0x10"]);
        assert!(a.value("--ssrc").is_err());
        assert_eq!(number("x", "0x10"), Ok(16));
        assert!(number("x", "ten").is_err());
    }

    #[test]
    fn refuses_unknown_options_and_missing_values() {
        assert!(Args::parse(&strings(&["--nope"]), &[], &[]).is_err());
        assert!(Args::parse(&strings(&["--psk"]), &["--psk"], &[]).is_err());
        let a = Args::parse(&strings(&["--psk", "zz"]), &["--psk"], &[]).unwrap();
        assert!(a.hex("--psk").is_err());
    }
}
