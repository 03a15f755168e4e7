//! Reading model types from [`Node`] trees and writing them back.
//!
//! Readers never stop at the first problem: each records what it finds in the [`Cx`] (with file,
//! line, column and YAML path) and returns `None`, and its callers go on with the other keys.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use indexmap::IndexMap;

use crate::codes::Code;
use crate::error::Diagnostic;
use crate::model::Component;
use crate::parallel::{PARALLEL_ENTRIES, in_parallel};
use crate::yaml::{Mapping, Node, Span, Value};

/// A file read during a load, kept for diagnostics: its text, and its tree when asked for.
///
/// The tree that the model was read from is not kept: a huge pipeline's tree is most of its
/// memory, and a clean file never needs it again. Diagnostics found later read it anew, once.
///
/// ```
/// use std::path::Path;
/// use pipeline_core::validate::validate_str;
///
/// let text = "type: command\ncommand: python train.py\nenvironment: azureml:AzureML-sklearn-1.0@latest\n";
/// let report = validate_str(text, "jobs/train.yml");
/// let source = report.source(Path::new("jobs/train.yml")).unwrap();
/// assert_eq!(source.file, Path::new("jobs/train.yml"));
/// assert_eq!(source.text, text);
/// ```
#[derive(Debug)]
pub struct Source {
    /// The file as it was named.
    pub file: PathBuf,
    /// Its text.
    pub text: String,
    tree: std::sync::OnceLock<Option<Node>>,
}

impl Source {
    /// Its YAML tree, with positions (`None` when it is not valid YAML).
    ///
    /// ```
    /// use std::path::Path;
    /// use pipeline_core::validate::validate_str;
    ///
    /// let report = validate_str("type: command\ncompute: azureml:cpu-cluster\n", "train.yml");
    /// let root = report.source(Path::new("train.yml")).unwrap().root().unwrap();
    /// let (key, _) = root.as_map().unwrap().entry("compute").unwrap();
    /// assert_eq!(key.span.line, 2);
    ///
    /// let broken = validate_str("jobs: [unclosed\n", "broken.yml");
    /// assert!(broken.source(Path::new("broken.yml")).unwrap().root().is_none());
    /// ```
    pub fn root(&self) -> Option<&Node> {
        self.tree
            .get_or_init(|| crate::yaml::parse(&self.text).ok())
            .as_ref()
    }
}

/// Frees a tree that is no longer needed, on another thread when it is big enough for freeing to
/// take a noticeable time (a 100,000-node pipeline's takes about half a second).
pub(crate) fn release(tree: Option<Node>, text_len: usize) {
    if text_len >= crate::parallel::BIG_TEXT {
        // Nothing to report from a drop; if no thread can be had, drop it here.
        if let Err(e) = std::thread::Builder::new().spawn(move || drop(tree)) {
            drop(e);
        }
    }
}

/// What a whole load shares: diagnostics from every file, and the component files read so far.
#[derive(Default)]
pub(crate) struct Loader {
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Every file read, in the order read.
    pub(crate) sources: Vec<Arc<Source>>,
    pub(crate) components: HashMap<PathBuf, Arc<Component>>,
    /// Component files being read, to catch a file that references itself.
    pub(crate) reading: Vec<PathBuf>,
}

/// The reading context: the file being read and where in it we are.
pub(crate) struct Cx<'l> {
    pub(crate) loader: &'l mut Loader,
    pub(crate) file: PathBuf,
    /// The folder that relative paths in this file are relative to (`None`: do not resolve).
    pub(crate) dir: Option<PathBuf>,
    /// Keys on the way here: fixed keys (`inputs`, `type`) are borrowed, so they cost nothing.
    path: Vec<Cow<'static, str>>,
    /// Where each key on `path` stands, so that "missing key" points at the mapping's key.
    key_spans: Vec<Span>,
}

impl<'l> Cx<'l> {
    pub(crate) fn new(loader: &'l mut Loader, file: PathBuf, dir: Option<PathBuf>) -> Self {
        Cx {
            loader,
            file,
            dir,
            path: Vec::new(),
            key_spans: Vec::new(),
        }
    }

