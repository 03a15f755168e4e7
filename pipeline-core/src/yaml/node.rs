//! The YAML tree every model type is read from and written to.
//!
//! Scalars are already resolved the way PyYAML's `SafeLoader` (which the Azure ML SDK uses)
//! resolves them, so a `Node` means what the SDK would see. Equality ignores source positions.

use std::fmt;

/// Where a node starts in its source: 1-based line and column. `0:0` for nodes built in memory.
///
/// ```
/// use pipeline_core::yaml::{Node, parse};
///
/// let doc = parse("type: pipeline\njobs:\n  train: {command: python train.py}\n").unwrap();
/// let jobs = doc.as_map().unwrap().get("jobs").unwrap();
/// let train = jobs.as_map().unwrap().get("train").unwrap();
/// assert_eq!((train.span.line, train.span.column), (3, 10));
/// assert_eq!((Node::null().span.line, Node::null().span.column), (0, 0));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// 1-based line; 0 when the node was not read from a file.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
}

impl Span {
    /// Whether this span points into a source text.
    ///
    /// ```
    /// use pipeline_core::yaml::{Node, parse};
    ///
    /// assert!(parse("compute: azureml:cpu-cluster").unwrap().span.is_known());
    /// assert!(!Node::str("azureml:cpu-cluster").span.is_known());
    /// ```
    pub fn is_known(self) -> bool {
        self.line > 0
    }
}

/// A YAML value with the position it was read from.
///
/// ```
/// use pipeline_core::yaml::{Node, Value, parse};
///
/// let node = parse("azureml:cpu-cluster").unwrap();
/// assert_eq!(node.value, Value::Str("azureml:cpu-cluster".into()));
/// assert_eq!(node.span.line, 1);
/// // Equality ignores where a node was read from.
/// assert_eq!(node, Node::str("azureml:cpu-cluster"));
/// ```
#[derive(Debug, Clone)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where it was read from (`Span::default()` when built in memory).
    pub span: Span,
}

/// A resolved YAML value.
///
/// ```
/// use pipeline_core::yaml::{Value, parse};
///
/// // Scalars resolve as PyYAML resolves them: YAML 1.1 booleans, octal integers, dates.
/// let doc = parse("a: yes\nb: 0755\nc: 2024-01-01\nd: '0755'\ne: 1.0e-5").unwrap();
/// let m = doc.as_map().unwrap();
/// assert_eq!(m.get("a").unwrap().value, Value::Bool(true));
/// assert_eq!(m.get("b").unwrap().value, Value::Int(0o755));
/// assert_eq!(m.get("c").unwrap().value, Value::Timestamp("2024-01-01".into()));
/// assert_eq!(m.get("d").unwrap().value, Value::Str("0755".into()));
/// assert_eq!(m.get("e").unwrap().value, Value::Float(1.0e-5));
/// ```
#[derive(Debug, Clone)]
pub enum Value {
    /// `null`, `~` or nothing at all.
    Null,
    /// `true`, `false`, and YAML 1.1's `yes`, `no`, `on`, `off`.
    Bool(bool),
    /// An integer (YAML 1.1 also reads `0755`, `0x1f`, `1:30` as integers).
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// A string.
    Str(String),
    /// A plain scalar that YAML 1.1 reads as a date or time, kept as written.
    Timestamp(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order.
    Map(Mapping),
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            // NaN must equal itself, or no model holding one would survive a round trip.
            (Value::Float(a), Value::Float(b)) => a == b || (a.is_nan() && b.is_nan()),
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Timestamp(a), Value::Timestamp(b)) => a == b,
            (Value::Seq(a), Value::Seq(b)) => a == b,
            (Value::Map(a), Value::Map(b)) => a == b,
            _ => false,
        }
    }
}

impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

/// A YAML mapping that keeps its keys in order. Keys are unique (duplicates are a load error).
///
/// ```
/// use pipeline_core::yaml::{Mapping, Node};
///
/// let mut m = Mapping::new();
/// m.insert_str("type", Node::str("command"));
/// m.insert_str("compute", Node::str("azureml:cpu-cluster"));
/// let keys: Vec<_> = m.iter().map(|(k, _)| k.as_str().unwrap()).collect();
/// assert_eq!(keys, ["type", "compute"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mapping {
    entries: Vec<(Node, Node)>,
}

