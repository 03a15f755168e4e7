//! Typed Azure Machine Learning pipelines in Rust.
//!
//! Components and pipelines are annotated functions; the compiler checks how they are wired, and
//! the pipeline job they build is emitted as the YAML `az ml job create --file` submits:
//!
//! ```
//! use pipeline::prelude::*;
//!
//! /// Splits raw trips into train and test sets.
//! #[component(
//!     environment = "azureml:AzureML-sklearn-1.0@latest",
//!     code = "prep",
//!     command = "python prep.py --raw ${{inputs.raw}} --train ${{outputs.train}}",
//! )]
//! fn prep(raw: Input<UriFolder>, train: Output<UriFolder>) {}
//!
//! #[component(
//!     environment = "azureml:AzureML-sklearn-1.0@latest",
//!     code = "train",
//!     command = "python train.py --data ${{inputs.data}} --lr ${{inputs.lr}} --model ${{outputs.model}}",
//! )]
//! fn train(
//!     data: Input<UriFolder>,
//!     #[input(default = 0.01, min = 0.0, max = 1.0)] lr: f64,
//!     model: Output<MlflowModel>,
//! ) {}
//!
//! /// Taxi fares.
//! #[pipeline(default_compute = "azureml:cpu-cluster")]
//! fn taxi(#[input(default = "azureml:taxi_raw:1")] raw: Input<UriFolder>, lr: f64) -> Output<MlflowModel> {
//!     let cleaned = prep(raw); // the node "cleaned"
//!     let trained = train(cleaned.outputs.train).lr(lr);
//!     trained.outputs.model
//! }
//!
//! let yaml = taxi::job().to_yaml();
//! assert!(yaml.contains("  cleaned:\n"));
//! assert!(yaml.contains("data: ${{parent.jobs.cleaned.outputs.train}}"));
//! ```
#![warn(missing_docs)]

pub use pipeline_core::*;
pub use pipeline_macros::{PipelineOutputs, component, pipeline};

/// What pipeline definitions use: the attributes, the port types, and emitting.
///
/// ```
/// use pipeline::prelude::*;
///
/// #[component(environment = "azureml:AzureML-sklearn-1.0@latest",
///             command = "python prep.py --raw ${{inputs.raw}} --clean ${{outputs.clean}}")]
/// fn prep(raw: Input<UriFolder>, clean: Output<UriFolder>) {}
///
/// #[pipeline]
/// fn cleaning(raw: Input<UriFolder>) -> Output<UriFolder> {
///     let cleaned = prep(raw).compute("azureml:cpu-cluster"); // a `NodeSettings` method
///     cleaned.outputs.clean.mode(Mode::Upload)
/// }
/// let defined: Definition = cleaning::definition(); // what `pipeline_cli::main` takes
/// assert_eq!(defined.name(), "cleaning");
/// assert!(cleaning::job().to_yaml().contains("    mode: upload\n")); // `Yaml::to_yaml`
/// ```
pub mod prelude {
    pub use pipeline_core::Mode;
    pub use pipeline_core::Yaml;
    pub use pipeline_core::dsl::{
        CustomModel, Definition, Input, MlTable, MlflowModel, NodeSettings, Output, Param,
        PipelineOutputs, TritonModel, UriFile, UriFolder,
    };
    pub use pipeline_macros::{PipelineOutputs, component, pipeline};
}

/// What the attributes' generated code names. Not for direct use: it changes without notice.
#[doc(hidden)]
pub mod __private {
    pub use pipeline_core::dsl::*;
    pub use pipeline_core::{
        CodeRef, CommandComponent, Environment, InputSpec, JobOutput, Limits, Literal,
        LoggingLevel, Mode, OutputSpec, ParallelComponent, PipelineComponent, PipelineJob,
        PipelineSettings, PortType, RunFunction, Template, Version,
    };
    pub use std::string::String;
    pub use std::vec::Vec;
}
