//! Types that mirror Azure ML's YAML schemas, named after the SDK's classes.
//!
//! ```
//! use pipeline_core::model::{
//!     AssetType, CommandComponent, CommandNode, ComponentRef, InputSpec, PipelineJob, PortType,
//! };
//! use pipeline_core::Yaml;
//!
//! let prep = CommandComponent::new("prep", "python prep.py --raw ${{inputs.raw}}")
//!     .input("raw", InputSpec::new(PortType::Asset(AssetType::UriFolder)));
//! let job = PipelineJob::new()
//!     .experiment_name("nyc_taxi")
//!     .node("prep", CommandNode::new(ComponentRef::inline(prep)));
//! assert!(job.to_yaml().contains("jobs:\n  prep:\n    type: command\n"));
//! ```

mod asset;
mod binding;
mod builders;
mod component;
mod compute;
mod environment;
mod job;
mod literal;
mod node;
mod opaque;
mod port_type;
mod ports;
mod runtime;
mod status;
mod version;

use std::path::{Path, PathBuf};

pub use asset::{AssetRef, DataPath};
pub use binding::{Binding, Segment, Template};
pub use component::{
    CommandComponent, Component, ComponentRef, LoggingLevel, MiniBatchSize, ParallelComponent,
    PipelineComponent, RetrySettings, RunFunction, SizeUnit, schema_url,
};
pub use compute::{
    AmlCompute, AmlComputeSshSettings, AssignedUser, Compute, ComputeInstance,
    ComputeInstanceSshSettings, NetworkSettings, ProvisioningConfiguration, ProvisioningError,
};
pub use environment::{BuildContext, CodeRef, CondaFile, Environment, InlineEnvironment};
pub use job::{CommandJob, Job, PipelineJob, PipelineSettings};
pub use literal::Literal;
pub use node::{CommandNode, ParallelNode, PipelineComponentNode, PipelineNode};
pub use opaque::Opaque;
pub use port_type::{AssetType, Mode, ParamType, PortType};
pub use ports::{InputData, InputSpec, JobInput, JobOutput, OutputData, OutputSpec};
pub use runtime::{
    Distribution, Identity, IdentityType, JobService, JobTier, Limits, MpiDistribution, Priority,
    PyTorchDistribution, QueueSettings, RayDistribution, Resources, ServiceType,
    TensorFlowDistribution,
};
pub use status::{JobStatus, UnknownStatus};
pub use version::Version;

/// The folder that a model's relative paths (`code`, `path`, `conda_file`, component files) are
/// relative to: the YAML file's folder once loaded. It is not part of the model's value: two
/// models read from different folders compare equal when their YAML does.
///
/// ```
/// use pipeline_core::CommandComponent;
///
/// let a = CommandComponent::new("prep", "python prep.py").relative_to("components/prep");
/// let b = CommandComponent::new("prep", "python prep.py").relative_to("/elsewhere");
/// assert_ne!(a.source_dir.get(), b.source_dir.get());
/// assert_eq!(a, b);
/// ```
#[derive(Debug, Clone, Default)]
pub struct SourceDir(pub Option<PathBuf>);

impl SourceDir {
    /// The folder, when known.
    ///
    /// ```
    /// use std::path::Path;
    /// use pipeline_core::{SourceDir, job_from_str, Job};
    ///
    /// assert_eq!(SourceDir(Some("jobs/nyc_taxi".into())).get(), Some(Path::new("jobs/nyc_taxi")));
    /// // Text read from memory has no folder.
    /// let Job::Command(job) = job_from_str("command: echo hi").unwrap() else { panic!() };
    /// assert_eq!(job.source_dir.get(), None);
    /// ```
    pub fn get(&self) -> Option<&Path> {
        self.0.as_deref()
    }
}

impl PartialEq for SourceDir {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