impl Mapping {
    /// An empty mapping.
    ///
    /// ```
    /// use pipeline_core::yaml::{Mapping, Node, emit};
    ///
    /// assert!(Mapping::new().is_empty());
    /// assert_eq!(emit(&Node::map(Mapping::new())), "{}\n");
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of entries.
    ///
    /// ```
    /// use pipeline_core::yaml::parse;
    ///
    /// let doc = parse("inputs: {raw: azureml:taxi:1, lr: 0.01}").unwrap();
    /// let inputs = doc.as_map().unwrap().get("inputs").unwrap().as_map().unwrap();
    /// assert_eq!(inputs.len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    ///
    /// ```
    /// use pipeline_core::yaml::{Mapping, Node};
    ///
    /// let mut m = Mapping::new();
    /// assert!(m.is_empty());
    /// m.insert_str("compute", Node::str("azureml:cpu-cluster"));
    /// assert!(!m.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries in order.
    ///
    /// ```
    /// use pipeline_core::yaml::parse;
    ///
    /// let doc = parse("settings: {default_compute: azureml:cpu-cluster, force_rerun: true}").unwrap();
    /// let settings = doc.as_map().unwrap().get("settings").unwrap().as_map().unwrap();
    /// let pairs: Vec<String> = settings.iter().map(|(k, v)| format!("{k}={v}")).collect();
    /// assert_eq!(pairs, ["default_compute=azureml:cpu-cluster", "force_rerun=true"]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&Node, &Node)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// The value under a string key.
    ///
    /// ```
    /// use pipeline_core::yaml::parse;
    ///
    /// let doc = parse("environment: azureml:AzureML-sklearn-1.0@latest").unwrap();
    /// let m = doc.as_map().unwrap();
    /// assert_eq!(m.get("environment").unwrap().as_str(), Some("azureml:AzureML-sklearn-1.0@latest"));
    /// assert!(m.get("compute").is_none());
    /// ```
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key node and value under a string key.
    ///
    /// ```
    /// use pipeline_core::yaml::parse;
    ///
    /// let doc = parse("type: command\ncompute: azureml:cpu-cluster").unwrap();
    /// let (key, value) = doc.as_map().unwrap().entry("compute").unwrap();
    /// // The key's position is where an error about the key points.
    /// assert_eq!((key.span.line, key.span.column), (2, 1));
    /// assert_eq!(value.as_str(), Some("azureml:cpu-cluster"));
    /// ```
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        self.iter().find(|(k, _)| k.as_str() == Some(key))
    }

    /// Whether a key equal to `key` is present.
    ///
    /// ```
    /// use pipeline_core::yaml::{Node, Value, parse};
    ///
    /// let doc = parse("1: one\ntwo: 2").unwrap();
    /// let m = doc.as_map().unwrap();
    /// assert!(m.contains_key(&Node::new(Value::Int(1))));
    /// assert!(m.contains_key(&Node::str("two")));
    /// assert!(!m.contains_key(&Node::str("1")));
    /// ```
    pub fn contains_key(&self, key: &Node) -> bool {
        self.entries.iter().any(|(k, _)| k == key)
    }

    /// Appends an entry, replacing the value of an equal key if there is one.
    ///
    /// ```
    /// use pipeline_core::yaml::{Mapping, Node};
    ///
    /// let mut m = Mapping::new();
    /// m.insert(Node::str("compute"), Node::str("azureml:cpu-cluster"));
    /// m.insert(Node::str("compute"), Node::str("azureml:gpu-cluster"));
    /// assert_eq!(m.len(), 1);
    /// assert_eq!(m.get("compute").unwrap().as_str(), Some("azureml:gpu-cluster"));
    /// ```
    pub fn insert(&mut self, key: Node, value: Node) {
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.entries.push((key, value)),
        }
    }

    /// Appends an entry with a string key (see [`Mapping::insert`]).
    ///
    /// ```
    /// use pipeline_core::yaml::{Mapping, Node};
    ///
    /// let mut m = Mapping::new();
    /// m.insert_str("mode", Node::str("ro_mount"));
    /// assert_eq!(m.get("mode").unwrap().as_str(), Some("ro_mount"));
    /// ```
    pub fn insert_str(&mut self, key: &str, value: Node) {
        self.insert(Node::str(key), value);
    }

    /// Inserts an entry at a position (used to put `type` right after `$schema`).
    ///
    /// ```
    /// use pipeline_core::yaml::{Node, parse};
    ///
    /// let doc = parse("$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json
    /// jobs: {}").unwrap();
    /// let mut m = doc.as_map().unwrap().clone();
    /// m.insert_at(1, Node::str("type"), Node::str("pipeline"));
    /// let keys: Vec<_> = m.iter().map(|(k, _)| k.as_str().unwrap()).collect();
    /// assert_eq!(keys, ["$schema", "type", "jobs"]);
    /// ```
    pub fn insert_at(&mut self, index: usize, key: Node, value: Node) {
        let index = index.min(self.entries.len());
        self.entries.insert(index, (key, value));
    }

    /// Removes and returns the value under a string key.
    ///
    /// ```
    /// use pipeline_core::yaml::{Mapping, Node};
    ///
    /// let mut m = Mapping::new();
    /// m.insert_str("compute", Node::str("azureml:cpu-cluster"));
    /// assert_eq!(m.remove("compute"), Some(Node::str("azureml:cpu-cluster")));
    /// assert_eq!(m.remove("compute"), None);
    /// assert!(m.is_empty());
    /// ```
    pub fn remove(&mut self, key: &str) -> Option<Node> {
        let at = self
            .entries
            .iter()
            .position(|(k, _)| k.as_str() == Some(key))?;
        Some(self.entries.remove(at).1)
    }

    /// The entries in order, values mutable (keys are not: they must stay unique).
    ///
    /// ```
    /// use pipeline_core::yaml::{Mapping, Node};
    ///
    /// let mut m = Mapping::new();
    /// m.insert_str("train", Node::str("cpu-cluster"));
    /// m.insert_str("score", Node::str("gpu-cluster"));
    /// for (_, v) in m.iter_mut() {
    ///     *v = Node::str(format!("azureml:{v}"));
    /// }
    /// assert_eq!(m.get("score").unwrap().as_str(), Some("azureml:gpu-cluster"));
    /// ```
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&Node, &mut Node)> {
        self.entries.iter_mut().map(|(k, v)| (&*k, v))
    }

    pub(crate) fn into_entries(self) -> Vec<(Node, Node)> {
        self.entries
    }

    pub(crate) fn push_unchecked(&mut self, key: Node, value: Node) {
        self.entries.push((key, value));
    }

    /// A mapping of entries whose keys the caller knows to be unique.
    pub(crate) fn from_unique(entries: Vec<(Node, Node)>) -> Self {
        Mapping { entries }
    }
}

