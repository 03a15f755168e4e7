//! Chainable setters for building jobs and components in Rust rather than in YAML.

use crate::model::{
    CodeRef, CommandComponent, CommandNode, ComponentRef, Environment, InputSpec, JobInput,
    JobOutput, OutputSpec, ParallelComponent, ParallelNode, PipelineJob, PipelineNode,
    PipelineSettings, RunFunction, SourceDir, Template, schema_url,
};
use crate::yaml::Mapping;
use std::path::PathBuf;

/// What every component that declares its own ports has: `input`, `output`, `relative_to`.
macro_rules! port_setters {
    ($($component:ty),*) => {
        $(
            impl $component {
                /// Declares an input.
                pub fn input(mut self, name: impl Into<String>, spec: InputSpec) -> Self {
                    self.inputs
                        .get_or_insert_with(Default::default)
                        .insert(name.into(), spec);
                    self
                }

                /// Declares an output.
                pub fn output(mut self, name: impl Into<String>, spec: OutputSpec) -> Self {
                    self.outputs
                        .get_or_insert_with(Default::default)
                        .insert(name.into(), spec);
                    self
                }

                /// Says which folder relative paths are relative to, so that `dump` can rewrite
                /// them.
                pub fn relative_to(mut self, dir: impl Into<PathBuf>) -> Self {
                    self.source_dir = SourceDir(Some(dir.into()));
                    self
                }
            }
        )*
    };
}

port_setters!(CommandComponent, ParallelComponent);

impl CommandComponent {
    /// Sets the code folder (relative to [`CommandComponent::relative_to`]'s folder).
    pub fn code(mut self, code: impl AsRef<str>) -> Self {
        self.code = Some(CodeRef::parse(code.as_ref()));
        self
    }

