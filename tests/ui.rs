//! Mistakes in `#[component]` and `#[pipeline]` are compile errors on the offending token: one
//! `tests/ui/*.rs` per mistake, its error as the user sees it in the `.stderr` beside it.

#[test]
fn mistakes_are_compile_errors() {
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}