impl FromIterator<(Node, Node)> for Mapping {
    fn from_iter<I: IntoIterator<Item = (Node, Node)>>(iter: I) -> Self {
        let mut m = Mapping::new();
        for (k, v) in iter {
            m.insert(k, v);
        }
        m
    }
}

impl Node {
    /// A node built in memory (no source position).
    ///
    /// ```
    /// use pipeline_core::yaml::{Node, Value, emit};
    ///
    /// let node = Node::new(Value::Int(3));
    /// assert!(!node.span.is_known());
    /// assert_eq!(emit(&node), "3\n");
    /// ```
    pub fn new(value: Value) -> Self {
        Node {
            value,
            span: Span::default(),
        }
    }

    /// A string node.
    ///
    /// ```
    /// use pipeline_core::yaml::{Node, emit};
    ///
    /// let node = Node::str("on");
    /// assert_eq!(node.as_str(), Some("on"));
    /// assert_eq!(emit(&node), "'on'\n"); // quoted: PyYAML would read a bare `on` as true
    /// ```
    pub fn str(s: impl Into<String>) -> Self {
        Node::new(Value::Str(s.into()))
    }

    /// A null node.
    ///
    /// ```
    /// use pipeline_core::yaml::{Node, parse};
    ///
    /// assert!(Node::null().is_null());
    /// assert_eq!(parse("~").unwrap(), Node::null());
    /// ```
    pub fn null() -> Self {
        Node::new(Value::Null)
    }

    /// A mapping node.
    ///
    /// ```
    /// use pipeline_core::yaml::{Mapping, Node, emit};
    ///
    /// let mut m = Mapping::new();
    /// m.insert_str("type", Node::str("uri_folder"));
    /// m.insert_str("path", Node::str("azureml:taxi_raw:1"));
    /// assert_eq!(emit(&Node::map(m)), "type: uri_folder\npath: azureml:taxi_raw:1\n");
    /// ```
    pub fn map(m: Mapping) -> Self {
        Node::new(Value::Map(m))
    }

