//! Every enum field of the SDK's schemas (`StringTransformedEnum`, `_schema/core/fields.py`): its
//! values as the SDK lists them and how it compares a value with them.
//!
//! The SDK compares `casing_transform(value)` with the transformed allowed values; the default
//! transform is `str.lower` (the comparison ignores case), and some fields pass another
//! (identity, `camel_to_snake`). Which one each field uses was found by running it, by
//! `scripts/gen_schema.py`: see [`Casing`].
//!
//! ```
//! use pipeline_schema::enums::{self, Casing};
//!
//! // `logging_level` is compared as written…
//! assert_eq!(enums::PARALLEL_COMPONENT_LOGGING_LEVEL.casing, Casing::Exact);
//! assert_eq!(enums::PARALLEL_COMPONENT_LOGGING_LEVEL.matches("info"), None);
//! // …an input's mode ignoring case…
//! assert_eq!(enums::DATA_INPUT_MODE.matches("RO_MOUNT"), Some("ro_mount"));
//! // …and an identity's type through camel_to_snake.
//! assert_eq!(enums::USER_IDENTITY_TYPE.matches("user_identity"), Some("UserIdentity"));
//! assert_eq!(enums::field("UserIdentitySchema", "type"), Some(&enums::USER_IDENTITY_TYPE));
//! ```

pub use crate::generated::enums::*;

/// How the SDK compares a value with an enum field's allowed values.
///
/// ```
/// use pipeline_schema::enums::Casing;
///
/// assert!(Casing::IgnoreCase.same("Mount", "mount"));
/// assert!(!Casing::Exact.same("Mount", "mount"));
/// assert!(Casing::CamelToSnake.same("ManagedIdentity", "managed_identity"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Casing {
    /// As written (`casing_transform=lambda x: x`).
    Exact,
    /// Ignoring ASCII case (the default `str.lower`, or `str.upper`).
    IgnoreCase,
    /// After `camel_to_snake` (`azure/ai/ml/_utils/utils.py`): `UserIdentity` = `user_identity`.
    CamelToSnake,
}

impl Casing {
    /// The value the SDK compares (its `casing_transform(value)`).
    ///
    /// ```
    /// use pipeline_schema::enums::Casing;
    ///
    /// assert_eq!(Casing::CamelToSnake.transform("TruncationSelection"), "truncation_selection");
    /// assert_eq!(Casing::IgnoreCase.transform("DEBUG"), "debug");
    /// ```
    pub fn transform(self, value: &str) -> String {
        match self {
            Casing::Exact => value.to_owned(),
            Casing::IgnoreCase => value.to_ascii_lowercase(),
            Casing::CamelToSnake => camel_to_snake(value),
        }
    }

    /// Whether the SDK takes `a` and `b` for the same value.
    ///
    /// ```
    /// use pipeline_schema::enums::Casing;
    ///
    /// assert!(Casing::IgnoreCase.same("PyTorch", "pytorch"));
    /// ```
    pub fn same(self, a: &str, b: &str) -> bool {
        match self {
            Casing::Exact => a == b,
            Casing::IgnoreCase => a.eq_ignore_ascii_case(b),
            Casing::CamelToSnake => camel_to_snake(a) == camel_to_snake(b),
        }
    }
}

/// One `StringTransformedEnum` field of an SDK schema.
///
/// ```
/// use pipeline_schema::enums::{Casing, QUEUE_SETTINGS_PRIORITY};
///
/// assert_eq!(QUEUE_SETTINGS_PRIORITY.schema, "QueueSettingsSchema");
/// assert_eq!(QUEUE_SETTINGS_PRIORITY.values, ["low", "medium", "high"]);
/// assert_eq!(QUEUE_SETTINGS_PRIORITY.casing, Casing::IgnoreCase);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnumField {
    /// The SDK schema class.
    pub schema: &'static str,
    /// The key (`data_key or name`).
    pub field: &'static str,
    /// The allowed values as the SDK lists them (before its transform; repeats kept).
    pub values: &'static [&'static str],
    /// How a value is compared with them.
    pub casing: Casing,
    /// The SDK keeps the value as written (`pass_original=True`) instead of transforming it.
    pub pass_original: bool,
}

impl EnumField {
    /// The allowed value `value` stands for, as the SDK lists it, or `None` when the SDK rejects
    /// it.
    ///
    /// ```
    /// use pipeline_schema::enums::{SWEEP_OBJECTIVE_GOAL, TENSOR_FLOW_DISTRIBUTION_TYPE};
    ///
    /// assert_eq!(TENSOR_FLOW_DISTRIBUTION_TYPE.matches("TensorFlow"), Some("tensorflow"));
    /// assert_eq!(SWEEP_OBJECTIVE_GOAL.matches("maximize"), Some("Maximize"));
    /// assert_eq!(SWEEP_OBJECTIVE_GOAL.matches("max"), None);
    /// ```
    pub fn matches(&self, value: &str) -> Option<&'static str> {
        let values: &'static [&'static str] = self.values;
        values.iter().copied().find(|v| self.casing.same(value, v))
    }

    /// The allowed values without repeats, each in backticks (a value may hold a comma), for
    /// messages.
    ///
    /// ```
    /// use pipeline_schema::enums::{IDENTITY_TYPE, QUEUE_SETTINGS_PRIORITY};
    ///
    /// assert_eq!(QUEUE_SETTINGS_PRIORITY.listed(), "`low`, `medium`, `high`");
    /// assert!(IDENTITY_TYPE.listed().ends_with("`SystemAssigned, UserAssigned`"));
    /// ```
    pub fn listed(&self) -> String {
        let mut out: Vec<String> = Vec::new();
        for v in self.values {
            let quoted = format!("`{v}`");
            if !out.contains(&quoted) {
                out.push(quoted);
            }
        }
        out.join(", ")
    }
}

