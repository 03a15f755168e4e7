//! A pipeline defined in Rust, as a job to submit or as a component to nest in another.

use std::path::Path;

use indexmap::IndexMap;

use super::building::Built;
use crate::load::Document;
use crate::model::{
    InputSpec, Job, JobInput, JobOutput, OutputSpec, PipelineComponent, PipelineJob,
    PipelineSettings, PortType, SourceDir, schema_url,
};

/// What a `#[pipeline]` function's body built, with what its attribute says: `my_pipeline::parts()`
/// gives it, and [`PipelineParts::job`] and [`PipelineParts::component`] make it a job or a
/// component (as `my_pipeline::job()` and `my_pipeline::component()` do).
///
/// ```
/// use pipeline_core::dsl::{PipelineParts, build};
///
/// let (built, outputs) = build(Vec::new);
/// let parts = PipelineParts {
///     name: "empty",
///     display_name: "empty",
///     description: None,
///     experiment_name: None,
///     tags: Vec::new(),
///     settings: None,
///     inputs: Vec::new(),
///     outputs,
///     built,
///     dir: ".",
/// };
/// assert_eq!(parts.job().display_name.as_deref(), Some("empty"));
/// ```
pub struct PipelineParts {
    /// Its name (the function's, or `name = "…"`).
    pub name: &'static str,
    /// `display_name`, else the name.
    pub display_name: &'static str,
    /// The doc comment.
    pub description: Option<&'static str>,
    /// `experiment_name`.
    pub experiment_name: Option<&'static str>,
    /// `tags`.
    pub tags: Vec<(&'static str, &'static str)>,
    /// The settings, if any was given.
    pub settings: Option<PipelineSettings>,
    /// Each input: its name, its value in a job, its declaration in a component.
    pub inputs: Vec<(&'static str, JobInput, InputSpec)>,
    /// Each output: its name and declaration.
    pub outputs: Vec<(&'static str, JobOutput)>,
    /// The nodes.
    pub built: Built,
    /// The folder relative paths are relative to: the defining crate's.
    pub dir: &'static str,
}

impl PipelineParts {
    /// The pipeline job.
    ///
    /// ```
    /// # use pipeline_core::dsl::{Input, PipelineInput, PipelineParts, UriFolder, build};
    /// # fn taxi() -> PipelineParts {
    /// #     let (built, outputs) = build(Vec::new);
    /// #     PipelineParts {
    /// #         name: "taxi",
    /// #         display_name: "NYC taxi fares",
    /// #         description: Some("Fare regression on NYC taxi trips."),
    /// #         experiment_name: Some("nyc_taxi"),
    /// #         tags: vec![("team", "forecasting")],
    /// #         settings: None,
    /// #         inputs: vec![(
    /// #             "raw",
    /// #             <Input<UriFolder>>::declare(Some("azureml:taxi_raw:1")),
    /// #             <Input<UriFolder>>::spec(Some("azureml:taxi_raw:1")),
    /// #         )],
    /// #         outputs,
    /// #         built,
    /// #         dir: ".",
    /// #     }
    /// # }
    /// use pipeline_core::Yaml;
    ///
    /// // `taxi::job()` is `taxi::parts().job()`.
    /// let job = taxi().job();
    /// assert_eq!(job.experiment_name.as_deref(), Some("nyc_taxi"));
    /// let yaml = job.to_yaml();
    /// assert!(yaml.contains("display_name: NYC taxi fares\n"));
    /// assert!(yaml.contains("inputs:\n  raw:\n    type: uri_folder\n    path: azureml:taxi_raw:1\n"));
    /// ```
    pub fn job(self) -> PipelineJob {
        let mut job = PipelineJob::new().display_name(self.display_name);
        job.experiment_name = self.experiment_name.map(str::to_owned);
        job.description = self.description.map(str::to_owned);
        if !self.tags.is_empty() {
            job.tags = Some(
                self.tags
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
            );
        }
        job.settings = self.settings;
        for (name, value, _) in self.inputs {
            job = job.input(name, value);
        }
        let mut settled = self.built.outputs;
        for (name, mut declaration) in self.outputs {
            if let (JobOutput::Data(d), Some(s)) = (&mut declaration, settled.shift_remove(name)) {
                d.mode = s.mode.or(d.mode);
                d.path = s.path.or(d.path.take());
            }
            job = job.output(name, declaration);
        }
        job.jobs = Some(self.built.jobs);
        job.relative_to(Path::new(self.dir))
    }

    /// The pipeline as a component, to run as a node of another pipeline.
    ///
    /// ```
    /// # use pipeline_core::dsl::{Input, PipelineInput, PipelineParts, UriFolder, build};
    /// # fn taxi() -> PipelineParts {
    /// #     let (built, outputs) = build(Vec::new);
    /// #     PipelineParts {
    /// #         name: "taxi",
    /// #         display_name: "NYC taxi fares",
    /// #         description: Some("Fare regression on NYC taxi trips."),
    /// #         experiment_name: Some("nyc_taxi"),
    /// #         tags: vec![("team", "forecasting")],
    /// #         settings: None,
    /// #         inputs: vec![(
    /// #             "raw",
    /// #             <Input<UriFolder>>::declare(Some("azureml:taxi_raw:1")),
    /// #             <Input<UriFolder>>::spec(Some("azureml:taxi_raw:1")),
    /// #         )],
    /// #         outputs,
    /// #         built,
    /// #         dir: ".",
    /// #     }
    /// # }
    /// use pipeline_core::Yaml;
    ///
    /// // `taxi::component()`: the input is declared, its data default stays with the job.
    /// let component = taxi().component();
    /// assert_eq!(component.name.as_deref(), Some("taxi"));
    /// assert!(component.inputs.as_ref().unwrap()["raw"].default.is_none());
    /// assert!(component.to_yaml().contains("pipelineComponent.schema.json"));
    /// ```
    pub fn component(self) -> PipelineComponent {
        let outputs: IndexMap<String, OutputSpec> = self
            .outputs
            .into_iter()
            .map(|(name, declaration)| {
                let kind = match &declaration {
                    JobOutput::Data(d) => d.kind,
                    _ => None,
                };
                let kind = kind.unwrap_or(PortType::Asset(crate::model::AssetType::UriFolder));
                (name.to_owned(), OutputSpec::new(kind))
            })
            .collect();
        PipelineComponent {
            schema: Some(schema_url("pipelineComponent")),
            name: Some(self.name.to_owned()),
            version: None,
            display_name: Some(self.display_name.to_owned()),
            description: self.description.map(str::to_owned),
            tags: None,
            is_deterministic: None,
            inputs: (!self.inputs.is_empty()).then(|| {
                self.inputs
                    .into_iter()
                    .map(|(name, _, spec)| (name.to_owned(), spec))
                    .collect()
            }),
            outputs: (!outputs.is_empty()).then_some(outputs),
            jobs: Some(self.built.jobs),
            extra: Default::default(),
            source_dir: SourceDir(Some(self.dir.into())),
        }
    }
}

/// What a program defines for the CLI to list and build: a pipeline (`my_pipeline::definition()`)
/// or any job, component or compute ([`Definition::document`]).
///
/// ```
/// use pipeline_core::dsl::Definition;
/// use pipeline_core::PipelineJob;
///
/// let d = Definition::new("empty", Some("Nothing yet.\nMore later."), PipelineJob::new);
/// assert_eq!((d.name(), d.summary()), ("empty", Some("Nothing yet.")));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Definition {
    name: &'static str,
    description: Option<&'static str>,
    build: Build,
}

#[derive(Debug, Clone, Copy)]
enum Build {
    Pipeline(fn() -> PipelineJob),
    Document(fn() -> Document),
}

impl Definition {
    /// A pipeline called `name` whose job `build` makes.
    ///
    /// ```
    /// use pipeline_core::dsl::Definition;
    /// use pipeline_core::{Document, PipelineJob};
    ///
    /// fn taxi() -> PipelineJob {
    ///     PipelineJob::new().display_name("NYC taxi fares")
    /// }
    /// // What `#[pipeline] fn taxi(…)`'s `taxi::definition()` returns.
    /// let d = Definition::new("taxi", Some("Fare regression."), taxi);
    /// assert_eq!(d.name(), "taxi");
    /// assert!(matches!(d.build(), Document::Job(_)));
    /// ```
    pub fn new(
        name: &'static str,
        description: Option<&'static str>,
        build: fn() -> PipelineJob,
    ) -> Self {
        Definition {
            name,
            description,
            build: Build::Pipeline(build),
        }
    }

