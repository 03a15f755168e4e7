//! `#[component]` and `#[pipeline]`, re-exported by the `pipeline` crate (use them from there).
//!
//! Each attribute is parsed (`parse`), checked (`validate`: every mistake that can be seen here is
//! a compile error on the offending token) and expanded (`expand`). All errors are collected; on
//! error the function is still expanded from what could be read, so that one mistake gives one
//! error and not a cascade at every call site. Generated code names only `::pipeline::__private`
//! and `::core` paths.

mod attrs;
mod command;
mod component;
mod names;
mod outputs;
mod pipeline;
mod types;

use proc_macro::TokenStream;

/// Declares an Azure ML command component: see the `pipeline` crate's documentation.
#[proc_macro_attribute]
pub fn component(attr: TokenStream, item: TokenStream) -> TokenStream {
    component::run(attr.into(), item.into()).into()
}

/// Declares an Azure ML pipeline: see the `pipeline` crate's documentation.
#[proc_macro_attribute]
pub fn pipeline(attr: TokenStream, item: TokenStream) -> TokenStream {
    pipeline::run(attr.into(), item.into()).into()
}

/// A struct of `Output<T>` fields as what a `#[pipeline]` returns: each field is a pipeline
/// output of that name.
#[proc_macro_derive(PipelineOutputs)]
pub fn derive_pipeline_outputs(item: TokenStream) -> TokenStream {
    outputs::derive(item.into()).into()
}
