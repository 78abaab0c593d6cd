//! The committed `include/mikey.h` must equal what cbindgen generates from the sources
//! (docs/architecture.md). Set `MIKEY_BLESS_HEADER=1` to rewrite it.

use std::path::Path;

#[test]
fn committed_header_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("cbindgen.toml");
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_crate(root)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header")
        .write(&mut generated);
    let path = root.join("include/mikey.h");
    if std::env::var_os("MIKEY_BLESS_HEADER").is_some() {
        std::fs::write(&path, &generated).expect("write include/mikey.h");
        return;
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/mikey.h is stale: run `MIKEY_BLESS_HEADER=1 cargo test --test c_header`"
    );
}

/// Every name `mikey.h` puts into a C program's namespace is `MIKEY_`/`mikey_` prefixed: a
/// header included into a VoIP stack must not define `I` (which `<complex.h>` uses) or
/// unprefixed enum constants.
#[test]
fn header_names_are_prefixed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let header = std::fs::read_to_string(root.join("include/mikey.h")).unwrap();
    let prefixed = |name: &str| name.starts_with("MIKEY_") || name.starts_with("mikey_");
    let mut in_enum = false;
    for line in header.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let fn_pointer = line
            .split_once("(*")
            .and_then(|(_, rest)| rest.split_once(')'))
            .map(|(name, _)| name);
        let name = match words.as_slice() {
            ["typedef", ..] if fn_pointer.is_some() => fn_pointer,
            ["typedef", "struct", name, "{"] => Some(*name),
            ["}", name] => Some(name.trim_end_matches(';')),
            ["#define", name, ..] => Some(name.split('(').next().unwrap()),
            ["enum", name, ..] | ["struct", name, ..] => Some(*name),
            ["typedef", .., last] => Some(last.trim_end_matches(';')),
            _ => None,
        };
        if let Some(name) = name {
            assert!(
                prefixed(name) || name == "MIKEY_H",
                "unprefixed name {name:?}: {line}"
            );
        }
        if line.starts_with("enum ") {
            in_enum = true;
        } else if line.starts_with("};") {
            in_enum = false;
        } else if in_enum {
            if let Some((constant, _)) = line.trim().split_once(" = ") {
                assert!(prefixed(constant), "unprefixed enum constant {constant:?}");
            }
        }
    }
}
