//! The code a `#[pipeline]` becomes: a module of the same name whose `job()` runs the body once,
//! with handles in place of the parameters, and returns the pipeline job.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Block, Expr, Pat, Stmt};

use super::parse::Pipeline;
use crate::node;

/// Each `let x = …;` of the body (and of blocks inside it) passes its value through `Let`, which
/// names the node `x` when the value is a node and leaves anything else as it is.
fn name_lets(block: &mut Block) {
    for stmt in &mut block.stmts {
        let Stmt::Local(local) = stmt else { continue };
        let ident = match &local.pat {
            Pat::Ident(p) => Some(p.ident.clone()),
            Pat::Type(t) => match &*t.pat {
                Pat::Ident(p) => Some(p.ident.clone()),
                _ => None,
            },
            _ => None,
        };
        let (Some(ident), Some(init)) = (ident, local.init.as_mut()) else {
            continue;
        };
        if let Expr::Block(b) = &mut *init.expr {
            name_lets(&mut b.block);
        }
        let name = ident.to_string();
        let name = name.strip_prefix("r#").unwrap_or(&name).to_owned();
        let value = &init.expr;
        let named: Expr = syn::parse_quote! {{
            #[allow(unused_imports)]
            use ::pipeline::__private::{KeepValue as _, NameNode as _};
            (&&&::pipeline::__private::Let::new(#value)).named(#name)
        }};
        *init.expr = named;
    }
}

pub(crate) fn expand(pl: &Pipeline) -> TokenStream {
    let p = quote!(::pipeline::__private);
    let vis = &pl.vis;
    let ident = &pl.ident;
    let name = pl
        .name
        .as_ref()
        .map_or_else(|| pl.ident.to_string(), syn::LitStr::value);
    let display_name = pl
        .display_name
        .as_ref()
        .map_or_else(|| name.clone(), syn::LitStr::value);
    let output = pl.output.clone().map_or_else(|| quote!(()), |t| quote!(#t));
    let mut body = pl.body.clone();
    name_lets(&mut body);
    let stmts = &body.stmts;

    let handles = pl.params.iter().map(|input| {
        let ident = &input.ident;
        let ty = &input.ty;
        let port = ident.to_string();
        quote!(let #ident = <#ty as #p::PipelineInput>::handle(#port);)
    });
    let inputs = pl.params.iter().map(|input| {
        let ty = &input.ty;
        let port = input.ident.to_string();
        let default = match &input.attrs.default {
            Some(d) => quote!(::core::option::Option::Some(#d)),
            None => quote!(::core::option::Option::None),
        };
        quote! {
            (
                #port,
                <#ty as #p::PipelineInput>::declare(#default),
                <#ty as #p::PipelineInput>::spec(#default),
            )
        }
    });
    let option = |v: Option<String>| match v {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    };
    let description = option(pl.doc.clone());
    let experiment_name = option(pl.experiment_name.as_ref().map(syn::LitStr::value));
    let tags = pl.tags.iter().map(|(k, v)| quote!((#k, #v)));
    let mut settings = Vec::new();
    let some_string = |v: &syn::LitStr| quote!(::core::option::Option::Some(#p::String::from(#v)));
    if let Some(v) = &pl.default_compute {
        let v = some_string(v);
        settings.push(quote!(s.default_compute = #v;));
    }
    if let Some(v) = &pl.default_datastore {
        let v = some_string(v);
        settings.push(quote!(s.default_datastore = #v;));
    }
    if let Some(b) = &pl.continue_on_step_failure {
        settings.push(quote!(s.continue_on_step_failure = ::core::option::Option::Some(#b);));
    }
    if let Some(b) = &pl.force_rerun {
        settings.push(quote!(s.force_rerun = ::core::option::Option::Some(#b);));
    }
    let settings = if settings.is_empty() {
        quote!(::core::option::Option::None)
    } else {
        quote!(::core::option::Option::Some({
            let mut s = #p::PipelineSettings::new();
            #(#settings)*
            s
        }))
    };

    // Called in another pipeline's body: a node running this pipeline as a component.
    let required: Vec<_> = pl
        .params
        .iter()
        .filter(|i| i.attrs.default.is_none())
        .collect();
    let feeds = |ty: &syn::Type| quote!(<#ty as #p::PipelineInput>::Fed);
    let args = required.iter().map(|input| {
        let ident = &input.ident;
        let fed = feeds(&input.ty);
        quote!(#ident: impl #p::Feeds<#fed>)
    });
    let binds = required.iter().map(|input| {
        let ident = &input.ident;
        let port = input.ident.to_string();
        let fed = feeds(&input.ty);
        quote!(#p::bind(node, #port, <_ as #p::Feeds<#fed>>::arg(#ident));)
    });
    let setters = pl
        .params
        .iter()
        .filter(|i| i.attrs.default.is_some())
        .map(|input| {
            let port = input.ident.to_string();
            let doc = format!("Binds the input `{port}` (it has a default).");
            node::setter(&input.ident, &port, &feeds(&input.ty), &doc)
        });
    let node_ty = node::type_name(ident, "Node");
    let handle_impl = node::handle_impl(&node_ty);

    let doc = pl
        .doc
        .clone()
        .unwrap_or_else(|| format!("The pipeline `{name}`."));
    let fn_doc = format!("Adds a node running the pipeline `{name}` to the pipeline being built.");
    let node_doc = format!("A node running the pipeline `{name}` in another pipeline.");
    quote! {
        #[doc = #doc]
        #[allow(non_camel_case_types)]
        #vis struct #ident {
            _definition_only: (),
        }

        impl #ident {
            /// The pipeline's name.
            pub const NAME: &'static str = #name;

            /// The pipeline, built: its body runs once per call, and builds the same every time.
            pub fn parts() -> #p::PipelineParts {
                let (built, outputs) = #p::build(|| {
                    #(#handles)*
                    #[allow(unreachable_code, clippy::let_unit_value)]
                    let result: #output = (|| -> #output { #(#stmts)* })();
                    #p::PipelineOutputs::export(result)
                });
                #p::PipelineParts {
                    name: #name,
                    display_name: #display_name,
                    description: #description,
                    experiment_name: #experiment_name,
                    tags: ::core::convert::From::from([#(#tags),*]),
                    settings: #settings,
                    inputs: ::core::convert::From::from([#(#inputs),*]),
                    outputs,
                    built,
                    dir: ::core::env!("CARGO_MANIFEST_DIR"),
                }
            }

            /// The pipeline job to submit (relative paths relative to the defining crate).
            pub fn job() -> #p::PipelineJob {
                Self::parts().job()
            }

            /// The pipeline as a component, to run in another pipeline.
            pub fn component() -> #p::PipelineComponent {
                Self::parts().component()
            }

            /// The pipeline, for `pipeline_cli::main`.
            pub fn definition() -> #p::Definition {
                #p::Definition::new(#name, #description, Self::job)
            }
        }

        #[doc = #fn_doc]
        #[allow(clippy::too_many_arguments)]
        #vis fn #ident(#(#args),*) -> #node_ty {
            let parts = <#ident>::parts();
            let names: #p::Vec<&'static str> = parts.outputs.iter().map(|(n, _)| *n).collect();
            let node = #p::add_node(#name, #p::pipeline_node(parts.component()));
            #(#binds)*
            #node_ty {
                id: node,
                outputs: <#output as #p::PipelineOutputs>::of_node(node, &names),
            }
        }

        #[doc = #node_doc]
        #vis struct #node_ty {
            id: #p::NodeId,
            /// The nested pipeline's outputs, to bind to other nodes' inputs.
            pub outputs: #output,
        }

        impl #node_ty {
            #(#setters)*
        }

        #handle_impl
    }
}
