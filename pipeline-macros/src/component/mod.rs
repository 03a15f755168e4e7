//! `#[component]`: parse → validate → expand.

mod expand;
mod parse;
pub(crate) mod validate;

use proc_macro2::TokenStream;

pub(crate) use parse::{Component, Param, PortAttrs, port_attrs as parse_port_attrs};

pub(crate) fn run(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = crate::attrs::Errors::default();
    let Some(component) = parse::parse(attr, item.clone(), &mut errors) else {
        // Not even a function: say so, and leave the item as it was.
        let e = errors.to_compile_errors();
        return quote::quote!(#e #item);
    };
    validate::validate(&component, &mut errors);
    let expanded = expand::expand(&component);
    let e = errors.to_compile_errors();
    quote::quote!(#e #expanded)
}
