//! The SDK's naming rules (DESIGN §4).

use std::collections::HashMap;

use super::{At, Checker};
use crate::codes::Code;

/// `^[a-z][a-z0-9_]*$` ([`pipeline_schema::names::is_component_name`]).
pub(crate) fn is_component_name(s: &str) -> bool {
    pipeline_schema::names::is_component_name(s)
}

/// `^[a-z_][a-z0-9_]*$`: a lower-case Python identifier ([`pipeline_schema::names::is_node_name`]).
pub(crate) fn is_node_name(s: &str) -> bool {
    pipeline_schema::names::is_node_name(s)
}

/// `^[a-zA-Z_][a-zA-Z0-9_]*(\.[a-zA-Z_][a-zA-Z0-9_]*)*$` ([`pipeline_schema::names::is_port_name`]).
pub(crate) fn is_port_name(s: &str) -> bool {
    pipeline_schema::names::is_port_name(s)
}

/// `^[A-Za-z0-9_-]*$`, at most 255 characters ([`pipeline_schema::names::is_asset_name`]).
pub(crate) fn is_asset_name(s: &str) -> bool {
    pipeline_schema::names::is_asset_name(s)
}

/// A lower-case suggestion for a name that breaks a rule.
pub(crate) fn suggest(s: &str) -> String {
    pipeline_schema::names::suggest_identifier(s)
}

/// Port names of one section (`inputs` or `outputs`): each by the rule, and none twice ignoring
/// case.
pub(crate) fn check_ports<'a>(
    checker: &mut Checker<'_>,
    names: impl Iterator<Item = &'a String>,
    at: &At,
) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for name in names {
        let here = at.key(name.as_str());
        if !is_port_name(name) {
            checker.report_key(
                Code::E012,
                &here,
                format!("`{name}` is not a valid input or output name"),
                Some(format!(
                    "use letters, digits and `_`, not starting with a digit (such as `{}`)",
                    suggest(name)
                )),
            );
        }
        if let Some(first) = seen.insert(name.to_ascii_lowercase(), name) {
            checker.report_key(
                Code::E012,
                &here,
                format!("`{name}` differs from `{first}` only in case"),
                Some("Azure ML compares port names ignoring case: rename one".to_owned()),
            );
        }
    }
}

/// Levenshtein distance, for "did you mean".
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        assert!(
            is_component_name("train_2")
                && !is_component_name("Train")
                && !is_component_name("r-iris")
                && !is_component_name("_x")
        );
        assert!(
            is_node_name("_x")
                && is_node_name("prep1")
                && !is_node_name("Prep")
                && !is_node_name("1a")
        );
        assert!(
            is_port_name("group.sub")
                && is_port_name("Data_1")
                && !is_port_name("1x")
                && !is_port_name("a-b")
                && !is_port_name("a.")
        );
        assert!(
            is_asset_name("my-model_1")
                && is_asset_name("")
                && !is_asset_name("a b")
                && !is_asset_name(&"x".repeat(256))
        );
        assert_eq!(suggest("Bad-Name"), "bad_name");
    }
}
