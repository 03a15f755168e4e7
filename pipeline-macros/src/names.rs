//! DESIGN §4's name rules, as the SDK applies them (the same rules `pipeline validate` checks in
//! YAML; here they are compile errors).

/// `^[a-z][a-z0-9_]*$`.
pub(crate) fn component_name(s: &str) -> bool {
    let mut b = s.bytes();
    b.next().is_some_and(|c| c.is_ascii_lowercase())
        && b.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
}

/// What a name breaking `rule` could be instead: lower case, other characters as `_`.
pub(crate) fn suggest(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_lowercase()) {
        out.insert(0, 'c');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_sdk() {
        assert!(component_name("prep_2"));
        assert!(!component_name("_prep") && !component_name("Prep") && !component_name("a-b"));
        assert_eq!(suggest("Prep-Data"), "prep_data");
        assert_eq!(suggest("2x"), "c2x");
    }
}
