//! The model of Azure Machine Learning pipelines, jobs, components and computes, read from and
//! written to the YAML that `az ml job create --file` takes, without losing anything.
//!
//! ```
//! use pipeline_core::{job_from_str, Job, Yaml};
//!
//! let job = job_from_str("
//! type: pipeline
//! settings: {default_compute: azureml:cpu-cluster}
//! jobs:
//!   hello: {command: echo hi, environment: azureml:AzureML-sklearn-1.0@latest}
//! ").unwrap();
//! let Job::Pipeline(pipeline) = &job else { panic!() };
//! assert_eq!(pipeline.jobs.as_ref().unwrap().len(), 1);
//! assert!(job.to_yaml().starts_with("type: pipeline\n"));
//! ```

#![warn(missing_docs)]

mod classify;
mod codes;
mod convert;
pub mod dsl;
mod dump;
mod error;
mod files;
pub mod graph;
mod load;
pub mod model;
mod parallel;
pub mod run;
#[cfg(feature = "serde")]
mod serde_impl;
mod shell;
mod stream;
pub mod validate;
pub mod yaml;

pub use codes::{Code, Severity};
pub use dump::{Dest, Yaml, relative_path};
pub use error::{Diagnostic, Error};
pub use load::{
    Document, DocumentKind, classify, component_from_str, compute_from_str, job_from_str, load,
    load_component, load_compute, load_job, load_str,
};
pub use model::*;
/// Azure ML's rules as the SDK states them (names, enums, keys, the `${{…}}` grammar, which asset
/// type may feed which): the `pipeline-schema` crate, which the model, validation and the DSL read.
///
/// ```
/// assert!(pipeline_core::schema::names::is_node_name("train"));
/// ```
pub use pipeline_schema as schema;
