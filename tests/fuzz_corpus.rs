//! Replays the committed fuzz corpus (`fuzz/corpus/parse/`) and fixed crash inputs
//! (`fuzz/regressions/`) through the same checks as the fuzz target.

include!("../fuzz/check.rs");

#[test]
fn committed_corpus_passes_the_fuzz_checks() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut count = 0;
    for dir in ["corpus/parse", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_file() && path.file_name().is_some_and(|n| n != ".gitkeep") {
                check_input(&std::fs::read(&path).unwrap());
                count += 1;
            }
        }
    }
    assert!(
        count >= 10,
        "only {count} corpus files: the corpus is missing"
    );
}
