//! The code a `#[pipeline]` becomes: a module of the same name whose `job()` runs the body once,
//! with handles in place of the parameters, and returns the pipeline job.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Block, Expr, Pat, Stmt};

use super::parse::Pipeline;

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
    let module = format_ident!("{}", pl.ident);
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

    let handles = pl.params.iter().map(|input| {
        let ident = &input.ident;
        let ty = &input.ty;
        let port = ident.to_string();
        quote!(let #ident = <#ty as #p::PipelineInput>::handle(#port);)
    });
    let declarations = pl.params.iter().map(|input| {
        let ty = &input.ty;
        let port = input.ident.to_string();
        let default = match &input.attrs.default {
            Some(d) => quote!(::core::option::Option::Some(#d)),
            None => quote!(::core::option::Option::None),
        };
        quote!(job = job.input(#port, <#ty as #p::PipelineInput>::declare(#default));)
    });
    let mut setup = Vec::new();
    let some_string = |v: &syn::LitStr| quote!(::core::option::Option::Some(#p::String::from(#v)));
    if let Some(e) = &pl.experiment_name {
        let v = some_string(e);
        setup.push(quote!(job.experiment_name = #v;));
    }
    if let Some(d) = &pl.doc {
        setup.push(quote!(job.description = ::core::option::Option::Some(#p::String::from(#d));));
    }
    if !pl.tags.is_empty() {
        let (k, v): (Vec<_>, Vec<_>) = pl.tags.iter().cloned().unzip();
        setup.push(quote! {
            job.tags = ::core::option::Option::Some(
                [#((#p::String::from(#k), #p::String::from(#v))),*].into_iter().collect(),
            );
        });
    }
    let mut settings = Vec::new();
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
    if !settings.is_empty() {
        setup.push(quote! {
            job = job.settings({
                let mut s = #p::PipelineSettings::new();
                #(#settings)*
                s
            });
        });
    }
    let doc = pl
        .doc
        .clone()
        .unwrap_or_else(|| format!("The pipeline `{name}`."));
    let job_doc = format!(
        "Builds the pipeline job `{name}` (the body runs once per call; the same job every time)."
    );
    let stmts = &body.stmts;
    quote! {
        #[doc = #doc]
        #[allow(non_camel_case_types)]
        #vis struct #module {
            _definition_only: (),
        }

        impl #module {
            /// The pipeline's name.
            pub const NAME: &'static str = #name;

            #[doc = #job_doc]
            pub fn job() -> #p::PipelineJob {
                let (jobs, outputs) = #p::build(|| {
                    #(#handles)*
                    #[allow(unreachable_code, clippy::let_unit_value)]
                    let result: #output = (|| -> #output { #(#stmts)* })();
                    #p::PipelineOutputs::export(result)
                });
                let mut job = #p::PipelineJob::new().display_name(#display_name);
                #(#setup)*
                #(#declarations)*
                for (name, declaration) in outputs {
                    job = job.output(name, declaration);
                }
                job.jobs = ::core::option::Option::Some(jobs);
                job.relative_to(::core::env!("CARGO_MANIFEST_DIR"))
            }
        }
    }
}
