//! What `#[component]` and `#[pipeline]` both generate for the node a call adds: its type's name,
//! the setters of inputs that need not be given at the call, and its `NodeHandle` impl.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

/// `train_model` + `Node` → `TrainModelNode`: from the function's identifier, which is always
/// a valid one (a `name = "…"` setting may not be).
pub(crate) fn type_name(function: &Ident, suffix: &str) -> Ident {
    let s = function.to_string();
    let s = s.strip_prefix("r#").unwrap_or(&s);
    let camel: String = s
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |f| {
                f.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect();
    format_ident!("{}{}", camel, suffix)
}

/// `node.port(value)`: binds an input that has a default or is optional.
pub(crate) fn setter(ident: &Ident, port: &str, feeds: &TokenStream, doc: &str) -> TokenStream {
    let p = quote!(::pipeline::__private);
    quote! {
        #[doc = #doc]
        pub fn #ident(self, value: impl #p::Feeds<#feeds>) -> Self {
            #p::bind(self.id, #port, <_ as #p::Feeds<#feeds>>::arg(value));
            self
        }
    }
}

/// The node type's `NodeHandle` impl: what `let` names and node settings reach it through.
pub(crate) fn handle_impl(node_ty: &Ident) -> TokenStream {
    let p = quote!(::pipeline::__private);
    quote! {
        impl #p::NodeHandle for #node_ty {
            fn node_id(&self) -> #p::NodeId {
                self.id
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_are_camel_case() {
        let name = |s: &str| type_name(&syn::parse_str::<Ident>(s).unwrap(), "Node").to_string();
        assert_eq!(name("train_model"), "TrainModelNode");
        assert_eq!(name("r#type"), "TypeNode");
        // A first letter beyond ASCII stays as it is: no panic, a valid identifier.
        assert_eq!(name("étape_un"), "étapeUnNode");
    }
}
