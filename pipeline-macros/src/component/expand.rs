//! The code a `#[component]` becomes: a function that adds a node (required inputs positional),
//! and a module of the same name with the component's definition and the node's handle.

use proc_macro2::TokenStream;
use quote::quote;

use super::validate::fits;
use super::{Component, Param};
use crate::node;
use crate::types::{Kind, Scalar};

/// Whether an input must be given at the call (no default, not optional).
fn required(p: &Param) -> bool {
    p.port
        .as_ref()
        .is_some_and(|k| !matches!(k.kind, Kind::Output(_)) && !k.optional)
        && p.attrs.default.is_none()
}

fn is_output(p: &Param) -> bool {
    p.port
        .as_ref()
        .is_some_and(|k| matches!(k.kind, Kind::Output(_)))
}

/// A literal as a `Literal` of the input's type (an integer literal for a number becomes `1.0`).
fn literal(e: &syn::Expr, scalar: Scalar) -> TokenStream {
    match scalar {
        Scalar::Int => quote!(::pipeline::__private::Literal::Int(#e)),
        Scalar::Float => quote!(::pipeline::__private::Literal::Float((#e) as f64)),
        Scalar::Str => {
            quote!(::pipeline::__private::Literal::Str(::pipeline::__private::String::from(#e)))
        }
        Scalar::Bool => quote!(::pipeline::__private::Literal::Bool(#e)),
    }
}

pub(crate) fn expand(c: &Component) -> TokenStream {
    let vis = &c.vis;
    let ident = &c.ident;
    let name = c.name();
    let p = quote!(::pipeline::__private);

    // The component's definition.
    let command = c.command.as_ref().map(|s| s.value()).unwrap_or_default();
    let mut setup = Vec::new();
    if let Some(v) = &c.version {
        setup.push(quote!(c.version = ::core::option::Option::Some(#p::Version::from(#v));));
    }
    if let Some(v) = &c.display_name {
        setup.push(quote!(c.display_name = ::core::option::Option::Some(#p::String::from(#v));));
    }
    if let Some(d) = &c.doc {
        setup.push(quote!(c.description = ::core::option::Option::Some(#p::String::from(#d));));
    }
    if !c.tags.is_empty() {
        let (k, v): (Vec<_>, Vec<_>) = c.tags.iter().cloned().unzip();
        setup.push(quote! {
            c.tags = ::core::option::Option::Some(
                [#((#p::String::from(#k), #p::String::from(#v))),*].into_iter().collect(),
            );
        });
    }
    if let Some(b) = &c.is_deterministic {
        setup.push(quote!(c.is_deterministic = ::core::option::Option::Some(#b);));
    }
    let some = |t: TokenStream| quote!(::core::option::Option::Some(#t));
    if !c.environment_variables.is_empty() {
        let (k, v): (Vec<_>, Vec<_>) = c.environment_variables.iter().cloned().unzip();
        setup.push(quote! {
            c.environment_variables = ::core::option::Option::Some(
                [#((#p::String::from(#k), #p::Literal::Str(#p::String::from(#v)))),*].into_iter().collect(),
            );
        });
    }
    // Where code and environment go, and what only one kind has.
    let mut task = Vec::new();
    let (component_ty, node_fn, new_component) = if c.is_parallel() {
        let entry_script = c
            .entry_script
            .as_ref()
            .map(syn::LitStr::value)
            .unwrap_or_default();
        if let Some(code) = &c.code {
            task.push(quote!(task.code = ::core::option::Option::Some(#p::CodeRef::parse(#code));));
        }
        if let Some(env) = &c.environment {
            task.push(quote!(task.environment = ::core::option::Option::Some(#p::Environment::parse(#env));));
        }
        if let Some(a) = &c.program_arguments {
            task.push(quote!(task.program_arguments = ::core::option::Option::Some(#p::Template::parse(#a));));
        }
        if let Some(a) = &c.append_row_to {
            task.push(
                quote!(task.append_row_to = ::core::option::Option::Some(#p::Template::parse(#a));),
            );
        }
        if let Some(d) = &c.input_data {
            setup.push(
                quote!(c.input_data = ::core::option::Option::Some(#p::Template::parse(#d));),
            );
        }
        if let Some(y) = &c.mini_batch_size {
            setup.push(quote!(c.mini_batch_size = ::core::option::Option::Some(#p::mini_batch_size(#name, #y));));
        }
        for (field, value) in [
            (
                quote!(max_concurrency_per_instance),
                &c.max_concurrency_per_instance,
            ),
            (quote!(error_threshold), &c.error_threshold),
            (
                quote!(mini_batch_error_threshold),
                &c.mini_batch_error_threshold,
            ),
        ] {
            if let Some(v) = value {
                let v = some(quote!(#v));
                setup.push(quote!(c.#field = #v;));
            }
        }
        if let Some(y) = &c.retry_settings {
            setup.push(quote!(c.retry_settings = ::core::option::Option::Some(#p::retry_settings(#name, #y));));
        }
        if let Some(l) = &c.logging_level {
            setup.push(quote!(c.logging_level = <#p::LoggingLevel as ::core::str::FromStr>::from_str(#l).ok();));
        }
        if c.resources.is_some() || c.instance_count.is_some() {
            let base = c.resources.clone().unwrap_or_else(|| "{}".to_owned());
            let count = c.instance_count.iter();
            setup.push(quote! {
                c.resources = ::core::option::Option::Some({
                    let mut r = #p::resources(#name, #base);
                    #( r.instance_count = ::core::option::Option::Some(#count); )*
                    r
                });
            });
        }
        (
            quote!(#p::ParallelComponent),
            quote!(#p::parallel_node),
            quote! {
                let mut task = #p::RunFunction::new(#entry_script);
                #(#task)*
                let mut c = #p::ParallelComponent::new(#name, task);
            },
        )
    } else {
        if let Some(code) = &c.code {
            setup.push(quote!(c = c.code(#code);));
        }
        if let Some(env) = &c.environment {
            setup.push(quote!(c = c.environment(#p::Environment::parse(#env));));
        }
        if let Some(y) = &c.resources {
            setup.push(
                quote!(c.resources = ::core::option::Option::Some(#p::resources(#name, #y));),
            );
        }
        if let Some(y) = &c.distribution {
            setup.push(
                quote!(c.distribution = ::core::option::Option::Some(#p::distribution(#name, #y));),
            );
        }
        if let Some(t) = &c.timeout {
            setup.push(quote! {
                c.limits = ::core::option::Option::Some(#p::Limits::timeout(#t));
            });
        }
        (
            quote!(#p::CommandComponent),
            quote!(#p::command_node),
            quote!(let mut c = #p::CommandComponent::new(#name, #command);),
        )
    };
    for param in &c.params {
        let Some(port) = &param.port else { continue };
        let port_name = param.name();
        let port_type = port.port_type();
        let a = &param.attrs;
        let description = a.description.iter();
        let mode = a.mode.iter();
        if is_output(param) {
            setup.push(quote! {
                c = c.output(#port_name, {
                    let mut s = #p::OutputSpec::new(#port_type);
                    #( s.description = ::core::option::Option::Some(#p::String::from(#description)); )*
                    #( s.mode = <#p::Mode as ::core::str::FromStr>::from_str(#mode).ok(); )*
                    s
                });
            });
            continue;
        }
        let optional = port
            .optional
            .then(|| quote!(s.optional = ::core::option::Option::Some(true);));
        let scalar = match port.kind {
            Kind::Scalar(s) => Some(s),
            _ => None,
        };
        // Values of the wrong type were reported; left out, they cause no second error.
        let lit = |e: &Option<syn::Expr>| {
            e.as_ref()
                .zip(scalar)
                .filter(|(e, s)| fits(e, *s))
                .map(|(e, s)| literal(e, s))
                .into_iter()
                .collect::<Vec<_>>()
        };
        let (default, min, max) = (lit(&a.default), lit(&a.min), lit(&a.max));
        let allowed: Vec<TokenStream> = a
            .allowed
            .iter()
            .filter_map(|e| scalar.filter(|s| fits(e, *s)).map(|s| literal(e, s)))
            .collect();
        let allowed = (!allowed.is_empty()).then(|| quote!(s.allowed = ::core::option::Option::Some(::core::convert::From::from([#(#allowed),*]));));
        setup.push(quote! {
            c = c.input(#port_name, {
                let mut s = #p::InputSpec::new(#port_type);
                #optional
                #( s.default = ::core::option::Option::Some(#default); )*
                #( s.min = ::core::option::Option::Some(#min); )*
                #( s.max = ::core::option::Option::Some(#max); )*
                #allowed
                #( s.description = ::core::option::Option::Some(#p::String::from(#description)); )*
                #( s.mode = <#p::Mode as ::core::str::FromStr>::from_str(#mode).ok(); )*
                s
            });
        });
    }

    // The call: required inputs positional, bound as given.
    let required_params: Vec<&Param> = c.params.iter().filter(|p| required(p)).collect();
    let args = required_params.iter().map(|param| {
        let ident = &param.ident;
        let feeds = param.port.as_ref().map(|k| k.feeds()).unwrap_or_default();
        quote!(#ident: impl #p::Feeds<#feeds>)
    });
    let binds = required_params.iter().map(|param| {
        let ident = &param.ident;
        let port_name = param.name();
        let feeds = param.port.as_ref().map(|k| k.feeds()).unwrap_or_default();
        quote!(#p::bind(node, #port_name, <_ as #p::Feeds<#feeds>>::arg(#ident));)
    });
    let setters = c
        .params
        .iter()
        .filter(|q| !required(q) && !is_output(q) && q.port.is_some())
        .map(|param| {
            let port_name = param.name();
            let feeds = param.port.as_ref().map(|k| k.feeds()).unwrap_or_default();
            let doc = format!("Binds the input `{port_name}`.");
            node::setter(&param.ident, &port_name, &feeds, &doc)
        });
    let outputs: Vec<&Param> = c.params.iter().filter(|q| is_output(q)).collect();
    let output_fields = outputs.iter().map(|param| {
        let ident = &param.ident;
        let ty = param.port.as_ref().map(|k| k.feeds()).unwrap_or_default();
        let doc = format!("The output `{}`.", param.name());
        quote!(#[doc = #doc] pub #ident: #p::Output<#ty>)
    });
    let output_inits = outputs.iter().map(|param| {
        let ident = &param.ident;
        let port_name = param.name();
        quote!(#ident: #p::Output::of(id, #port_name))
    });
    let node_doc = format!("A node running `{name}` in the pipeline being built.");
    let outputs_doc = format!("The outputs of a node running `{name}`.");
    let fn_doc = c
        .doc
        .clone()
        .unwrap_or_else(|| format!("Adds a node running the component `{name}`."));
    let def_doc = format!("The component `{name}`: `{ident}::component()` is its definition.");
    let node_ty = node::type_name(ident, "Node");
    let outputs_ty = node::type_name(ident, "Outputs");
    let handle_impl = node::handle_impl(&node_ty);

    // A braced struct lives in the type namespace only, beside the function: `prep(…)` adds a
    // node, `prep::component()` is the definition. (A module would not see items declared in a
    // function body, as in doctests.)
    quote! {
        #[doc = #fn_doc]
        #[allow(clippy::too_many_arguments)]
        #vis fn #ident(#(#args),*) -> #node_ty {
            let node = #p::add_node(#name, #node_fn(<#ident>::component()));
            #(#binds)*
            #node_ty::__new(node)
        }

        #[doc = #def_doc]
        #[allow(non_camel_case_types)]
        #vis struct #ident {
            _definition_only: (),
        }

        impl #ident {
            /// The component's definition, its relative paths relative to the defining crate.
            pub fn component() -> #component_ty {
                #new_component
                #(#setup)*
                c.relative_to(::core::env!("CARGO_MANIFEST_DIR"))
            }
        }

        #[doc = #node_doc]
        #[derive(Debug, Clone, Copy)]
        #vis struct #node_ty {
            id: #p::NodeId,
            /// The node's outputs, to bind to other nodes' inputs.
            pub outputs: #outputs_ty,
        }

        #[doc = #outputs_doc]
        #[derive(Debug, Clone, Copy)]
        #vis struct #outputs_ty {
            #(#output_fields,)*
        }

        impl #node_ty {
            #[doc(hidden)]
            pub fn __new(id: #p::NodeId) -> Self {
                #node_ty { id, outputs: #outputs_ty { #(#output_inits,)* } }
            }

            #(#setters)*
        }

        #handle_impl
    }
}