    /// A sequence node.
    ///
    /// ```
    /// use pipeline_core::yaml::{Node, emit};
    ///
    /// let tags = Node::seq(vec![Node::str("taxi"), Node::str("regression")]);
    /// assert_eq!(emit(&tags), "- taxi\n- regression\n");
    /// ```
    pub fn seq(items: Vec<Node>) -> Self {
        Node::new(Value::Seq(items))
    }

    /// The string, when this is a string scalar.
    ///
    /// ```
    /// use pipeline_core::yaml::parse;
    ///
    /// assert_eq!(parse("uri_folder").unwrap().as_str(), Some("uri_folder"));
    /// assert_eq!(parse("'42'").unwrap().as_str(), Some("42"));
    /// assert_eq!(parse("42").unwrap().as_str(), None); // an integer
    /// ```
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The mapping, when this is a mapping.
    ///
    /// ```
    /// use pipeline_core::yaml::parse;
    ///
    /// let doc = parse("{type: mltable, path: ./data}").unwrap();
    /// assert_eq!(doc.as_map().map(|m| m.len()), Some(2));
    /// assert!(parse("[a, b]").unwrap().as_map().is_none());
    /// ```
    pub fn as_map(&self) -> Option<&Mapping> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// Whether this is `null`.
    ///
    /// ```
    /// use pipeline_core::yaml::parse;
    ///
    /// let doc = parse("a: ~\nb: null\nc:\nd: 'null'").unwrap();
    /// let m = doc.as_map().unwrap();
    /// assert!(["a", "b", "c"].iter().all(|k| m.get(k).unwrap().is_null()));
    /// assert!(!m.get("d").unwrap().is_null());
    /// ```
    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// What kind of value this is, for error messages ("a mapping", "an integer").
    ///
    /// ```
    /// use pipeline_core::yaml::parse;
    ///
    /// assert_eq!(parse("{a: 1}").unwrap().kind(), "a mapping");
    /// assert_eq!(parse("0x1f").unwrap().kind(), "an integer");
    /// ```
    pub fn kind(&self) -> &'static str {
        self.value.kind()
    }

    /// Calls `f` on every string scalar in this tree, values and keys alike.
    ///
    /// ```
    /// use pipeline_core::yaml::parse;
    ///
    /// let doc = parse("inputs: {data: '${{parent.inputs.raw}}', lr: 0.1}").unwrap();
    /// let mut strings = Vec::new();
    /// doc.walk_strings(&mut |s| strings.push(s));
    /// assert_eq!(strings, ["inputs", "data", "${{parent.inputs.raw}}", "lr"]);
    /// ```
    pub fn walk_strings<'a>(&'a self, f: &mut dyn FnMut(&'a str)) {
        match &self.value {
            Value::Str(s) => f(s),
            Value::Seq(items) => items.iter().for_each(|n| n.walk_strings(f)),
            Value::Map(m) => m.iter().for_each(|(k, v)| {
                k.walk_strings(f);
                v.walk_strings(f);
            }),
            _ => {}
        }
    }
}

impl Value {
    /// What kind of value this is, for error messages.
    ///
    /// ```
    /// use pipeline_core::yaml::Value;
    ///
    /// assert_eq!(Value::Bool(true).kind(), "a boolean");
    /// assert_eq!(Value::Seq(Vec::new()).kind(), "a sequence");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Timestamp(_) => "a timestamp",
            Value::Seq(_) => "a sequence",
            Value::Map(_) => "a mapping",
        }
    }
}

impl fmt::Display for Node {
    /// Scalars as YAML would write them in plain style; collections in short form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => f.write_str(&format_float(*x)),
            Value::Str(s) | Value::Timestamp(s) => f.write_str(s),
            Value::Seq(items) => write!(f, "[{} items]", items.len()),
            Value::Map(m) => write!(f, "{{{} keys}}", m.len()),
        }
    }
}

/// A float as both PyYAML and YAML 1.2 read it back: always a dot, and a signed exponent.
pub(crate) fn format_float(f: f64) -> String {
    if f.is_nan() {
        return ".nan".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.to_owned();
    }
    // Debug is the shortest text that parses back to the same f64.
    let s = format!("{f:?}");
    let (mantissa, exponent) = match s.split_once('e') {
        Some((m, e)) => (m.to_owned(), Some(e.to_owned())),
        None => (s, None),
    };
    let mantissa = if mantissa.contains('.') {
        mantissa
    } else {
        format!("{mantissa}.0")
    };
    match exponent {
        None => mantissa,
        Some(e) if e.starts_with('-') => format!("{mantissa}e{e}"),
        Some(e) => format!("{mantissa}e+{e}"),
    }
}