    /// Any job, component or compute called `name`, which `build` makes: a standalone command
    /// job, a compute instance…
    ///
    /// ```
    /// use pipeline_core::dsl::Definition;
    /// use pipeline_core::{Compute, ComputeInstance, Document, ProvisioningConfiguration, Yaml};
    ///
    /// fn dev_box() -> Document {
    ///     let config = ProvisioningConfiguration {
    ///         vm_size: Some("STANDARD_DS3_V2".into()),
    ///         ..ProvisioningConfiguration::default()
    ///     };
    ///     Document::Compute(Compute::Instance(ComputeInstance::provision("dev", &config).unwrap()))
    /// }
    ///
    /// let d = Definition::document("dev_box", Some("A small instance."), dev_box);
    /// assert!(d.build().to_yaml().contains("size: STANDARD_DS3_V2"));
    /// ```
    pub fn document(
        name: &'static str,
        description: Option<&'static str>,
        build: fn() -> Document,
    ) -> Self {
        Definition {
            name,
            description,
            build: Build::Document(build),
        }
    }

    /// Its name.
    ///
    /// ```
    /// use pipeline_core::dsl::Definition;
    /// use pipeline_core::PipelineJob;
    ///
    /// let d = Definition::new("nyc_taxi", None, PipelineJob::new);
    /// assert_eq!(d.name(), "nyc_taxi"); // what `pipeline emit nyc_taxi` names
    /// ```
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The first line of its description.
    ///
    /// ```
    /// use pipeline_core::dsl::Definition;
    /// use pipeline_core::PipelineJob;
    ///
    /// let doc = "NYC taxi fare regression.\n\nPreps the raw trips, then trains.";
    /// let d = Definition::new("nyc_taxi", Some(doc), PipelineJob::new);
    /// assert_eq!(d.summary(), Some("NYC taxi fare regression."));
    /// assert_eq!(Definition::new("bare", None, PipelineJob::new).summary(), None);
    /// ```
    pub fn summary(&self) -> Option<&'static str> {
        self.description.and_then(|d| d.lines().next())
    }

    /// Builds it.
    ///
    /// ```
    /// use pipeline_core::dsl::Definition;
    /// use pipeline_core::{PipelineJob, Yaml};
    ///
    /// fn taxi() -> PipelineJob {
    ///     PipelineJob::new().display_name("NYC taxi fares")
    /// }
    /// let yaml = Definition::new("taxi", None, taxi).build().to_yaml();
    /// assert!(yaml.contains("type: pipeline\n"));
    /// assert!(yaml.contains("display_name: NYC taxi fares\n"));
    /// ```
    pub fn build(&self) -> Document {
        match self.build {
            Build::Pipeline(f) => Document::Job(Job::Pipeline(f())),
            Build::Document(f) => f(),
        }
    }
}
