//! Chainable setters for building jobs and components in Rust rather than in YAML.

use crate::model::{
    CodeRef, CommandComponent, CommandNode, ComponentRef, Environment, InputSpec, JobInput,
    JobOutput, OutputSpec, ParallelComponent, ParallelNode, PipelineJob, PipelineNode,
    PipelineSettings, RunFunction, SourceDir, Template, Version, schema_url,
};
use crate::yaml::Mapping;
use std::path::PathBuf;

/// What every component that declares its own ports has: `input`, `output`, `relative_to`. Each
/// type gives the doc examples of its three setters (doc comments before each name).
macro_rules! port_setters {
    ($(
        $component:ty {
            $(#[$input_doc:meta])* input;
            $(#[$output_doc:meta])* output;
            $(#[$relative_to_doc:meta])* relative_to;
        }
    )*) => {
        $(
            impl $component {
                /// Declares an input.
                ///
                $(#[$input_doc])*
                pub fn input(mut self, name: impl Into<String>, spec: InputSpec) -> Self {
                    self.inputs
                        .get_or_insert_with(Default::default)
                        .insert(name.into(), spec);
                    self
                }

                /// Declares an output.
                ///
                $(#[$output_doc])*
                pub fn output(mut self, name: impl Into<String>, spec: OutputSpec) -> Self {
                    self.outputs
                        .get_or_insert_with(Default::default)
                        .insert(name.into(), spec);
                    self
                }

                /// Says which folder relative paths are relative to, so that `dump` can rewrite
                /// them.
                ///
                $(#[$relative_to_doc])*
                pub fn relative_to(mut self, dir: impl Into<PathBuf>) -> Self {
                    self.source_dir = SourceDir(Some(dir.into()));
                    self
                }
            }
        )*
    };
}

port_setters! {
    CommandComponent {
        /// ```
        /// use pipeline_core::{AssetType, CommandComponent, InputSpec, PortType};
        ///
        /// let c = CommandComponent::new("train", "python train.py --data ${{inputs.data}}")
        ///     .input("data", InputSpec::new(PortType::Asset(AssetType::UriFolder)));
        /// let inputs = c.inputs.as_ref().unwrap();
        /// assert_eq!(inputs["data"].kind, PortType::Asset(AssetType::UriFolder));
        /// assert!(!inputs["data"].is_optional());
        /// ```
        input;
        /// ```
        /// use pipeline_core::{AssetType, CommandComponent, OutputSpec, PortType, Yaml};
        ///
        /// let c = CommandComponent::new("train", "python train.py --model ${{outputs.model}}")
        ///     .output("model", OutputSpec::new(PortType::Asset(AssetType::MlflowModel)));
        /// assert!(c.to_yaml().contains("outputs:\n  model:\n    type: mlflow_model\n"));
        /// ```
        output;
        /// ```
        /// use pipeline_core::{CommandComponent, Yaml};
        ///
        /// let dir = std::env::temp_dir().join(format!("pipeline-doc-cc-{}", std::process::id()));
        /// let c = CommandComponent::new("train", "python train.py")
        ///     .code("./src")
        ///     .relative_to(dir.join("components/train"));
        /// std::fs::create_dir_all(&dir).unwrap();
        /// c.dump(&dir.join("train.yml")).unwrap();
        /// let yaml = std::fs::read_to_string(dir.join("train.yml")).unwrap();
        /// assert!(yaml.contains("code: ./components/train/src\n"));
        /// # std::fs::remove_dir_all(&dir).unwrap();
        /// ```
        relative_to;
    }
    ParallelComponent {
        /// ```
        /// use pipeline_core::{AssetType, InputSpec, ParallelComponent, PortType, RunFunction};
        ///
        /// let c = ParallelComponent::new("score", RunFunction::new("score.py"))
        ///     .input("data", InputSpec::new(PortType::Asset(AssetType::MlTable)));
        /// let inputs = c.inputs.as_ref().unwrap();
        /// assert_eq!(inputs["data"].kind.as_str(), "mltable");
        /// ```
        input;
        /// ```
        /// use pipeline_core::{AssetType, OutputSpec, ParallelComponent, PortType, RunFunction};
        /// use pipeline_core::Yaml;
        ///
        /// let c = ParallelComponent::new("score", RunFunction::new("score.py"))
        ///     .output("scores", OutputSpec::new(PortType::Asset(AssetType::UriFile)));
        /// assert!(c.to_yaml().contains("outputs:\n  scores:\n    type: uri_file\n"));
        /// ```
        output;
        /// ```
        /// use pipeline_core::{CodeRef, ParallelComponent, RunFunction, Yaml};
        ///
        /// let dir = std::env::temp_dir().join(format!("pipeline-doc-pc-{}", std::process::id()));
        /// let mut task = RunFunction::new("score.py");
        /// task.code = Some(CodeRef::parse("./src"));
        /// let c = ParallelComponent::new("score", task).relative_to(dir.join("components/score"));
        /// std::fs::create_dir_all(&dir).unwrap();
        /// c.dump(&dir.join("score.yml")).unwrap();
        /// let yaml = std::fs::read_to_string(dir.join("score.yml")).unwrap();
        /// assert!(yaml.contains("code: ./components/score/src\n"));
        /// # std::fs::remove_dir_all(&dir).unwrap();
        /// ```
        relative_to;
    }
}

impl CommandComponent {
    /// Sets the code folder (relative to [`CommandComponent::relative_to`]'s folder).
    ///
    /// ```
    /// use pipeline_core::{CodeRef, CommandComponent};
    ///
    /// let c = CommandComponent::new("prep", "python prep.py").code("./components/prep");
    /// assert_eq!(c.code, Some(CodeRef::Local("./components/prep".into())));
    /// let registered = CommandComponent::new("prep", "python prep.py").code("azureml:prep:3");
    /// assert!(matches!(registered.code, Some(CodeRef::Asset(_))));
    /// ```
    pub fn code(mut self, code: impl AsRef<str>) -> Self {
        self.code = Some(CodeRef::parse(code.as_ref()));
        self
    }

    /// Sets the environment.
    ///
    /// ```
    /// use pipeline_core::{CommandComponent, Environment, Yaml};
    ///
    /// let c = CommandComponent::new("train", "python train.py")
    ///     .environment(Environment::parse("azureml:AzureML-sklearn-1.0@latest"));
    /// assert!(matches!(c.environment, Some(Environment::Asset(_))));
    /// assert!(c.to_yaml().contains("environment: azureml:AzureML-sklearn-1.0@latest\n"));
    /// ```
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Some(environment);
        self
    }

    /// Sets the version.
    ///
    /// ```
    /// use pipeline_core::{CommandComponent, Yaml};
    ///
    /// let c = CommandComponent::new("train", "python train.py").version("1");
    /// assert_eq!(c.version.as_deref(), Some("1"));
    /// // Quoted, so that Azure ML reads a string rather than a number.
    /// assert!(c.to_yaml().contains("version: '1'\n"));
    /// ```
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = Some(Version::from(version.into()));
        self
    }

    /// Sets the description.
    ///
    /// ```
    /// use pipeline_core::CommandComponent;
    ///
    /// let c = CommandComponent::new("train", "python train.py")
    ///     .description("Trains a fare regression model.");
    /// assert_eq!(c.description.as_deref(), Some("Trains a fare regression model."));
    /// ```
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

impl CommandNode {
    /// Binds an input.
    ///
    /// ```
    /// use pipeline_core::{AssetRef, Binding, CommandNode, ComponentRef, JobInput, Literal};
    ///
    /// let train = ComponentRef::Asset(AssetRef::parse("azureml:train:1").unwrap());
    /// let node = CommandNode::new(train)
    ///     .input("data", Binding::job_output("prep", "train_data"))
    ///     .input("learning_rate", 0.01);
    /// let inputs = node.inputs.as_ref().unwrap();
    /// assert_eq!(inputs["data"], JobInput::Binding(Binding::job_output("prep", "train_data")));
    /// assert_eq!(inputs["learning_rate"], JobInput::Literal(Literal::Float(0.01)));
    /// ```
    pub fn input(mut self, name: impl Into<String>, value: impl Into<JobInput>) -> Self {
        self.inputs
            .get_or_insert_with(Default::default)
            .insert(name.into(), value.into());
        self
    }

    /// Configures an output.
    ///
    /// ```
    /// use pipeline_core::{AssetRef, Binding, CommandNode, ComponentRef, JobOutput};
    ///
    /// let train = ComponentRef::Asset(AssetRef::parse("azureml:train:1").unwrap());
    /// // Promotes the node's `model` output to the pipeline's `trained_model`.
    /// let node = CommandNode::new(train)
    ///     .output("model", JobOutput::Binding(Binding::ParentOutput("trained_model".into())));
    /// let model = &node.outputs.as_ref().unwrap()["model"];
    /// assert_eq!(model.binding().unwrap().to_string(), "${{parent.outputs.trained_model}}");
    /// ```
    pub fn output(mut self, name: impl Into<String>, value: JobOutput) -> Self {
        self.outputs
            .get_or_insert_with(Default::default)
            .insert(name.into(), value);
        self
    }

    /// Runs the node on this compute (`azureml:<name>`).
    ///
    /// ```
    /// use pipeline_core::{AssetRef, CommandNode, ComponentRef};
    ///
    /// let train = ComponentRef::Asset(AssetRef::parse("azureml:train:1").unwrap());
    /// let node = CommandNode::new(train).compute("azureml:gpu-cluster");
    /// assert_eq!(node.compute.unwrap().to_string(), "azureml:gpu-cluster");
    /// ```
    pub fn compute(mut self, compute: impl AsRef<str>) -> Self {
        self.compute = Some(Template::parse(compute.as_ref()));
        self
    }
}

impl PipelineJob {
    /// Declares a pipeline input with its value.
    ///
    /// ```
    /// use pipeline_core::{AssetType, DataPath, InputData, JobInput, PipelineJob, PortType, Yaml};
    ///
    /// let path = DataPath::parse("azureml:nyc_taxi_raw:1");
    /// let raw = InputData::new(PortType::Asset(AssetType::UriFolder), path);
    /// let job = PipelineJob::new().input("raw", raw).input("learning_rate", 0.01);
    /// assert!(matches!(job.inputs.as_ref().unwrap()["raw"], JobInput::Data(_)));
    /// assert!(job.to_yaml().contains("  learning_rate: 0.01\n"));
    /// ```
    pub fn input(mut self, name: impl Into<String>, value: impl Into<JobInput>) -> Self {
        self.inputs
            .get_or_insert_with(Default::default)
            .insert(name.into(), value.into());
        self
    }

    /// Declares a pipeline output.
    ///
    /// ```
    /// use pipeline_core::{AssetType, JobOutput, OutputData, PipelineJob, PortType, Yaml};
    ///
    /// let job = PipelineJob::new().output(
    ///     "trained_model",
    ///     JobOutput::Data(OutputData::new(PortType::Asset(AssetType::MlflowModel))),
    /// );
    /// assert!(job.to_yaml().contains("outputs:\n  trained_model:\n    type: mlflow_model\n"));
    /// ```
    pub fn output(mut self, name: impl Into<String>, value: JobOutput) -> Self {
        self.outputs
            .get_or_insert_with(Default::default)
            .insert(name.into(), value);
        self
    }

    /// Adds a node.
    ///
    /// ```
    /// use pipeline_core::{CommandComponent, CommandNode, ComponentRef, PipelineJob};
    ///
    /// let prep = CommandComponent::new("prep", "python prep.py");
    /// let job = PipelineJob::new().node("prep", CommandNode::new(ComponentRef::inline(prep)));
    /// let jobs = job.jobs.as_ref().unwrap();
    /// assert_eq!(jobs["prep"].kind(), "command");
    /// ```
    pub fn node(mut self, name: impl Into<String>, node: impl Into<PipelineNode>) -> Self {
        self.jobs
            .get_or_insert_with(Default::default)
            .insert(name.into(), node.into());
        self
    }

    /// Sets the settings.
    ///
    /// ```
    /// use pipeline_core::{PipelineJob, PipelineSettings, Yaml};
    ///
    /// let mut settings = PipelineSettings::new();
    /// settings.default_compute = Some("azureml:cpu-cluster".into());
    /// let job = PipelineJob::new().settings(settings);
    /// assert!(job.to_yaml().contains("settings:\n  default_compute: azureml:cpu-cluster\n"));
    /// ```
    pub fn settings(mut self, settings: PipelineSettings) -> Self {
        self.settings = Some(settings);
        self
    }

    /// Sets the display name.
    ///
    /// ```
    /// use pipeline_core::PipelineJob;
    ///
    /// let job = PipelineJob::new().display_name("NYC taxi fare regression");
    /// assert_eq!(job.display_name.as_deref(), Some("NYC taxi fare regression"));
    /// ```
    pub fn display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// Sets the experiment name.
    ///
    /// ```
    /// use pipeline_core::{PipelineJob, Yaml};
    ///
    /// let job = PipelineJob::new().experiment_name("nyc_taxi");
    /// assert!(job.to_yaml().contains("experiment_name: nyc_taxi\n"));
    /// ```
    pub fn experiment_name(mut self, name: impl Into<String>) -> Self {
        self.experiment_name = Some(name.into());
        self
    }

    /// Sets the description.
    ///
    /// ```
    /// use pipeline_core::PipelineJob;
    ///
    /// let job = PipelineJob::new().description("Trains and scores the NYC taxi model.");
    /// assert_eq!(job.description.as_deref(), Some("Trains and scores the NYC taxi model."));
    /// ```
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Says which folder relative paths are relative to, so that `dump` can rewrite them.
    ///
    /// ```
    /// use pipeline_core::{CommandComponent, CommandNode, ComponentRef, PipelineJob, Yaml};
    ///
    /// let dir = std::env::temp_dir().join(format!("pipeline-doc-pj-rel-{}", std::process::id()));
    /// let prep = CommandComponent::new("prep", "python prep.py").code("./prep");
    /// let job = PipelineJob::new()
    ///     .node("prep", CommandNode::new(ComponentRef::inline(prep)))
    ///     .relative_to(dir.join("jobs"));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// job.dump(&dir.join("pipeline.yml")).unwrap();
    /// let yaml = std::fs::read_to_string(dir.join("pipeline.yml")).unwrap();
    /// assert!(yaml.contains("code: ./jobs/prep\n"));
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// ```
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
    ///
    /// ```
    /// use pipeline_core::{ParallelComponent, RunFunction, Yaml};
    ///
    /// let c = ParallelComponent::new("score", RunFunction::new("score.py"));
    /// assert_eq!(c.name.as_deref(), Some("score"));
    /// let yaml = c.to_yaml();
    /// let schema = "https://azuremlschemas.azureedge.net/latest/parallelComponent.schema.json";
    /// assert!(yaml.starts_with(&format!("$schema: {schema}\ntype: parallel\n")));
    /// assert!(yaml.contains("task:\n  type: run_function\n  entry_script: score.py\n"));
    /// ```
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
    ///
    /// ```
    /// use pipeline_core::RunFunction;
    ///
    /// let task = RunFunction::new("batch_score.py");
    /// assert_eq!(task.entry_script.as_deref(), Some("batch_score.py"));
    /// assert!(task.code.is_none() && task.program_arguments.is_none());
    /// ```
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
    ///
    /// ```
    /// use pipeline_core::{AssetRef, ComponentRef, ParallelNode, PipelineNode};
    ///
    /// let score = ComponentRef::Asset(AssetRef::parse("azureml:batch_score@latest").unwrap());
    /// let node = ParallelNode::new(score);
    /// assert!(node.mini_batch_size.is_none());
    /// assert_eq!(PipelineNode::Parallel(Box::new(node)).kind(), "parallel");
    /// ```
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
    ///
    /// ```
    /// use pipeline_core::{CommandJob, Environment, Limits, Yaml};
    ///
    /// let env = Environment::parse("azureml:AzureML-sklearn-1.0@latest");
    /// let mut job = CommandJob::new("python train.py", env);
    /// job.limits = Some(Limits::timeout(3600));
    /// assert!(job.to_yaml().contains("limits:\n  timeout: 3600\n"));
    /// ```
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
    ///
    /// ```
    /// use pipeline_core::{CommandComponent, CommandJob, InputSpec, Literal, ParamType, PortType};
    ///
    /// let mut epochs = InputSpec::new(PortType::Param(ParamType::Integer));
    /// epochs.default = Some(Literal::Int(10));
    /// let train = CommandComponent::new("train", "python train.py --epochs ${{inputs.epochs}}")
    ///     .input("epochs", epochs);
    /// let job = CommandJob::from_component(&train);
    /// assert_eq!(job.display_name.as_deref(), Some("train"));
    /// assert_eq!(job.command, train.command);
    /// assert_eq!(job.inputs.unwrap()["epochs"], Literal::Int(10).into());
    /// ```
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
    ///
    /// ```
    /// use pipeline_core::{CommandJob, Environment, JobInput, Literal};
    ///
    /// let env = Environment::parse("azureml:AzureML-sklearn-1.0@latest");
    /// let job = CommandJob::new("python train.py --lr ${{inputs.lr}}", env).input("lr", 0.05);
    /// assert_eq!(job.inputs.unwrap()["lr"], JobInput::Literal(Literal::Float(0.05)));
    /// ```
    pub fn input(mut self, name: impl Into<String>, value: impl Into<JobInput>) -> Self {
        self.inputs
            .get_or_insert_with(Default::default)
            .insert(name.into(), value.into());
        self
    }

    /// Configures an output.
    ///
    /// ```
    /// use pipeline_core::{AssetType, CommandJob, Environment, JobOutput, Mode, OutputData};
    /// use pipeline_core::{PortType, Yaml};
    ///
    /// let mut model = OutputData::new(PortType::Asset(AssetType::UriFolder));
    /// model.mode = Some(Mode::Upload);
    /// let env = Environment::parse("azureml:AzureML-sklearn-1.0@latest");
    /// let job = CommandJob::new("python train.py --model ${{outputs.model}}", env)
    ///     .output("model", JobOutput::Data(model));
    /// assert!(job.to_yaml().contains("  model:\n    type: uri_folder\n    mode: upload\n"));
    /// ```
    pub fn output(mut self, name: impl Into<String>, value: JobOutput) -> Self {
        self.outputs
            .get_or_insert_with(Default::default)
            .insert(name.into(), value);
        self
    }

    /// Runs the job on this compute (`azureml:<name>`).
    ///
    /// ```
    /// use pipeline_core::{CommandJob, Environment, Yaml};
    ///
    /// let env = Environment::parse("azureml:AzureML-sklearn-1.0@latest");
    /// let job = CommandJob::new("python train.py", env).compute("azureml:cpu-cluster");
    /// assert!(job.to_yaml().contains("compute: azureml:cpu-cluster\n"));
    /// ```
    pub fn compute(mut self, compute: impl AsRef<str>) -> Self {
        self.compute = Some(Template::parse(compute.as_ref()));
        self
    }

    /// Files the job under this experiment.
    ///
    /// ```
    /// use pipeline_core::{CommandJob, Environment};
    ///
    /// let env = Environment::parse("azureml:AzureML-sklearn-1.0@latest");
    /// let job = CommandJob::new("python train.py", env).experiment_name("nyc_taxi");
    /// assert_eq!(job.experiment_name.as_deref(), Some("nyc_taxi"));
    /// ```
    pub fn experiment_name(mut self, name: impl Into<String>) -> Self {
        self.experiment_name = Some(name.into());
        self
    }
}
