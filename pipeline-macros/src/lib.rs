//! `#[component]` and `#[pipeline]`, re-exported by the `pipeline` crate (use them from there).
//!
//! Each attribute is parsed (`parse`), checked (`validate`: every mistake that can be seen here is
//! a compile error on the offending token) and expanded (`expand`). All errors are collected; on
//! error the function is still expanded from what could be read, so that one mistake gives one
//! error and not a cascade at every call site. Generated code names only `::pipeline::__private`
//! and `::core` paths.
//!
//! ```
//! use pipeline::prelude::*;
//!
//! #[component(environment = "azureml:AzureML-sklearn-1.0@latest",
//!             command = "python train.py --data ${{inputs.data}} --model ${{outputs.model}}")]
//! fn train(data: Input<UriFolder>, model: Output<MlflowModel>) {}
//!
//! #[pipeline(default_compute = "azureml:cpu-cluster")]
//! fn taxi(raw: Input<UriFolder>) -> Output<MlflowModel> {
//!     train(raw).outputs.model // the node `train`, fed by the pipeline's `raw`
//! }
//! let yaml = taxi::job().to_yaml();
//! assert!(yaml.contains("      data: ${{parent.inputs.raw}}\n"));
//! assert!(yaml.contains("      model: ${{parent.outputs.model}}\n"));
//! ```

#![warn(missing_docs)]

mod attrs;
mod command;
mod component;
mod node;
mod outputs;
mod pipeline;
mod schema_table;
mod types;

use proc_macro::TokenStream;

/// Declares an Azure ML component: each parameter is a port, the doc comment its description.
///
/// Parameters: `Input<T>` (data; `T` is `UriFile`, `UriFolder`, `MlTable`, `MlflowModel`,
/// `CustomModel` or `TritonModel`), `Output<T>`, and parameters `i64`, `f64`, `String`/`&str`,
/// `bool`; `Option<…>` makes an input optional. `#[input(default, min, max, enum, description,
/// mode)]` and `#[output(description, mode)]` set a port.
///
/// Settings: `name`, `version`, `display_name`, `tags = [("k", "v")]`, `environment`, `code`
/// (relative to the defining crate), `command`, `is_deterministic`, `resources = (instance_count
/// = 2, instance_type = "…")`, `distribution = (type = "pytorch", process_count_per_instance =
/// 2)`, `timeout` (seconds), `environment_variables = [("K", "V")]`. With `parallel`: a parallel
/// component whose task runs `entry_script`, with `program_arguments`, `input_data`,
/// `mini_batch_size`, `max_concurrency_per_instance`, `instance_count`, `error_threshold`,
/// `mini_batch_error_threshold`, `retry_settings = (max_retries = 3, timeout = 60)`,
/// `logging_level`, `append_row_to`.
///
/// The function becomes what adds a node in a `#[pipeline]` body (required inputs positional,
/// the others setters), and `name::component()` gives the definition:
///
/// ```
/// use pipeline::prelude::*;
///
/// /// Fits fare = a + b * distance.
/// #[component(
///     environment = "azureml:AzureML-sklearn-1.0@latest",
///     code = "train",
///     command = "python train.py --data ${{inputs.data}} $[[--seed ${{inputs.seed}}]] --model ${{outputs.model}}",
/// )]
/// fn train(data: Input<UriFolder>, seed: Option<i64>, model: Output<MlflowModel>) {}
///
/// let c = train::component();
/// assert_eq!(c.name.as_deref(), Some("train"));
/// assert_eq!(c.description.as_deref(), Some("Fits fare = a + b * distance."));
/// assert!(c.to_yaml().contains("optional: true"));
/// ```
///
/// Table settings follow the SDK's schema: keys, literal types and enum values, compared as the
/// SDK compares them and written in its spelling:
///
/// ```
/// use pipeline::prelude::*;
///
/// #[component(
///     environment = "azureml:AzureML-acpt-pytorch-2.2-cuda12.1@latest",
///     command = "python train.py",
///     distribution = (type = "PyTorch", process_count_per_instance = 4),
///     resources = (instance_count = 2, shm_size = "16g"),
/// )]
/// fn train() {}
///
/// assert!(train::component().to_yaml().contains("type: pytorch"));
/// ```
///
/// Mistakes are compile errors on the offending token, such as a command naming no parameter:
///
/// ```compile_fail
/// use pipeline::prelude::*;
///
/// #[component(environment = "azureml:e@latest", command = "python t.py --d ${{inputs.dta}}")]
/// fn train(data: Input<UriFolder>) {}
/// ```
#[proc_macro_attribute]
pub fn component(attr: TokenStream, item: TokenStream) -> TokenStream {
    component::run(attr.into(), item.into()).into()
}

