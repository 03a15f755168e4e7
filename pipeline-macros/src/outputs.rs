//! `#[derive(PipelineOutputs)]`: a struct of `Output<T>` fields as a pipeline's named outputs.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields};

pub(crate) fn derive(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(i) => i,
        Err(e) => return e.to_compile_error(),
    };
    let p = quote!(::pipeline::__private);
    let ident = &input.ident;
    let fields = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => named
                .named
                .iter()
                .filter_map(|f| f.ident.clone())
                .collect::<Vec<_>>(),
            _ => {
                return syn::Error::new_spanned(
                    ident,
                    "the outputs are named fields: `struct Out { model: Output<MlflowModel> }`",
                )
                .to_compile_error();
            }
        },
        _ => {
            return syn::Error::new_spanned(
                ident,
                "#[derive(PipelineOutputs)] goes on a struct of Output<T> fields",
            )
            .to_compile_error();
        }
    };
    if !input.generics.params.is_empty() {
        return syn::Error::new_spanned(
            &input.generics,
            "a struct of pipeline outputs has no generic parameters",
        )
        .to_compile_error();
    }
    let names: Vec<String> = fields
        .iter()
        .map(|f| {
            let s = f.to_string();
            s.strip_prefix("r#").map(str::to_owned).unwrap_or(s)
        })
        .collect();
    quote! {
        impl #p::PipelineOutputs for #ident {
            fn export(self) -> #p::Vec<(&'static str, #p::JobOutput)> {
                ::core::convert::From::from([#(#p::export_as(self.#fields, #names)),*])
            }

            fn of_node(node: #p::NodeId, _: &[&'static str]) -> Self {
                #ident { #(#fields: #p::Output::of(node, #names),)* }
            }
        }
    }
}
