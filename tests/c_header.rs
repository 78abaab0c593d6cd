//! The committed `include/mikey.h` must equal what cbindgen generates from the sources
//! (DESIGN.md §3). Set `MIKEY_BLESS_HEADER=1` to rewrite it.

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