/// Declares an Azure ML pipeline: the parameters are its inputs, what it returns its outputs, and
/// each component called in its body a node, named after the `let` that binds it.
///
/// Settings: `name`, `display_name`, `experiment_name`, `tags = [("k", "v")]`,
/// `default_compute`, `default_datastore`, `continue_on_step_failure`, `force_rerun`. An input
/// takes `#[input(default = …)]`. It gives `name::job()` (the job to submit),
/// `name::component()`, `name::definition()` (for `pipeline_cli::main`), and, called in another
/// pipeline's body, a nested pipeline node.
///
/// ```
/// use pipeline::prelude::*;
///
/// #[component(environment = "azureml:AzureML-sklearn-1.0@latest", command = "python p.py --raw ${{inputs.raw}} --out ${{outputs.out}}")]
/// fn prep(raw: Input<UriFolder>, out: Output<UriFolder>) {}
///
/// /// Cleans the data.
/// #[pipeline(default_compute = "azureml:cpu-cluster")]
/// fn cleaning(#[input(default = "azureml:raw:1")] raw: Input<UriFolder>) -> Output<UriFolder> {
///     let cleaned = prep(raw);
///     cleaned.outputs.out
/// }
///
/// let yaml = cleaning::job().to_yaml();
/// assert!(yaml.contains("jobs:\n  cleaned:\n"));
/// assert!(yaml.contains("raw: ${{parent.inputs.raw}}"));
/// ```
///
/// Wiring is type-checked: an output feeds an input of its own asset type, or of one Azure ML
/// accepts (`pipeline_schema::compat::may_feed`: a `uri_file` or an `mltable` feeds a
/// `uri_folder` input), and nothing else.
///
/// ```compile_fail
/// use pipeline::prelude::*;
///
/// #[component(environment = "azureml:e@latest", command = "python t.py ${{inputs.t}}")]
/// fn takes_table(t: Input<MlTable>) {}
///
/// #[pipeline]
/// fn wrong(raw: Input<UriFolder>) {
///     takes_table(raw); // a uri_folder cannot feed an mltable input
/// }
/// ```
#[proc_macro_attribute]
pub fn pipeline(attr: TokenStream, item: TokenStream) -> TokenStream {
    pipeline::run(attr.into(), item.into()).into()
}

/// A struct of `Output<T>` fields as what a `#[pipeline]` returns: each field is a pipeline
/// output of that name, and a node running the pipeline has the same struct as its `outputs`.
///
/// ```
/// use pipeline::prelude::*;
///
/// #[component(environment = "azureml:e@latest", command = "python s.py --a ${{outputs.a}} --b ${{outputs.b}}")]
/// fn split(a: Output<UriFolder>, b: Output<UriFolder>) {}
///
/// #[derive(PipelineOutputs)]
/// struct Halves {
///     first: Output<UriFolder>,
///     second: Output<UriFolder>,
/// }
///
/// #[pipeline]
/// fn halves() -> Halves {
///     let s = split();
///     Halves { first: s.outputs.a, second: s.outputs.b }
/// }
///
/// let yaml = halves::job().to_yaml();
/// assert!(yaml.contains("outputs:\n  first:\n    type: uri_folder\n  second:\n"));
/// ```
#[proc_macro_derive(PipelineOutputs)]
pub fn derive_pipeline_outputs(item: TokenStream) -> TokenStream {
    outputs::derive(item.into()).into()
}
