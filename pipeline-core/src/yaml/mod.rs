//! The only module that reads or writes YAML text. Everything above it works on [`Node`] trees.

mod emit;
mod node;
mod parse;
mod resolve;
mod split;

pub use emit::emit;
pub use node::{Mapping, Node, Span, Value};
pub use parse::{SyntaxError, parse};
