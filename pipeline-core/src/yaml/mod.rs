//! The only module that reads or writes YAML text. Everything above it works on [`Node`] trees.
//!
//! ```
//! use pipeline_core::yaml::{emit, parse};
//!
//! let node = parse("compute: azureml:cpu-cluster\ninputs: {lr: 0.01, flag: 'on'}\n").unwrap();
//! let inputs = node.as_map().unwrap().get("inputs").unwrap();
//! assert_eq!(inputs.as_map().unwrap().get("flag").unwrap().as_str(), Some("on"));
//! // Written back in block style, `on` still quoted so that PyYAML keeps it a string.
//! let text = emit(&node);
//! assert!(text.contains("flag: 'on'"));
//! assert_eq!(parse(&text).unwrap(), node);
//! ```

mod emit;
mod fast;
mod flow_indent;
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

/// The deepest nesting of collections read: every tree walk above the reader recurses, and no
/// Azure ML file comes near it (PyYAML's own recursion limit refuses about 1,000).
///
/// ```
/// use pipeline_core::yaml::{MAX_DEPTH, parse};
///
/// assert!(parse(&"- ".repeat(MAX_DEPTH)).is_ok());
/// let e = parse(&"- ".repeat(MAX_DEPTH + 1)).unwrap_err();
/// assert!(e.message.contains("nested more than 256 deep"));
/// ```
pub const MAX_DEPTH: usize = 256;

/// The most nodes aliases may add to a document (each alias copies what its anchor holds): a few
/// hundred bytes of nested aliases would otherwise expand to gigabytes (a "billion laughs").
///
/// ```
/// use pipeline_core::yaml::parse;
///
/// // Each level lists the one before ten times: 10^7 nodes from 400 bytes.
/// let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
/// for i in 1..8 {
///     let p = format!("*a{}", i - 1);
///     bomb.push_str(&format!("a{i}: &a{i} [{}]\n", vec![p; 10].join(", ")));
/// }
/// assert!(parse(&bomb).unwrap_err().message.contains("aliases here expand to more than"));
/// ```
pub const MAX_ALIAS_NODES: usize = 1_000_000;
