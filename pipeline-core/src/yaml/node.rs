//! The YAML tree every model type is read from and written to.
//!
//! Scalars are already resolved the way PyYAML's `SafeLoader` (which the Azure ML SDK uses)
//! resolves them, so a `Node` means what the SDK would see. Equality ignores source positions.

use std::fmt;

/// Where a node starts in its source: 1-based line and column. `0:0` for nodes built in memory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// 1-based line; 0 when the node was not read from a file.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
}

impl Span {
    /// Whether this span points into a source text.
    pub fn is_known(self) -> bool {
        self.line > 0
    }
}

/// A YAML value with the position it was read from.
#[derive(Debug, Clone)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where it was read from (`Span::default()` when built in memory).
    pub span: Span,
}

/// A resolved YAML value.
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
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mapping {
    entries: Vec<(Node, Node)>,
}

impl Mapping {
    /// An empty mapping.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries in order.
    pub fn iter(&self) -> impl Iterator<Item = (&Node, &Node)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// The value under a string key.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key node and value under a string key.
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        self.iter().find(|(k, _)| k.as_str() == Some(key))
    }

    /// Whether a key equal to `key` is present.
    pub fn contains_key(&self, key: &Node) -> bool {
        self.entries.iter().any(|(k, _)| k == key)
    }

    /// Appends an entry, replacing the value of an equal key if there is one.
    pub fn insert(&mut self, key: Node, value: Node) {
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.entries.push((key, value)),
        }
    }

    /// Appends an entry with a string key (see [`Mapping::insert`]).
    pub fn insert_str(&mut self, key: &str, value: Node) {
        self.insert(Node::str(key), value);
    }

    /// Inserts an entry at a position (used to put `type` right after `$schema`).
    pub fn insert_at(&mut self, index: usize, key: Node, value: Node) {
        let index = index.min(self.entries.len());
        self.entries.insert(index, (key, value));
    }

    /// Removes and returns the value under a string key.
    pub fn remove(&mut self, key: &str) -> Option<Node> {
        let at = self
            .entries
            .iter()
            .position(|(k, _)| k.as_str() == Some(key))?;
        Some(self.entries.remove(at).1)
    }

    /// The entries in order, values mutable (keys are not: they must stay unique).
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
    pub fn new(value: Value) -> Self {
        Node {
            value,
            span: Span::default(),
        }
    }

    /// A string node.
    pub fn str(s: impl Into<String>) -> Self {
        Node::new(Value::Str(s.into()))
    }

    /// A null node.
    pub fn null() -> Self {
        Node::new(Value::Null)
    }

    /// A mapping node.
    pub fn map(m: Mapping) -> Self {
        Node::new(Value::Map(m))
    }

    /// A sequence node.
    pub fn seq(items: Vec<Node>) -> Self {
        Node::new(Value::Seq(items))
    }

    /// The string, when this is a string scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The mapping, when this is a mapping.
    pub fn as_map(&self) -> Option<&Mapping> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// What kind of value this is, for error messages ("a mapping", "an integer").
    pub fn kind(&self) -> &'static str {
        self.value.kind()
    }

    /// Calls `f` on every string scalar in this tree, values and keys alike.
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
            Value::Float(x) => f.write_str(&super::emit::format_float(*x)),
            Value::Str(s) | Value::Timestamp(s) => f.write_str(s),
            Value::Seq(items) => write!(f, "[{} items]", items.len()),
            Value::Map(m) => write!(f, "{{{} keys}}", m.len()),
        }
    }
}
