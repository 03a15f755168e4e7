//! The SDK's name rules (DESIGN §4), each with the place in azure-ai-ml 1.35.2
//! (`azure/ai/ml/…`) whose regex it mirrors. The rules are ASCII: where Python's `\d` would also
//! take other Unicode digits, we do not (no real name uses them).
//!
//! ```
//! use pipeline_schema::names;
//!
//! assert!(names::is_component_name("prep_data"));
//! assert!(names::is_node_name("_prep"));
//! assert!(names::is_port_name("group.sub"));
//! assert_eq!(names::suggest("Prep-Data"), "prep_data");
//! ```

/// The component name pattern.
///
/// ```
/// assert_eq!(pipeline_schema::names::COMPONENT_NAME, r"^[a-z][a-z0-9_]*$");
/// ```
pub const COMPONENT_NAME: &str = r"^[a-z][a-z0-9_]*$";
/// The pipeline node name pattern.
///
/// ```
/// assert_eq!(pipeline_schema::names::NODE_NAME, r"^[a-z_][a-z0-9_]*$");
/// ```
pub const NODE_NAME: &str = r"^[a-z_][a-z0-9_]*$";
/// The component and pipeline input/output name pattern (dotted: input groups).
///
/// ```
/// assert!(pipeline_schema::names::PORT_NAME.contains(r"\."));
/// ```
pub const PORT_NAME: &str = r"^[a-zA-Z_][a-zA-Z0-9_]*(\.[a-zA-Z_][a-zA-Z0-9_]*)*$";
/// The standalone job input/output key pattern.
///
/// ```
/// assert_eq!(pipeline_schema::names::JOB_IO_KEY, r"^[a-zA-Z_]+[a-zA-Z0-9_]*$");
/// ```
pub const JOB_IO_KEY: &str = r"^[a-zA-Z_]+[a-zA-Z0-9_]*$";
/// The output asset `name` pattern (and at most [`ASSET_NAME_MAX`] characters).
///
/// ```
/// assert_eq!(pipeline_schema::names::ASSET_NAME, r"^[A-Za-z0-9_-]*$");
/// ```
pub const ASSET_NAME: &str = r"^[A-Za-z0-9_-]*$";
/// The longest output asset `name`.
///
/// ```
/// assert!(!pipeline_schema::names::is_asset_name(&"a".repeat(pipeline_schema::names::ASSET_NAME_MAX + 1)));
/// ```
pub const ASSET_NAME_MAX: usize = 255;

