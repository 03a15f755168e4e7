//! Azure ML's rules, in one place: what the `azure-ai-ml` SDK accepts, read from its own source.
//!
//! - [`names`]: the name patterns (component, node, port, job io key, output asset name).
//! - [`enums`]: every enum field of the SDK's schemas, its values and how the SDK compares them.
//! - [`keys`]: the keys each schema (document, node, nested setting) takes.
//! - [`binding`]: the `${{…}}` / `$[[…]]` grammar.
//! - [`compat`]: which asset type may feed which input type, and why.
//! - [`kinds`]: the `type`s each loader takes (jobs, components, computes, nodes).
//!
//! The tables of [`enums`] and [`keys`] are generated from the SDK ([`SDK_VERSION`]) by
//! `scripts/gen_schema.sh`; the rest is written by hand, each part naming the SDK source it
//! mirrors. The crate has no dependencies: the proc macros and the core share it.
//!
//! ```
//! use pipeline_schema::{SDK_VERSION, enums, names};
//!
//! assert!(names::is_component_name("train_model"));
//! // The SDK compares distribution types ignoring case, and answers in its own spelling.
//! assert_eq!(enums::PY_TORCH_DISTRIBUTION_TYPE.matches("PyTorch"), Some("pytorch"));
//! assert!(!SDK_VERSION.is_empty());
//! ```

#![warn(missing_docs)]

pub mod binding;
pub mod compat;
pub mod enums;
mod generated;
pub mod keys;
pub mod kinds;
pub mod names;

/// The azure-ai-ml version the generated tables were read from.
///
/// ```
/// assert_eq!(pipeline_schema::SDK_VERSION.split('.').count(), 3);
/// ```
pub const SDK_VERSION: &str = generated::SDK_VERSION;