    /// The YAML path of the value being read, such as `jobs.train.inputs.lr`.
    pub(crate) fn path(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            if !out.is_empty() && !seg.starts_with('[') {
                out.push('.');
            }
            out.push_str(seg);
        }
        out
    }

    /// Reads `f` one level deeper, under `key`.
    pub(crate) fn at<T>(
        &mut self,
        key: impl Into<Cow<'static, str>>,
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        self.at_span(key, Span::default(), f)
    }

    /// Like [`Cx::at`], remembering where the key stands.
    pub(crate) fn at_span<T>(
        &mut self,
        key: impl Into<Cow<'static, str>>,
        span: Span,
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        self.path.push(key.into());
        self.key_spans.push(span);
        let out = f(self);
        self.path.pop();
        self.key_spans.pop();
        out
    }

    /// The position of the innermost key on the path, if known.
    pub(crate) fn key_span(&self) -> Option<Span> {
        self.key_spans.last().copied().filter(|s| s.is_known())
    }

    pub(crate) fn error(
        &mut self,
        code: Code,
        span: Span,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let d = Diagnostic {
            code,
            file: self.file.clone(),
            line: span.line,
            column: span.column,
            path: self.path(),
            message: message.into(),
            help,
        };
        self.loader.diagnostics.push(d);
    }

    /// Records a "expected X, found Y" error and returns `None`.
    pub(crate) fn expected<T>(&mut self, node: &Node, what: &str) -> Option<T> {
        // Quoted text that would be the right kind without its quotes: say so.
        let unquoted = match &node.value {
            Value::Str(s) => match crate::yaml::parse(s).map(|n| n.value) {
                Ok(Value::Bool(_)) if what.contains("boolean") => Some(s.clone()),
                Ok(Value::Int(_)) if what.contains("integer") || what.contains("number") => {
                    Some(s.clone())
                }
                Ok(Value::Float(_)) if what.contains("number") => Some(s.clone()),
                _ => None,
            },
            _ => None,
        };
        let help = match (unquoted, &node.value) {
            (Some(s), _) => format!("remove the quotes: `{s}`"),
            (None, Value::Map(_) | Value::Seq(_)) => format!("give a single value here: {what}"),
            (None, _) => format!("give {what}"),
        };
        self.error(
            Code::E003,
            node.span,
            format!("expected {what}, found {}", describe(node)),
            Some(help),
        );
        None
    }

    /// The mapping, or an E052 naming `what` was expected (`""` for just "a mapping").
    pub(crate) fn map<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n Mapping> {
        match &node.value {
            Value::Map(m) => Some(m),
            _ => {
                let expected = if what.is_empty() {
                    "a mapping".to_owned()
                } else {
                    format!("{what} (a mapping)")
                };
                self.error(
                    Code::E052,
                    node.span,
                    format!("expected {expected}, found {}", describe(node)),
                    Some(
                        "write its keys on indented lines below, or as `{key: value, …}`"
                            .to_owned(),
                    ),
                );
                None
            }
        }
    }
}

/// "a string `abc`", "an integer `3`", "a mapping": how error messages name what they found.
pub(crate) fn describe(node: &Node) -> String {
    match &node.value {
        Value::Seq(_) | Value::Map(_) | Value::Null => node.kind().to_owned(),
        _ => format!("{} `{node}`", node.kind()),
    }
}

/// Like [`read_kind`], for a `type` from a closed set (`pipeline_schema::kinds`): its spelling
/// in the set, or E005 (with the closest value) for a value the SDK refuses.
pub(crate) fn read_kind_in<'n>(
    node: &'n Node,
    cx: &mut Cx<'_>,
    what: &str,
    default: Option<&str>,
    kinds: crate::schema::kinds::Kinds,
) -> Option<(&'n Mapping, &'static str)> {
    let map = cx.map(node, what)?;
    let (text, span) = match map.get("type") {
        Some(t) => (
            t.as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| t.to_string()),
            t.span,
        ),
        None => match default {
            Some(d) => (d.to_owned(), node.span),
            None => {
                // `type` is required here: this records E004.
                let _: Option<String> = String::missing(cx, node, "type");
                return None;
            }
        },
    };
    let is_text = map.get("type").is_none_or(|t| t.as_str().is_some());
    if is_text && let Some(canonical) = kinds.matches(&text) {
        return Some((map, canonical));
    }
    let lower = text.to_ascii_lowercase();
    let closest = kinds
        .values
        .iter()
        .min_by_key(|a| crate::validate::edit_distance(a, &lower))
        .filter(|a| crate::validate::edit_distance(a, &lower) <= 3);
    let all = kinds.values.join(", ");
    cx.at("type", |cx| {
        cx.error(
            Code::E005,
            span,
            format!("`{text}` is not a type of {what}"),
            Some(match closest {
                Some(c) => format!("did you mean `{c}`? (types: {all})"),
                None => format!("types: {all}"),
            }),
        )
    });
    None
}

