//! A `#[component]` function as read: its settings and parameters, nothing checked yet beyond
//! what reading needs.

use proc_macro2::TokenStream;
use syn::{Expr, FnArg, Ident, ItemFn, LitBool, LitStr, Pat, Visibility};

use crate::attrs::{self, Entries, Errors};
use crate::types::{PortOf, classify};

/// The settings `#[component(…)]` takes.
pub(crate) const SETTINGS: &[&str] = &[
    "name",
    "version",
    "display_name",
    "tags",
    "environment",
    "code",
    "command",
    "is_deterministic",
];

pub(crate) struct Component {
    pub(crate) vis: Visibility,
    pub(crate) ident: Ident,
    pub(crate) doc: Option<String>,
    pub(crate) name: Option<LitStr>,
    pub(crate) version: Option<LitStr>,
    pub(crate) display_name: Option<LitStr>,
    pub(crate) tags: Vec<(LitStr, LitStr)>,
    pub(crate) environment: Option<LitStr>,
    pub(crate) code: Option<LitStr>,
    pub(crate) command: Option<LitStr>,
    pub(crate) is_deterministic: Option<LitBool>,
    pub(crate) params: Vec<Param>,
}

impl Component {
    /// The component's name: `name = "…"`, else the function's.
    pub(crate) fn name(&self) -> String {
        self.name
            .as_ref()
            .map_or_else(|| self.ident.to_string(), LitStr::value)
    }
}

pub(crate) struct Param {
    pub(crate) ident: Ident,
    /// `None` when the type is not one a port can have (already reported).
    pub(crate) port: Option<PortOf>,
    pub(crate) attrs: PortAttrs,
}

impl Param {
    /// The port's name (a raw identifier without its `r#`).
    pub(crate) fn name(&self) -> String {
        let s = self.ident.to_string();
        s.strip_prefix("r#").map(str::to_owned).unwrap_or(s)
    }
}

/// `#[input(default, min, max, enum, description, mode)]` or `#[output(description, mode)]`.
#[derive(Default)]
pub(crate) struct PortAttrs {
    /// Which attribute was written, for errors: `input` or `output`.
    pub(crate) written: Option<Ident>,
    pub(crate) default: Option<Expr>,
    pub(crate) min: Option<Expr>,
    pub(crate) max: Option<Expr>,
    pub(crate) allowed: Vec<Expr>,
    pub(crate) description: Option<LitStr>,
    pub(crate) mode: Option<LitStr>,
}

pub(crate) fn parse(
    attr: TokenStream,
    item: TokenStream,
    errors: &mut Errors,
) -> Option<Component> {
    let function: ItemFn = match syn::parse2(item) {
        Ok(f) => f,
        Err(e) => {
            errors.push(syn::Error::new(e.span(), "#[component] goes on a function"));
            return None;
        }
    };
    let mut c = Component {
        vis: function.vis.clone(),
        ident: function.sig.ident.clone(),
        doc: attrs::doc(&function.attrs),
        name: None,
        version: None,
        display_name: None,
        tags: Vec::new(),
        environment: None,
        code: None,
        command: None,
        is_deterministic: None,
        params: Vec::new(),
    };
    match Entries::parse(attr) {
        Err(e) => errors.push(e),
        Ok(entries) => entries.read(SETTINGS, errors, |key, value, errors| match key {
            "name" => c.name = attrs::string(value, key, errors),
            "version" => c.version = attrs::string(value, key, errors),
            "display_name" => c.display_name = attrs::string(value, key, errors),
            "environment" => c.environment = attrs::string(value, key, errors),
            "code" => c.code = attrs::string(value, key, errors),
            "command" => c.command = attrs::string(value, key, errors),
            "is_deterministic" => c.is_deterministic = attrs::boolean(value, key, errors),
            "tags" => c.tags = attrs::pairs(value, key, errors),
            _ => {}
        }),
    }
    for input in function.sig.inputs.iter() {
        let FnArg::Typed(typed) = input else {
            errors.push(syn::Error::new_spanned(
                input,
                "a component is a free function: its parameters are its ports",
            ));
            continue;
        };
        let Pat::Ident(pat) = &*typed.pat else {
            errors.push(syn::Error::new_spanned(
                &typed.pat,
                "a port is a plain name, such as `data: Input<UriFolder>`",
            ));
            continue;
        };
        let port = match classify(&typed.ty) {
            Ok(p) => Some(p),
            Err(e) => {
                errors.push(e);
                None
            }
        };
        c.params.push(Param {
            ident: pat.ident.clone(),
            port,
            attrs: port_attrs(&typed.attrs, errors),
        });
    }
    Some(c)
}

/// The settings `#[input(…)]` and `#[output(…)]` take.
const INPUT_SETTINGS: &[&str] = &["default", "min", "max", "enum", "description", "mode"];
const OUTPUT_SETTINGS: &[&str] = &["description", "mode"];

pub(crate) fn port_attrs(attrs: &[syn::Attribute], errors: &mut Errors) -> PortAttrs {
    let mut out = PortAttrs::default();
    for attr in attrs {
        let (allowed, which) = if attr.path().is_ident("input") {
            (INPUT_SETTINGS, "input")
        } else if attr.path().is_ident("output") {
            (OUTPUT_SETTINGS, "output")
        } else {
            continue;
        };
        if let Some(first) = &out.written {
            errors.push(syn::Error::new_spanned(
                attr,
                format!("this port already has #[{first}(…)]: write its settings in one"),
            ));
            continue;
        }
        out.written = Some(Ident::new(which, proc_macro2::Span::call_site()));
        let tokens = match &attr.meta {
            syn::Meta::List(list) => list.tokens.clone(),
            _ => TokenStream::new(),
        };
        match Entries::parse(tokens) {
            Err(e) => errors.push(e),
            Ok(entries) => entries.read(allowed, errors, |key, value, errors| match key {
                "default" => out.default = Some(value.clone()),
                "min" => out.min = Some(value.clone()),
                "max" => out.max = Some(value.clone()),
                "enum" => match value {
                    Expr::Array(a) => out.allowed = a.elems.iter().cloned().collect(),
                    other => errors.push(syn::Error::new_spanned(
                        other,
                        "`enum` takes an array of the allowed values: `enum = [\"a\", \"b\"]`",
                    )),
                },
                "description" => out.description = attrs::string(value, key, errors),
                "mode" => out.mode = attrs::string(value, key, errors),
                _ => {}
            }),
        }
    }
    out
}
