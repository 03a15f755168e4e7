//! Typed Azure Machine Learning pipelines in Rust.
pub use pipeline_core::*;
