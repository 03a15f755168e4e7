//! The README's table of checks names every diagnostic code, and nothing else.

#[test]
fn readme_lists_every_code() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for code in pipeline::Code::ALL {
        assert!(
            readme.contains(&format!("| {code} |")),
            "README's table of checks lacks {code}"
        );
    }
    let listed = readme.matches("| E0").count()
        + readme.matches("| W0").count()
        + readme.matches("| N0").count();
    assert_eq!(
        listed,
        pipeline::Code::ALL.len(),
        "README lists codes that do not exist"
    );
}
