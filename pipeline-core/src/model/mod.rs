//! Types that mirror Azure ML's YAML schemas, named after the SDK's classes.

mod binding;
mod builders;
mod common;
mod component;
mod compute;
mod job;
mod node;
mod ports;
mod status;

use std::path::{Path, PathBuf};

pub use binding::{Binding, Segment, Template};
pub use common::{
    AssetRef, AssetType, BuildContext, CodeRef, CondaFile, DataPath, Distribution, Environment,
    Identity, IdentityType, InlineEnvironment, JobService, JobTier, Limits, Literal, Mode,
    MpiDistribution, Opaque, ParamType, PortType, Priority, PyTorchDistribution, QueueSettings,
    RayDistribution, Resources, ServiceType, TensorFlowDistribution,
};
pub use component::{
    CommandComponent, Component, ComponentRef, LoggingLevel, MiniBatchSize, ParallelComponent,
    PipelineComponent, RetrySettings, RunFunction, SizeUnit, schema_url,
};
pub use compute::{
    AmlCompute, AmlComputeSshSettings, AssignedUser, Compute, ComputeInstance,
    ComputeInstanceSshSettings, NetworkSettings, ProvisioningConfiguration, ProvisioningError,
};
pub use job::{CommandJob, Job, PipelineJob, PipelineSettings};
pub use node::{CommandNode, ParallelNode, PipelineComponentNode, PipelineNode};
pub use ports::{InputData, InputSpec, JobInput, JobOutput, OutputData, OutputSpec};
pub use status::{JobStatus, UnknownStatus};

/// The folder that a model's relative paths (`code`, `path`, `conda_file`, component files) are
/// relative to: the YAML file's folder once loaded. It is not part of the model's value: two
/// models read from different folders compare equal when their YAML does.
#[derive(Debug, Clone, Default)]
pub struct SourceDir(pub Option<PathBuf>);

impl SourceDir {
    /// The folder, when known.
    pub fn get(&self) -> Option<&Path> {
        self.0.as_deref()
    }
}

impl PartialEq for SourceDir {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
