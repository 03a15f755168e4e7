//! `#[pipeline]`: parse → validate → expand.

mod expand;
mod parse;

use proc_macro2::TokenStream;

pub(crate) fn run(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = crate::attrs::Errors::default();
    let Some(pipeline) = parse::parse(attr, item.clone(), &mut errors) else {
        let e = errors.to_compile_errors();
        return quote::quote!(#e #item);
    };
    parse::validate(&pipeline, &mut errors);
    let expanded = expand::expand(&pipeline);
    let e = errors.to_compile_errors();
    quote::quote!(#e #expanded)
}