/// The enum field `field` of the SDK schema class `schema` (the first, when a union holds two).
///
/// ```
/// use pipeline_schema::enums::{self, field};
///
/// assert_eq!(field("OutputSchema", "mode"), Some(&enums::OUTPUT_MODE));
/// assert_eq!(field("OutputSchema", "path"), None);
/// ```
pub fn field(schema: &str, field: &str) -> Option<&'static EnumField> {
    ENUM_FIELDS
        .iter()
        .find(|e| e.schema == schema && e.field == field)
}

/// The SDK's `camel_to_snake` (`azure/ai/ml/_utils/utils.py`): each comma-separated part (trimmed)
/// through `re.sub("(.)([A-Z][a-z]+)", r"\1_\2")`, then `re.sub("([a-z0-9])([A-Z])", r"\1_\2")`,
/// then `lower()`; an empty string stays empty. Held to the SDK by [`CAMEL_TO_SNAKE_PROBES`].
///
/// ```
/// use pipeline_schema::enums::camel_to_snake;
///
/// assert_eq!(camel_to_snake("MedianStopping"), "median_stopping");
/// assert_eq!(camel_to_snake("HTTPServer"), "http_server");
/// assert_eq!(camel_to_snake("a,B c"), "a,b c");
/// ```
pub fn camel_to_snake(text: &str) -> String {
    if text.contains(',') {
        text.split(',')
            .map(|part| convert(part.trim_matches(is_python_space)))
            .collect::<Vec<_>>()
            .join(",")
    } else {
        convert(text)
    }
}

/// Python's `str.strip()` set, for the ASCII range the enum values live in, plus the rest of
/// Unicode's white space.
fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// One part: the two substitutions, then lower case (Python's `str.lower`, which is Unicode's).
fn convert(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    // `(.)([A-Z][a-z]+)`: scanning left to right, matches do not overlap; `.` is any but `\n`.
    let mut first = String::new();
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i] != '\n'
            && chars.get(i + 1).is_some_and(|c| c.is_ascii_uppercase())
            && chars.get(i + 2).is_some_and(|c| c.is_ascii_lowercase());
        if starts {
            let mut end = i + 3;
            while chars.get(end).is_some_and(|c| c.is_ascii_lowercase()) {
                end += 1;
            }
            first.push(chars[i]);
            first.push('_');
            first.extend(&chars[i + 1..end]);
            i = end;
        } else {
            first.push(chars[i]);
            i += 1;
        }
    }
    // `([a-z0-9])([A-Z])`: the same scan over the first result.
    let chars: Vec<char> = first.chars().collect();
    let mut second = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if (c.is_ascii_lowercase() || c.is_ascii_digit())
            && chars.get(i + 1).is_some_and(|n| n.is_ascii_uppercase())
        {
            second.push(c);
            second.push('_');
            second.push(chars[i + 1]);
            i += 2;
        } else {
            second.push(c);
            i += 1;
        }
    }
    second.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_to_snake_is_the_sdks() {
        for (input, output) in CAMEL_TO_SNAKE_PROBES {
            assert_eq!(camel_to_snake(input), *output, "{input:?}");
        }
    }

    #[test]
    fn every_listed_value_matches_itself_in_every_casing_the_sdk_allows() {
        for e in ENUM_FIELDS {
            for v in e.values {
                assert!(e.matches(v).is_some(), "{}.{} {v}", e.schema, e.field);
                if e.casing == Casing::IgnoreCase {
                    assert!(e.matches(&v.to_ascii_uppercase()).is_some());
                }
            }
        }
    }

    #[test]
    fn the_enums_the_dsl_and_validation_use() {
        assert_eq!(
            PARALLEL_COMPONENT_LOGGING_LEVEL.values,
            ["DEBUG", "INFO", "WARNING"]
        );
        assert_eq!(MPI_DISTRIBUTION_TYPE.matches("MPI"), Some("mpi"));
        assert_eq!(RAY_DISTRIBUTION_TYPE.matches("Ray"), Some("ray"));
        assert_eq!(MANAGED_IDENTITY_TYPE.matches("managed"), Some("Managed"));
        assert_eq!(
            AML_TOKEN_IDENTITY_TYPE.matches("aml_token"),
            Some("AMLToken")
        );
        assert_eq!(OUTPUT_MODE.matches("Upload"), Some("upload"));
        assert_eq!(DATA_INPUT_MODE.matches("rw_mount"), None);
        assert_eq!(INPUT_PORT_MODE.matches("RO_MOUNT"), None);
        assert_eq!(QUEUE_SETTINGS_JOB_TIER.matches("Spot"), Some("spot"));
        assert_eq!(SWEEP_SAMPLING_ALGORITHM.matches("random"), Some("Random"));
        assert_eq!(BANDIT_POLICY_TYPE.matches("bandit"), Some("Bandit"));
    }
}
