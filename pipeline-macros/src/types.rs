//! What a parameter's type makes it: a data input, an output, a parameter, optional or not.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{GenericArgument, PathArguments, Type};

/// The literal types Azure ML parameters have.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Scalar {
    Int,
    Float,
    Str,
    Bool,
}

impl Scalar {
    /// The type the generated code names.
    pub(crate) fn tokens(self) -> TokenStream {
        match self {
            Scalar::Int => quote!(i64),
            Scalar::Float => quote!(f64),
            Scalar::Str => quote!(::pipeline::__private::String),
            Scalar::Bool => quote!(bool),
        }
    }

    pub(crate) fn yaml(self) -> &'static str {
        match self {
            Scalar::Int => "integer",
            Scalar::Float => "number",
            Scalar::Str => "string",
            Scalar::Bool => "boolean",
        }
    }
}

/// A parameter's kind.
#[derive(Clone)]
pub(crate) enum Kind {
    /// `Input<T>`: `T`, the asset type.
    Data(Type),
    /// `Output<T>`: `T`.
    Output(Type),
    /// `i64`, `f64`, `String` / `&str`, `bool`.
    Scalar(Scalar),
}

/// A parameter's kind, and whether it was written `Option<…>`.
#[derive(Clone)]
pub(crate) struct PortOf {
    pub(crate) kind: Kind,
    pub(crate) optional: bool,
}

impl PortOf {
    /// The `T` of `Feeds<T>` for an input.
    pub(crate) fn feeds(&self) -> TokenStream {
        match &self.kind {
            Kind::Data(t) | Kind::Output(t) => quote!(#t),
            Kind::Scalar(s) => s.tokens(),
        }
    }

    /// Its YAML port type.
    pub(crate) fn port_type(&self) -> TokenStream {
        match &self.kind {
            Kind::Data(t) | Kind::Output(t) => quote! {
                ::pipeline::__private::PortType::Asset(<#t as ::pipeline::__private::Asset>::TYPE)
            },
            Kind::Scalar(s) => {
                let t = s.tokens();
                quote! {
                    ::pipeline::__private::PortType::Param(<#t as ::pipeline::__private::Scalar>::TYPE)
                }
            }
        }
    }
}

const EXPECTED: &str = "a port is Input<T> or Output<T> (T: UriFile, UriFolder, MlTable, \
MlflowModel, CustomModel, TritonModel), or a parameter: i64, f64, String, &str, bool; Option<…> \
of an input makes it optional";

/// Reads a parameter's type.
pub(crate) fn classify(ty: &Type) -> syn::Result<PortOf> {
    let unsupported =
        || syn::Error::new_spanned(ty, format!("unsupported parameter type: {EXPECTED}"));
    if let Type::Reference(r) = ty {
        return match &*r.elem {
            Type::Path(p) if p.path.is_ident("str") && r.mutability.is_none() => Ok(PortOf {
                kind: Kind::Scalar(Scalar::Str),
                optional: false,
            }),
            _ => Err(unsupported()),
        };
    }
    let Type::Path(path) = ty else {
        return Err(unsupported());
    };
    if path.qself.is_some() {
        return Err(unsupported());
    }
    let Some(last) = path.path.segments.last() else {
        return Err(unsupported());
    };
    let name = last.ident.to_string();
    let argument = || match &last.arguments {
        PathArguments::AngleBracketed(a) if a.args.len() == 1 => match a.args.first() {
            Some(GenericArgument::Type(t)) => Some(t.clone()),
            _ => None,
        },
        _ => None,
    };
    let plain = matches!(last.arguments, PathArguments::None);
    let scalar = |s| {
        Ok(PortOf {
            kind: Kind::Scalar(s),
            optional: false,
        })
    };
    match name.as_str() {
        "i64" if plain => scalar(Scalar::Int),
        "f64" if plain => scalar(Scalar::Float),
        "String" if plain => scalar(Scalar::Str),
        "bool" if plain => scalar(Scalar::Bool),
        "Input" => argument()
            .map(|t| PortOf {
                kind: Kind::Data(t),
                optional: false,
            })
            .ok_or_else(unsupported),
        "Output" => argument()
            .map(|t| PortOf {
                kind: Kind::Output(t),
                optional: false,
            })
            .ok_or_else(unsupported),
        "Option" => {
            let inner = argument().ok_or_else(unsupported)?;
            let of = classify(&inner)?;
            match of.kind {
                Kind::Output(_) => Err(syn::Error::new_spanned(
                    ty,
                    "an output cannot be optional: write Output<T>",
                )),
                _ if of.optional => Err(unsupported()),
                kind => Ok(PortOf {
                    kind,
                    optional: true,
                }),
            }
        }
        _ => Err(unsupported()),
    }
}
