//! The README's C example is `c-tests/readme_snippet.c` verbatim, which ctest compiles and
//! runs as C and as C++ against libsrtp, so the example users copy cannot rot.

use std::path::Path;

#[test]
fn readme_shows_the_compiled_c_example_verbatim() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let snippet = std::fs::read_to_string(root.join("c-tests/readme_snippet.c")).unwrap();
    let fenced = format!("```c\n{snippet}```\n");
    assert!(
        readme.contains(&fenced),
        "README.md must contain c-tests/readme_snippet.c verbatim in a ```c block"
    );
}
