//! A `#[component]` function as read: its settings and parameters, nothing checked yet beyond
//! what reading needs.

use proc_macro2::TokenStream;
use syn::{Expr, FnArg, Ident, ItemFn, LitBool, LitStr, Pat, Visibility};

use crate::attrs::{self, Entries, Errors};
use crate::schema_table;
use crate::types::{PortOf, classify};

/// The settings every `#[component(…)]` takes (`parallel` makes it a parallel component, which
/// also takes [`PARALLEL_ONLY`]).
const COMMON: &[&str] = &[
    "name",
    "version",
    "display_name",
    "tags",
    "environment",
    "code",
    "command",
    "is_deterministic",
    "resources",
    "distribution",
    "timeout",
    "environment_variables",
    "parallel",
];

/// The settings only a parallel component has.
pub(crate) const PARALLEL_ONLY: &[&str] = &[
    "entry_script",
    "program_arguments",
    "mini_batch_size",
    "input_data",
    "max_concurrency_per_instance",
    "instance_count",
    "error_threshold",
    "mini_batch_error_threshold",
    "retry_settings",
    "logging_level",
    "append_row_to",
];

/// The SDK schemas a command and a parallel component are loaded with: what the table settings
/// (`resources`, `distribution`, `retry_settings`) are checked against.
const COMMAND_SCHEMA: &str = "CommandComponentSchema";
const PARALLEL_SCHEMA: &str = "ParallelComponentSchema";

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
    /// `resources`, as YAML.
    pub(crate) resources: Option<String>,
    /// `distribution`, as YAML.
    pub(crate) distribution: Option<String>,
    pub(crate) timeout: Option<Expr>,
    pub(crate) environment_variables: Vec<(LitStr, LitStr)>,
    /// `parallel`: a parallel component, and where it was said.
    pub(crate) parallel: Option<LitBool>,
    pub(crate) entry_script: Option<LitStr>,
    pub(crate) program_arguments: Option<LitStr>,
    /// `mini_batch_size`, as YAML.
    pub(crate) mini_batch_size: Option<String>,
    pub(crate) input_data: Option<LitStr>,
    pub(crate) max_concurrency_per_instance: Option<Expr>,
    pub(crate) instance_count: Option<Expr>,
    pub(crate) error_threshold: Option<Expr>,
    pub(crate) mini_batch_error_threshold: Option<Expr>,
    /// `retry_settings`, as YAML.
    pub(crate) retry_settings: Option<String>,
    pub(crate) logging_level: Option<LitStr>,
    pub(crate) append_row_to: Option<LitStr>,
    /// Parallel-only settings given, for the error when `parallel` is not.
    pub(crate) parallel_settings: Vec<Ident>,
    /// The settings could not be read (a syntax error, reported): nothing is missing then.
    pub(crate) unread: bool,
    pub(crate) params: Vec<Param>,
}