/// A model type read from a node.
pub(crate) trait FromNode: Sized {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self>;

    /// A key that may be left out (an `Option`).
    const OPTIONAL: bool = false;

    /// Called for an absent key: an error unless the type is optional.
    fn missing(cx: &mut Cx<'_>, parent: &Node, key: &str) -> Option<Self> {
        let at = cx.key_span().unwrap_or(parent.span);
        cx.error(
            Code::E004,
            at,
            format!("missing required key `{key}`"),
            Some(format!("add `{key}:` here")),
        );
        None
    }
}

/// A model type written as a node. `to_field` is `None` for a value that is left out.
pub(crate) trait ToNode {
    fn to_node(&self) -> Node;

    fn to_field(&self) -> Option<Node> {
        Some(self.to_node())
    }
}

impl<T: FromNode> FromNode for Option<T> {
    const OPTIONAL: bool = true;

    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        T::from_node(node, cx).map(Some)
    }

    fn missing(_: &mut Cx<'_>, _: &Node, _: &str) -> Option<Self> {
        Some(None)
    }
}

impl<T: ToNode> ToNode for Option<T> {
    fn to_node(&self) -> Node {
        self.as_ref().map_or_else(Node::null, ToNode::to_node)
    }

    fn to_field(&self) -> Option<Node> {
        self.as_ref().map(ToNode::to_node)
    }
}

impl<T: ToNode + ?Sized> ToNode for Box<T> {
    fn to_node(&self) -> Node {
        (**self).to_node()
    }
}

impl FromNode for Node {
    fn from_node(node: &Node, _: &mut Cx<'_>) -> Option<Self> {
        Some(node.clone())
    }
}

impl ToNode for Node {
    fn to_node(&self) -> Node {
        self.clone()
    }
}

impl FromNode for Mapping {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        cx.map(node, "").cloned()
    }
}

impl ToNode for Mapping {
    fn to_node(&self) -> Node {
        Node::map(self.clone())
    }
}

/// Text fields take any scalar, as the SDK does (`version: 1` is the version "1"), spelled as
/// Python's `str()` spells it, since that is the text the SDK ends up with (`True`, `1e-05`).
impl FromNode for String {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        match &node.value {
            Value::Str(s) | Value::Timestamp(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Bool(b) => Some(if *b { "True" } else { "False" }.to_owned()),
            Value::Float(f) => Some(python_float_str(*f)),
            _ => cx.expected(node, "a string"),
        }
    }
}

/// Python's `str(float)`: shortest round-trip digits, exponent signed and at least two digits.
fn python_float_str(f: f64) -> String {
    if f.is_nan() {
        return "nan".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    let s = format!("{f:?}");
    match s.split_once('e') {
        None => s,
        Some((mantissa, exp)) => {
            let (sign, digits) = exp.strip_prefix('-').map_or(("+", exp), |d| ("-", d));
            format!("{mantissa}e{sign}{digits:0>2}")
        }
    }
}

impl ToNode for String {
    fn to_node(&self) -> Node {
        Node::str(self.clone())
    }
}

impl FromNode for bool {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        match node.value {
            Value::Bool(b) => Some(b),
            _ => cx.expected(node, "a boolean (true or false)"),
        }
    }
}

impl ToNode for bool {
    fn to_node(&self) -> Node {
        Node::new(Value::Bool(*self))
    }
}

/// A whole number as marshmallow's `Integer` (not strict, as the SDK declares its fields) reads
/// it: an integer, a float with its fraction dropped, or the text of either.
fn whole_number(node: &Node) -> Option<i64> {
    let float = |f: f64| (f.is_finite() && f.abs() < 9.2e18).then_some(f.trunc() as i64);
    match &node.value {
        Value::Int(i) => Some(*i),
        Value::Float(f) => float(*f),
        Value::Str(s) => {
            let s = s.trim();
            s.parse::<i64>()
                .ok()
                .or_else(|| s.parse::<f64>().ok().and_then(float))
        }
        _ => None,
    }
}