fn ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn ident_rest(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `^[a-z][a-z0-9_]*$`: `PythonFuncNameStr._deserialize`, `_schema/core/fields.py`
/// (`pattern = r"^[a-z][a-z\d_]*$"`), the component `name` field.
///
/// ```
/// use pipeline_schema::names::is_component_name;
///
/// assert!(is_component_name("train_2"));
/// assert!(!is_component_name("_train") && !is_component_name("Train") && !is_component_name("r-iris"));
/// ```
pub fn is_component_name(s: &str) -> bool {
    let mut c = s.chars();
    c.next().is_some_and(|c| c.is_ascii_lowercase())
        && c.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// `^[a-z_][a-z0-9_]*$`, a Python identifier in lower case: `is_valid_node_name`,
/// `_utils/utils.py` (`name.isidentifier() and re.fullmatch(r"^[a-z_][a-z\d_]*", name)`), used
/// by `PipelineNodeNameStr` (`_schema/core/fields.py`) for the keys of `jobs`.
///
/// ```
/// use pipeline_schema::names::is_node_name;
///
/// assert!(is_node_name("_x") && is_node_name("prep1"));
/// assert!(!is_node_name("Prep") && !is_node_name("1a") && !is_node_name(""));
/// ```
pub fn is_node_name(s: &str) -> bool {
    let mut c = s.chars();
    c.next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && c.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// `^[a-zA-Z_][a-zA-Z0-9_]*(\.[a-zA-Z_][a-zA-Z0-9_]*)*$`: `IOConstants.VALID_KEY_PATTERN`,
/// `constants/_component.py`, checked by `validate_pipeline_input_key_characters`
/// (`entities/_job/_input_output_helpers.py`). Dotted names are input groups.
///
/// ```
/// use pipeline_schema::names::is_port_name;
///
/// assert!(is_port_name("group.sub") && is_port_name("Data_1"));
/// assert!(!is_port_name("1x") && !is_port_name("a-b") && !is_port_name("a."));
/// ```
pub fn is_port_name(s: &str) -> bool {
    s.split('.').all(|part| {
        let mut c = part.chars();
        c.next().is_some_and(ident_start) && c.all(ident_rest)
    })
}

/// `^[a-zA-Z_]+[a-zA-Z0-9_]*$`, the same as one part of a port name:
/// `validate_key_contains_allowed_characters`, `entities/_job/_input_output_helpers.py`, for the
/// inputs and outputs of a standalone (command, sweep…) job.
///
/// ```
/// use pipeline_schema::names::is_job_io_key;
///
/// assert!(is_job_io_key("training_data"));
/// assert!(!is_job_io_key("group.sub") && !is_job_io_key("9lives"));
/// ```
pub fn is_job_io_key(s: &str) -> bool {
    let mut c = s.chars();
    c.next().is_some_and(ident_start) && c.all(ident_rest)
}

/// `^[A-Za-z0-9_-]*$` and at most 255 characters: `Output._validate` (in
/// `entities/_inputs_outputs/output.py`) and `NodeOutput` (`entities/_job/pipeline/_io/base.py`),
/// for an output's asset `name`.
///
/// ```
/// use pipeline_schema::names::is_asset_name;
///
/// assert!(is_asset_name("my-model_1") && is_asset_name(""));
/// assert!(!is_asset_name("a b"));
/// ```
pub fn is_asset_name(s: &str) -> bool {
    s.len() <= ASSET_NAME_MAX
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A name that follows the strictest rule here, [`is_component_name`] (and so also
/// [`is_node_name`], [`is_port_name`] and [`is_job_io_key`]), for a name that breaks one: lower
/// case, other characters as `_`, a leading `c` where it would not start with a letter.
///
/// ```
/// use pipeline_schema::names::{is_component_name, suggest};
///
/// assert_eq!(suggest("Bad-Name"), "bad_name");
/// assert_eq!(suggest("2x"), "c2x");
/// assert_eq!(suggest("_x"), "c_x");
/// assert!(is_component_name(&suggest("")));
/// ```
pub fn suggest(s: &str) -> String {
    let mut out = lowered(s);
    if !out.starts_with(|c: char| c.is_ascii_lowercase()) {
        out.insert(0, 'c');
    }
    out
}

/// A lower-case identifier for a node or port name that breaks its rule: other characters as
/// `_`, and `_` in front of a leading digit (an identifier may start with `_`).
///
/// ```
/// use pipeline_schema::names::{is_node_name, suggest_identifier};
///
/// assert_eq!(suggest_identifier("Train-Model"), "train_model");
/// assert_eq!(suggest_identifier("2x"), "_2x");
/// assert!(is_node_name(&suggest_identifier("")));
/// ```
pub fn suggest_identifier(s: &str) -> String {
    let mut out = lowered(s);
    if out.starts_with(|c: char| c.is_ascii_digit()) || out.is_empty() {
        out.insert(0, '_');
    }
    out
}

/// `s` in lower case, with every character but ASCII letters and digits as `_`.
fn lowered(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suggestion_follows_every_rule() {
        for s in ["Prep-Data", "2x", "_", "", "é", "a.b", "UPPER"] {
            let n = suggest(s);
            assert!(
                is_component_name(&n) && is_node_name(&n) && is_port_name(&n) && is_job_io_key(&n),
                "{s} -> {n}"
            );
        }
    }

    #[test]
    fn rules_differ_where_the_sdk_does() {
        // A node may start with `_`, a component may not.
        assert!(is_node_name("_a") && !is_component_name("_a"));
        // Ports take upper case and dots; job io keys no dots.
        assert!(is_port_name("A.b") && !is_job_io_key("A.b") && is_job_io_key("A"));
        assert!(!is_port_name("") && !is_job_io_key(""));
        assert!(is_asset_name(&"a".repeat(255)) && !is_asset_name(&"a".repeat(256)));
    }
}