impl Component {
    /// Whether it is a parallel component.
    pub(crate) fn is_parallel(&self) -> bool {
        self.parallel.as_ref().is_some_and(LitBool::value)
    }
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
        resources: None,
        distribution: None,
        timeout: None,
        environment_variables: Vec::new(),
        parallel: None,
        entry_script: None,
        program_arguments: None,
        mini_batch_size: None,
        input_data: None,
        max_concurrency_per_instance: None,
        instance_count: None,
        error_threshold: None,
        mini_batch_error_threshold: None,
        retry_settings: None,
        logging_level: None,
        append_row_to: None,
        parallel_settings: Vec::new(),
        unread: false,
        params: Vec::new(),
    };
    let mut parallel_keys = Vec::new();
    // Tables are read once `parallel` is known: it says which schema they follow.
    let mut tables: Vec<(&'static str, Expr)> = Vec::new();
    match Entries::parse(attr) {
        Err(e) => {
            errors.push(e);
            c.unread = true;
        }
        Ok(entries) => entries
            .read_keys(&mut |k: &Ident| {
                if PARALLEL_ONLY.contains(&k.to_string().as_str()) {
                    parallel_keys.push(k.clone());
                }
            })
            .read(
                &[COMMON, PARALLEL_ONLY].concat(),
                errors,
                |key, value, errors| match key {
                    "resources" => tables.push(("resources", value.clone())),
                    "distribution" => tables.push(("distribution", value.clone())),
                    "timeout" => c.timeout = attrs::integer(value, key, errors),
                    "environment_variables" => {
                        c.environment_variables = attrs::pairs(value, key, errors)
                    }
                    "parallel" => c.parallel = attrs::boolean(value, key, errors),
                    "entry_script" => c.entry_script = attrs::string(value, key, errors),
                    "program_arguments" => c.program_arguments = attrs::string(value, key, errors),
                    "mini_batch_size" => c.mini_batch_size = mini_batch_size(value, errors),
                    "input_data" => c.input_data = attrs::string(value, key, errors),
                    "max_concurrency_per_instance" => {
                        c.max_concurrency_per_instance = attrs::integer(value, key, errors)
                    }
                    "instance_count" => c.instance_count = attrs::integer(value, key, errors),
                    "error_threshold" => c.error_threshold = attrs::integer(value, key, errors),
                    "mini_batch_error_threshold" => {
                        c.mini_batch_error_threshold = attrs::integer(value, key, errors)
                    }
                    "retry_settings" => tables.push(("retry_settings", value.clone())),
                    "logging_level" => c.logging_level = attrs::string(value, key, errors),
                    "append_row_to" => c.append_row_to = attrs::string(value, key, errors),
                    "name" => c.name = attrs::string(value, key, errors),
                    "version" => c.version = attrs::string(value, key, errors),
                    "display_name" => c.display_name = attrs::string(value, key, errors),
                    "environment" => c.environment = attrs::string(value, key, errors),
                    "code" => c.code = attrs::string(value, key, errors),
                    "command" => c.command = attrs::string(value, key, errors),
                    "is_deterministic" => c.is_deterministic = attrs::boolean(value, key, errors),
                    "tags" => c.tags = attrs::pairs(value, key, errors),
                    _ => {}
                },
            ),
    }
    c.parallel_settings = parallel_keys;
    let document = if c.is_parallel() {
        PARALLEL_SCHEMA
    } else {
        COMMAND_SCHEMA
    };
    for (key, value) in tables {
        if !schema_table::nests(document, key) {
            // A command's `retry_settings` is reported with the other parallel-only settings.
            if key == "distribution" {
                errors.push(syn::Error::new_spanned(
                    &value,
                    "a parallel component has no `distribution`: set `instance_count` and `max_concurrency_per_instance`",
                ));
            }
            continue;
        }
        let Some(yaml) = schema_table::table(&value, key, document, errors) else {
            continue;
        };
        match key {
            "resources" => c.resources = Some(yaml),
            "distribution" => c.distribution = Some(yaml),
            _ => c.retry_settings = Some(yaml),
        }
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

/// `mini_batch_size = 10` or `= "10kb"`, as YAML (a string, as the SDK's schema wants).
fn mini_batch_size(value: &Expr, errors: &mut Errors) -> Option<String> {
    let text = match value {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(i),
            ..
        }) => i.base10_digits().to_owned(),
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => s.value(),
        other => {
            errors.push(syn::Error::new_spanned(
                other,
                "`mini_batch_size` takes a count (10) or a size (\"10kb\")",
            ));
            return None;
        }
    };
    let lower = text.to_ascii_lowercase();
    let digits = lower.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let unit = &lower[digits.len()..];
    if digits.is_empty()
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || !["", "kb", "mb", "gb"].contains(&unit)
    {
        errors.push(syn::Error::new_spanned(
            value,
            "`mini_batch_size` is a count (10) or a size in kb, mb or gb (\"10kb\")",
        ));
        return None;
    }
    Some(format!("\"{text}\""))
}