impl FromNode for i64 {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        whole_number(node).or_else(|| cx.expected(node, "an integer"))
    }
}

impl ToNode for i64 {
    fn to_node(&self) -> Node {
        Node::new(Value::Int(*self))
    }
}

impl FromNode for u64 {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        match whole_number(node) {
            Some(i) if i >= 0 => Some(i as u64),
            _ => cx.expected(node, "a whole number, 0 or more"),
        }
    }
}

impl ToNode for u64 {
    fn to_node(&self) -> Node {
        // Values above i64::MAX cannot come from YAML we read; saturate rather than wrap.
        Node::new(Value::Int(i64::try_from(*self).unwrap_or(i64::MAX)))
    }
}

impl FromNode for f64 {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        match node.value {
            Value::Float(f) => Some(f),
            Value::Int(i) => Some(i as f64),
            _ => cx.expected(node, "a number"),
        }
    }
}

impl ToNode for f64 {
    fn to_node(&self) -> Node {
        Node::new(Value::Float(*self))
    }
}

impl<T: FromNode> FromNode for Vec<T> {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let Value::Seq(items) = &node.value else {
            return cx.expected(node, "a list");
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match cx.at_span(format!("[{i}]"), item.span, |cx| T::from_node(item, cx)) {
                Some(v) => out.push(v),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
}

impl<T: ToNode> ToNode for Vec<T> {
    fn to_node(&self) -> Node {
        Node::seq(self.iter().map(ToNode::to_node).collect())
    }
}

impl<T: FromNode + Send> FromNode for IndexMap<String, T> {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let map = cx.map(node, "")?;
        let entries: Vec<(&Node, &Node)> = map.iter().collect();
        let read = |cx: &mut Cx<'_>, part: &[(&Node, &Node)]| -> Vec<(String, Option<T>)> {
            part.iter()
                .map(|(k, v)| {
                    let key = k.to_string();
                    let value = cx.at_span(key.clone(), k.span, |cx| T::from_node(v, cx));
                    (key, value)
                })
                .collect()
        };
        let values: Vec<(String, Option<T>)> = if entries.len() < PARALLEL_ENTRIES {
            read(cx, &entries)
        } else {
            // Each part gets a loader of its own; what they found is merged back in order.
            let (file, dir, path, key_spans) = (
                cx.file.clone(),
                cx.dir.clone(),
                cx.path.clone(),
                cx.key_spans.clone(),
            );
            let reading = cx.loader.reading.clone();
            let parts = in_parallel(&entries, |part| {
                let mut loader = Loader {
                    reading: reading.clone(),
                    ..Loader::default()
                };
                let mut sub = Cx {
                    loader: &mut loader,
                    file: file.clone(),
                    dir: dir.clone(),
                    path: path.clone(),
                    key_spans: key_spans.clone(),
                };
                let values = read(&mut sub, part);
                (values, loader)
            });
            let mut values = Vec::with_capacity(entries.len());
            for (part, loader) in parts {
                values.extend(part);
                cx.loader.diagnostics.extend(loader.diagnostics);
                cx.loader.sources.extend(loader.sources);
                for (k, c) in loader.components {
                    cx.loader.components.entry(k).or_insert(c);
                }
            }
            values
        };
        let mut out = IndexMap::with_capacity(values.len());
        let mut ok = true;
        for (key, value) in values {
            match value {
                Some(v) => {
                    out.insert(key, v);
                }
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
}

impl<T: ToNode + Sync> ToNode for IndexMap<String, T> {
    fn to_node(&self) -> Node {
        // IndexMap keys are unique: no need for Mapping::insert's search.
        let mut m = Mapping::new();
        if self.len() < PARALLEL_ENTRIES {
            for (k, v) in self {
                m.push_unchecked(Node::str(k.clone()), v.to_node());
            }
        } else {
            let entries: Vec<(&String, &T)> = self.iter().collect();
            for part in in_parallel(&entries, |part| {
                part.iter()
                    .map(|(k, v)| (Node::str((*k).clone()), v.to_node()))
                    .collect::<Vec<_>>()
            }) {
                for (k, v) in part {
                    m.push_unchecked(k, v);
                }
            }
        }
        Node::map(m)
    }
}

/// A struct read from a mapping: the listed keys into typed fields (in this order when written),
/// every other key kept verbatim in `extra`, in its original order.
///
/// A known key whose value is `null` is kept in `extra` too when its field is optional, so that
/// `description:` with nothing after it survives a round trip.
macro_rules! yaml_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident $(tag = $tag:literal)? {
            $( $(#[$fmeta:meta])* $key:literal => $field:ident : $ty:ty, )*
        }
        $( hidden { $( $(#[$hmeta:meta])* $hfield:ident : $hty:ty, )* } )?
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[doc = concat!("\n\nThe YAML key `", $key, "`.")]
                pub $field: $ty,
            )*
            /// Keys this model does not know, kept verbatim in their original order.
            pub extra: $crate::yaml::Mapping,
            $( $( $(#[$hmeta])* pub $hfield: $hty, )* )?
        }

        impl $name {
            /// The keys this type reads into fields (`type` too, when it has a tag).
            #[allow(dead_code)]
            pub(crate) const KEYS: &'static [&'static str] = &[$($key,)* $( { let _: &str = $tag; "type" } )?];
        }

        impl $crate::convert::FromNode for $name {
            #[allow(unused_mut, unused_variables)]
            fn from_node(node: &$crate::yaml::Node, cx: &mut $crate::convert::Cx<'_>) -> Option<Self> {
                let map = cx.map(node, "")?;
                let mut extra = $crate::yaml::Mapping::new();
                let mut ok = true;
                $( let mut $field: Option<Option<$ty>> = None; )*
                for (k, v) in map.iter() {
                    let key = k.as_str();
                    $(
                        if key == Some($key) {
                            if v.is_null() && <$ty as $crate::convert::FromNode>::OPTIONAL {
                                extra.insert(k.clone(), v.clone());
                            } else {
                                let read = cx.at_span($key, k.span, |cx| <$ty as $crate::convert::FromNode>::from_node(v, cx));
                                ok &= read.is_some();
                                $field = Some(read);
                            }
                            continue;
                        }
                    )*
                    $(
                        // The enum that dispatched here has read `type` already.
                        let _: &str = $tag;
                        if key == Some("type") {
                            continue;
                        }
                    )?
                    extra.insert(k.clone(), v.clone());
                }
                $(
                    let $field = match $field {
                        Some(read) => read,
                        None => <$ty as $crate::convert::FromNode>::missing(cx, node, $key),
                    };
                )*
                if !ok {
                    return None;
                }
                Some($name { $( $field: $field?, )* extra, $( $( $hfield: <$hty>::default(), )* )? })
            }
        }

        impl $name {
            /// The tree, with `null` in place of the field under `skip` (which must be set): the
            /// emitter writes a huge field's entries itself, a part at a time.
            #[allow(dead_code)]
            pub(crate) fn to_node_without(&self, skip: &str) -> $crate::yaml::Node {
                let mut m = $crate::yaml::Mapping::new();
                $(
                    // The keys are distinct literals: no search for an equal one.
                    if $key == skip {
                        m.push_unchecked($crate::yaml::Node::str($key), $crate::yaml::Node::null());
                    } else if let Some(n) = $crate::convert::ToNode::to_field(&self.$field) {
                        m.push_unchecked($crate::yaml::Node::str($key), n);
                    }
                )*
                $(
                    let at = usize::from(m.get("$schema").is_some());
                    m.insert_at(at, $crate::yaml::Node::str("type"), $crate::yaml::Node::str($tag));
                )?
                for (k, v) in self.extra.iter() {
                    if !m.contains_key(k) {
                        m.push_unchecked(k.clone(), v.clone());
                    }
                }
                $crate::yaml::Node::map(m)
            }
        }

        impl $crate::convert::ToNode for $name {
            fn to_node(&self) -> $crate::yaml::Node {
                self.to_node_without("")
            }
        }
    };
}

/// A closed set of string values (`ro_mount`, `download`, …), with an error that lists them.
macro_rules! yaml_enum {
    // The example of `as_str`, written with the enum's first value.
    (@as_str_example $name:ident $first:ident = $text:literal $(, $rest:ident = $rtext:literal)*) => {
        concat!(
            "```\n",
            "use pipeline_core::", stringify!($name), ";\n\n",
            "assert_eq!(", stringify!($name), "::", stringify!($first), ".as_str(), \"", $text, "\");\n",
            "for value in ", stringify!($name), "::ALL {\n",
            "    assert_eq!(value.as_str().parse::<", stringify!($name), ">(), Ok(*value));\n",
            "}\n",
            "```",
        )
    };
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )* }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $( $(#[$vmeta])* $variant, )* }

        impl $name {
            /// Every value, in the order the schema lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The YAML spelling.
            ///
            #[doc = $crate::convert::yaml_enum!(@as_str_example $name $($variant = $text),*)]
            pub fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $text, )* }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                // The SDK compares most enums ignoring case (some through camel_to_snake:
                // `AMLToken` is `aml_token`); validation holds each field to the SDK's own
                // comparison (`pipeline_schema::enums`), so the model reads them all leniently.
                let snake = $crate::schema::enums::camel_to_snake(s);
                match s {
                    $( $text => Ok($name::$variant), )*
                    $( _ if s.eq_ignore_ascii_case($text) || snake == $text => Ok($name::$variant), )*
                    _ => Err(format!(
                        "`{s}` is not one of: {}",
                        [$($text),*].join(", ")
                    )),
                }
            }
        }

        impl $crate::convert::FromNode for $name {
            fn from_node(node: &$crate::yaml::Node, cx: &mut $crate::convert::Cx<'_>) -> Option<Self> {
                let Some(s) = node.as_str() else {
                    return cx.expected(node, concat!("one of: ", $($text, " "),*));
                };
                match s.parse() {
                    Ok(v) => Some(v),
                    Err(message) => {
                        cx.error($crate::Code::E005, node.span, message, None);
                        None
                    }
                }
            }
        }

        impl $crate::convert::ToNode for $name {
            fn to_node(&self) -> $crate::yaml::Node {
                $crate::yaml::Node::str(self.as_str())
            }
        }
    };
}

pub(crate) use {yaml_enum, yaml_struct};

/// Parses a file's text and keeps it among the load's sources; a syntax error is recorded. The
/// tree is returned to read the model from, then to be [`release`]d.
pub(crate) fn parse_source(
    loader: &mut Loader,
    text: &str,
    file: &Path,
) -> (Arc<Source>, Option<Node>) {
    let src = add_source(loader, text, file);
    (src, parse_tree(loader, text, file))
}

/// Records a file read (for showing the lines diagnostics point at).
pub(crate) fn add_source(loader: &mut Loader, text: &str, file: &Path) -> Arc<Source> {
    let src = Arc::new(Source {
        file: file.to_path_buf(),
        text: text.to_owned(),
        tree: std::sync::OnceLock::new(),
    });
    loader.sources.push(Arc::clone(&src));
    src
}

/// The tree of a file's text, or `None` with its syntax error recorded.
pub(crate) fn parse_tree(loader: &mut Loader, text: &str, file: &Path) -> Option<Node> {
    match crate::yaml::parse(text) {
        Ok(node) => Some(node),
        Err(e) => {
            loader.diagnostics.push(Diagnostic {
                code: e.code,
                file: file.to_path_buf(),
                line: e.span.line,
                column: e.span.column,
                path: String::new(),
                message: e.message,
                help: e.help,
            });
            None
        }
    }
}

/// Reads a parsed file as a `T`, collecting every problem.
pub(crate) fn read_source<T: FromNode>(
    loader: &mut Loader,
    src: &Source,
    root: &Node,
    dir: Option<PathBuf>,
) -> Option<T> {
    let mut cx = Cx::new(loader, src.file.clone(), dir);
    T::from_node(root, &mut cx)
}

/// Reads a whole document of type `T` from text, collecting every problem.
pub(crate) fn read_document<T: FromNode>(
    loader: &mut Loader,
    text: &str,
    file: &Path,
    dir: Option<PathBuf>,
) -> Option<T> {
    let (src, root) = parse_source(loader, text, file);
    let value = root
        .as_ref()
        .and_then(|root| read_source(loader, &src, root, dir));
    release(root, text.len());
    value
}

#[cfg(test)]
mod tests {
    use super::python_float_str;

    #[test]
    fn floats_read_as_text_are_spelled_as_python_spells_them() {
        for (f, s) in [
            (1e-5, "1e-05"),
            (1e16, "1e+16"),
            (2.0, "2.0"),
            (0.1, "0.1"),
            (1e15, "1000000000000000.0"),
            (-2.5e-7, "-2.5e-07"),
        ] {
            assert_eq!(python_float_str(f), s);
        }
    }
}
