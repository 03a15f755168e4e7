//! `Serialize` and `Deserialize` (the `serde` feature, on by default), through the YAML tree: a
//! job, component or compute is written as the tree `emit` writes, and read back with the same
//! loader and checks as a YAML file (so JSON, or any serde format, holds what YAML holds).
//!
//! ```
//! use pipeline_core::{Job, job_from_str};
//!
//! let job = job_from_str("type: command\ncommand: python train.py --lr ${{inputs.lr}}\ninputs: {lr: 0.01}\nenvironment: azureml:env:1\n").unwrap();
//! let json = serde_json::to_string(&job).unwrap();
//! assert!(json.starts_with(r#"{"type":"command""#));
//! let back: Job = serde_json::from_str(&json).unwrap();
//! assert_eq!(back, job);
//! // Read with the loader's checks: a mapping where a string goes is refused.
//! assert!(serde_json::from_str::<Job>(r#"{"type": "command", "command": {"a": 1}}"#).is_err());
//! ```

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

use crate::convert::ToNode;
use crate::model::{Component, Compute, Job};
use crate::yaml::{Mapping, Node, Value};

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.value {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Int(i) => serializer.serialize_i64(*i),
            Value::Float(f) => serializer.serialize_f64(*f),
            Value::Str(s) | Value::Timestamp(s) => serializer.serialize_str(s),
            Value::Seq(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Map(map) => {
                let mut out = serializer.serialize_map(Some(map.len()))?;
                for (k, v) in map.iter() {
                    out.serialize_entry(k, v)?;
                }
                out.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

/// Builds a tree from whatever a serde format holds.
struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::new(Value::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::new(Value::Int(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        match i64::try_from(v) {
            Ok(i) => Ok(Node::new(Value::Int(i))),
            // Past i64, as PyYAML's int: written as text, it stays exact.
            Err(_) => Ok(Node::str(v.to_string())),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::new(Value::Float(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::str(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::str(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::null())
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::null())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Node::seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Node, A::Error> {
        let mut map = Mapping::new();
        while let Some((k, v)) = access.next_entry::<Node, Node>()? {
            // Keys are text but for rare ones: those are looked up one by one.
            let taken = match k.as_str() {
                Some(text) => map.get(text).is_some(),
                None => map.iter().any(|(have, _)| *have == k),
            };
            if taken {
                return Err(de::Error::custom(format!("duplicate key {k}")));
            }
            map.insert(k, v);
        }
        Ok(Node::map(map))
    }
}

/// `Serialize` and `Deserialize` for a document type, through its tree and its YAML loader.
macro_rules! through_the_tree {
    ($($ty:ty => $load:path),* $(,)?) => {$(
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.to_node().serialize(serializer)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<$ty, D::Error> {
                let node = Node::deserialize(deserializer)?;
                $load(&crate::yaml::emit(&node)).map_err(de::Error::custom)
            }
        }
    )*};
}

through_the_tree! {
    Job => crate::load::job_from_str,
    Component => crate::load::component_from_str,
    Compute => crate::load::compute_from_str,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{component_from_str, job_from_str};

    #[test]
    fn documents_round_trip_through_json() {
        let pipeline = "type: pipeline\nsettings: {default_compute: azureml:cpu}\ninputs: {raw: {type: uri_folder, path: azureml:raw:1}, n: 3}\njobs:\n  prep:\n    command: python prep.py ${{inputs.raw}}\n    environment: azureml:env:1\n    inputs: {raw: '${{parent.inputs.raw}}'}\n    outputs: {clean: {type: uri_folder}}\n";
        let job = job_from_str(pipeline).unwrap();
        let json = serde_json::to_string(&job).unwrap();
        assert_eq!(serde_json::from_str::<Job>(&json).unwrap(), job);
        let component = component_from_str(
            "$schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json\nname: c\nversion: '1'\ncommand: echo\nenvironment: azureml:env:1\n",
        )
        .unwrap();
        let json = serde_json::to_string(&component).unwrap();
        assert_eq!(serde_json::from_str::<Component>(&json).unwrap(), component);
    }

    #[test]
    fn trees_keep_every_kind_of_value() {
        let node = crate::yaml::parse("a: [1, 2.5, true, null, text, {b: c}]\n").unwrap();
        let json = serde_json::to_string(&node).unwrap();
        assert_eq!(json, r#"{"a":[1,2.5,true,null,"text",{"b":"c"}]}"#);
        let back: Node = serde_json::from_str(&json).unwrap();
        assert_eq!(back, node);
        assert!(serde_json::from_str::<Node>(r#"{"a":1,"a":2}"#).is_err());
    }
}
