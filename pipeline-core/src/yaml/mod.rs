//! The only module that reads or writes YAML text. Everything above it works on [`Node`] trees.

mod emit;
mod fast;
mod node;
mod parse;
mod resolve;
mod split;
#[cfg(test)]
mod testing;

pub use emit::emit;
pub(crate) use emit::emit_streamed;
pub use node::{Mapping, Node, Span, Value};
pub use parse::{SyntaxError, parse};
pub(crate) use split::fast_split;
