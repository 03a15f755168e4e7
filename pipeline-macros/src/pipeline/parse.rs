//! A `#[pipeline]` function as read, and what can be told wrong about it at compile time.

use proc_macro2::TokenStream;
use syn::{Block, FnArg, Ident, ItemFn, LitBool, LitStr, Pat, ReturnType, Type, Visibility};

use pipeline_schema::{enums, names};

use crate::attrs::{self, Entries, Errors};
use crate::component::PortAttrs;

const SETTINGS: &[&str] = &[
    "name",
    "display_name",
    "experiment_name",
    "tags",
    "default_compute",
    "default_datastore",
    "continue_on_step_failure",
    "force_rerun",
];

pub(crate) struct Pipeline {
    pub(crate) vis: Visibility,
    pub(crate) ident: Ident,
    pub(crate) doc: Option<String>,
    pub(crate) name: Option<LitStr>,
    pub(crate) display_name: Option<LitStr>,
    pub(crate) experiment_name: Option<LitStr>,
    pub(crate) tags: Vec<(LitStr, LitStr)>,
    pub(crate) default_compute: Option<LitStr>,
    pub(crate) default_datastore: Option<LitStr>,
    pub(crate) continue_on_step_failure: Option<LitBool>,
    pub(crate) force_rerun: Option<LitBool>,
    pub(crate) params: Vec<Input>,
    pub(crate) output: Option<Type>,
    pub(crate) body: Block,
}

pub(crate) struct Input {
    pub(crate) ident: Ident,
    pub(crate) ty: Type,
    pub(crate) attrs: PortAttrs,
}

pub(crate) fn parse(attr: TokenStream, item: TokenStream, errors: &mut Errors) -> Option<Pipeline> {
    let function: ItemFn = match syn::parse2(item) {
        Ok(f) => f,
        Err(e) => {
            errors.push(syn::Error::new(e.span(), "#[pipeline] goes on a function"));
            return None;
        }
    };
    let mut p = Pipeline {
        vis: function.vis.clone(),
        ident: function.sig.ident.clone(),
        doc: attrs::doc(&function.attrs),
        name: None,
        display_name: None,
        experiment_name: None,
        tags: Vec::new(),
        default_compute: None,
        default_datastore: None,
        continue_on_step_failure: None,
        force_rerun: None,
        params: Vec::new(),
        output: match &function.sig.output {
            ReturnType::Default => None,
            ReturnType::Type(_, t) => Some((**t).clone()),
        },
        body: (*function.block).clone(),
    };
    match Entries::parse(attr) {
        Err(e) => errors.push(e),
        Ok(entries) => entries.read(SETTINGS, errors, |key, value, errors| match key {
            "name" => p.name = attrs::string(value, key, errors),
            "display_name" => p.display_name = attrs::string(value, key, errors),
            "experiment_name" => p.experiment_name = attrs::string(value, key, errors),
            "default_compute" => p.default_compute = attrs::string(value, key, errors),
            "default_datastore" => p.default_datastore = attrs::string(value, key, errors),
            "continue_on_step_failure" => {
                p.continue_on_step_failure = attrs::boolean(value, key, errors)
            }
            "force_rerun" => p.force_rerun = attrs::boolean(value, key, errors),
            "tags" => p.tags = attrs::pairs(value, key, errors),
            _ => {}
        }),
    }
    for input in &function.sig.inputs {
        let FnArg::Typed(typed) = input else {
            errors.push(syn::Error::new_spanned(
                input,
                "a pipeline is a free function: its parameters are its inputs",
            ));
            continue;
        };
        let Pat::Ident(pat) = &*typed.pat else {
            errors.push(syn::Error::new_spanned(
                &typed.pat,
                "an input is a plain name, such as `raw: Input<UriFolder>`",
            ));
            continue;
        };
        p.params.push(Input {
            ident: pat.ident.clone(),
            ty: (*typed.ty).clone(),
            attrs: crate::component::parse_port_attrs(&typed.attrs, errors),
        });
    }
    Some(p)
}

pub(crate) fn validate(p: &Pipeline, errors: &mut Errors) {
    let name = p
        .name
        .as_ref()
        .map_or_else(|| p.ident.to_string(), LitStr::value);
    if !names::is_component_name(&name) {
        let span = p.name.as_ref().map_or(p.ident.span(), |n| n.span());
        errors.at(
            span,
            format!(
                "`{name}` is not a valid pipeline name: it must match {}, such as `{}`",
                names::COMPONENT_NAME,
                names::suggest(&name)
            ),
        );
    }
    if let Some(c) = &p.default_compute {
        let v = c.value();
        // `PipelineJobSettingsSchema.default_compute`: `serverless` (any case) or a compute
        // reference; a bare name is rejected.
        let serverless = enums::PIPELINE_JOB_SETTINGS_DEFAULT_COMPUTE
            .matches(&v)
            .is_some();
        if !(v.starts_with("azureml:") || serverless) {
            errors.at(
                c.span(),
                format!("`default_compute` names a compute as `azureml:<name>` (or is `serverless`): `azureml:{v}`?"),
            );
        }
    }
    for input in &p.params {
        for (e, key) in [(&input.attrs.min, "min"), (&input.attrs.max, "max")] {
            if let Some(e) = e {
                errors.push(syn::Error::new_spanned(
                    e,
                    format!("a pipeline input takes a `default`, not a `{key}`"),
                ));
            }
        }
        if let Some(m) = &input.attrs.mode {
            errors.at(m.span(), "set a pipeline input's mode where a node uses it");
        }
    }
}
