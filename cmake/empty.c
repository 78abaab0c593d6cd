/* libmikey is all Rust (linked in whole from libmikey.a); CMake needs one source file to
 * make a SHARED library target, and this is it. */
typedef int mikey_empty_translation_unit; /* ISO C forbids an empty translation unit */