    /// Sets the environment.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Some(environment);
        self
    }

    /// Sets the version.
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = Some(version.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

impl CommandNode {
    /// Binds an input.
    pub fn input(mut self, name: impl Into<String>, value: impl Into<JobInput>) -> Self {
        self.inputs
            .get_or_insert_with(Default::default)
            .insert(name.into(), value.into());
        self
    }

    /// Configures an output.
    pub fn output(mut self, name: impl Into<String>, value: JobOutput) -> Self {
        self.outputs
            .get_or_insert_with(Default::default)
            .insert(name.into(), value);
        self
    }

    /// Runs the node on this compute (`azureml:<name>`).
    pub fn compute(mut self, compute: impl AsRef<str>) -> Self {
        self.compute = Some(Template::parse(compute.as_ref()));
        self
    }
}

impl PipelineJob {
    /// Declares a pipeline input with its value.
    pub fn input(mut self, name: impl Into<String>, value: impl Into<JobInput>) -> Self {
        self.inputs
            .get_or_insert_with(Default::default)
            .insert(name.into(), value.into());
        self
    }

    /// Declares a pipeline output.
    pub fn output(mut self, name: impl Into<String>, value: JobOutput) -> Self {
        self.outputs
            .get_or_insert_with(Default::default)
            .insert(name.into(), value);
        self
    }

    /// Adds a node.
    pub fn node(mut self, name: impl Into<String>, node: impl Into<PipelineNode>) -> Self {
        self.jobs
            .get_or_insert_with(Default::default)
            .insert(name.into(), node.into());
        self
    }

    /// Sets the settings.
    pub fn settings(mut self, settings: PipelineSettings) -> Self {
        self.settings = Some(settings);
        self
    }

    /// Sets the display name.
    pub fn display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// Sets the experiment name.
    pub fn experiment_name(mut self, name: impl Into<String>) -> Self {
        self.experiment_name = Some(name.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Says which folder relative paths are relative to, so that `dump` can rewrite them.
    pub fn relative_to(mut self, dir: impl Into<PathBuf>) -> Self {
        self.source_dir = SourceDir(Some(dir.into()));
        self
    }
}

impl From<CommandNode> for PipelineNode {
    fn from(n: CommandNode) -> Self {
        PipelineNode::Command(Box::new(n))
    }
}

impl ParallelComponent {
    /// A parallel component running `task`, with the `$schema` set.
    pub fn new(name: impl Into<String>, task: RunFunction) -> Self {
        ParallelComponent {
            schema: Some(schema_url("parallelComponent")),
            name: Some(name.into()),
            version: None,
            display_name: None,
            description: None,
            tags: None,
            is_deterministic: None,
            inputs: None,
            outputs: None,
            resources: None,
            mini_batch_size: None,
            partition_keys: None,
            input_data: None,
            max_concurrency_per_instance: None,
            error_threshold: None,
            mini_batch_error_threshold: None,
            retry_settings: None,
            logging_level: None,
            task: Some(Box::new(task)),
            environment_variables: None,
            extra: Mapping::new(),
            source_dir: SourceDir::default(),
        }
    }
}

impl RunFunction {
    /// A task calling `init()` and `run(mini_batch)` in `entry_script`.
    pub fn new(entry_script: impl Into<String>) -> Self {
        RunFunction {
            code: None,
            entry_script: Some(entry_script.into()),
            program_arguments: None,
            model: None,
            append_row_to: None,
            environment: None,
            environment_variables: None,
            extra: Mapping::new(),
        }
    }
}

impl ParallelNode {
    /// A node running this parallel component.
    pub fn new(component: ComponentRef) -> Self {
        ParallelNode {
            component: Some(component),
            display_name: None,
            description: None,
            tags: None,
            compute: None,
            inputs: None,
            outputs: None,
            resources: None,
            mini_batch_size: None,
            partition_keys: None,
            input_data: None,
            max_concurrency_per_instance: None,
            error_threshold: None,
            mini_batch_error_threshold: None,
            retry_settings: None,
            logging_level: None,
            task: None,
            environment_variables: None,
            identity: None,
            extra: Mapping::new(),
        }
    }
}

impl crate::model::Limits {
    /// A job cancelled after `seconds`.
    pub fn timeout(seconds: u64) -> Self {
        crate::model::Limits {
            timeout: Some(seconds),
            extra: Mapping::new(),
        }
    }
}

impl crate::model::CommandJob {
    /// A job running a command component once, on its own (the SDK's `command(...)`): its
    /// command, code, environment and settings; bind its inputs with
    /// [`CommandJob::input`](crate::model::CommandJob::input).
    pub fn from_component(component: &CommandComponent) -> Self {
        let c = component;
        let mut job = crate::model::CommandJob::new(
            c.command
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            c.environment
                .clone()
                .unwrap_or(Environment::Named(String::new())),
        );
        job.environment = c.environment.clone();
        job.display_name = c.display_name.clone().or_else(|| c.name.clone());
        job.description = c.description.clone();
        job.tags = c.tags.clone();
        job.code = c.code.clone();
        job.environment_variables = c.environment_variables.clone();
        job.resources = c.resources.clone();
        job.limits = c.limits.clone();
        job.distribution = c.distribution.clone();
        job.source_dir = c.source_dir.clone();
        // Outputs as the component declares them; parameters with a default, at that default.
        for (name, spec) in c.outputs.iter().flatten() {
            let mut data = crate::model::OutputData::new(spec.kind);
            data.mode = spec.mode;
            job = job.output(name.clone(), JobOutput::Data(data));
        }
        for (name, spec) in c.inputs.iter().flatten() {
            if let Some(default) = &spec.default {
                job = job.input(name.clone(), JobInput::Literal(default.clone()));
            }
        }
        job
    }

    /// Gives an input its value.
    pub fn input(mut self, name: impl Into<String>, value: impl Into<JobInput>) -> Self {
        self.inputs
            .get_or_insert_with(Default::default)
            .insert(name.into(), value.into());
        self
    }

    /// Configures an output.
    pub fn output(mut self, name: impl Into<String>, value: JobOutput) -> Self {
        self.outputs
            .get_or_insert_with(Default::default)
            .insert(name.into(), value);
        self
    }

    /// Runs the job on this compute (`azureml:<name>`).
    pub fn compute(mut self, compute: impl AsRef<str>) -> Self {
        self.compute = Some(Template::parse(compute.as_ref()));
        self
    }

    /// Files the job under this experiment.
    pub fn experiment_name(mut self, name: impl Into<String>) -> Self {
        self.experiment_name = Some(name.into());
        self
    }
}
