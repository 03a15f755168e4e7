//! A document or node of a kind the model keeps verbatim (spark, sweep, automl, …).

use crate::convert::{Cx, FromNode};
use crate::model::{ComponentRef, SourceDir};
use crate::yaml::{Mapping, Value};

/// A document or node of a kind not modelled yet (spark, sweep, automl, …), kept verbatim.
///
/// ```
/// use pipeline_core::{Job, Yaml, job_from_str};
///
/// let yaml = "type: sweep\nsampling_algorithm: random\nobjective:\n  goal: maximize\n  primary_metric: accuracy\n";
/// let Job::Other(sweep) = job_from_str(yaml).unwrap() else { panic!() };
/// assert_eq!(sweep.kind, "sweep");
/// assert_eq!(sweep.body.get("sampling_algorithm").unwrap().as_str(), Some("random"));
/// // Read from memory it has no folder; `load_job` records its file's, so that written
/// // elsewhere its relative paths (a trial's `code`) still lead to the same files.
/// assert_eq!(sweep.source_dir.get(), None);
/// assert_eq!(Job::Other(sweep).to_yaml(), yaml);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Opaque {
    /// Its `type`.
    pub kind: String,
    /// The whole mapping, `type` included.
    pub body: Mapping,
    /// The components it names (a spark or data_transfer node's `component:`, a sweep's
    /// `trial:`), read when it was loaded: written back as they are in `body`.
    pub refs: Vec<(String, ComponentRef)>,
    /// The folder its relative paths (`code`, `path`…) start from, for a document read from a
    /// file; a node's are its pipeline's.
    pub source_dir: SourceDir,
}

/// The keys of a kind kept verbatim that name a component, and whether one given inline is a
/// component of its own (a sweep's inline `trial` is not: its command names the sweep's inputs
/// and search space).
const COMPONENT_KEYS: &[(&str, bool)] = &[("component", true), ("trial", false)];

impl Opaque {
    /// A kind kept verbatim, naming no component.
    ///
    /// ```
    /// use pipeline_core::{Opaque, yaml::Mapping};
    ///
    /// let o = Opaque::new("synapsespark", Mapping::new());
    /// assert_eq!(o.kind, "synapsespark");
    /// assert!(o.refs.is_empty());
    /// ```
    pub fn new(kind: &str, body: Mapping) -> Self {
        Opaque {
            kind: kind.to_owned(),
            body,
            refs: Vec::new(),
            source_dir: SourceDir::default(),
        }
    }

    /// The component the `component:` key names, as read when loaded (a sweep's `trial` is not
    /// one).
    ///
    /// ```
    /// use pipeline_core::{ComponentRef, Job, PipelineNode, job_from_str};
    ///
    /// let job = job_from_str("type: pipeline\njobs:\n  etl: {type: spark, component: azureml:etl:1}\n").unwrap();
    /// let Job::Pipeline(p) = job else { panic!() };
    /// let PipelineNode::Other(etl) = &p.jobs.as_ref().unwrap()["etl"] else { panic!() };
    /// assert!(matches!(etl.named_component(), Some(ComponentRef::Asset(_))));
    /// ```
    pub fn named_component(&self) -> Option<&ComponentRef> {
        self.refs
            .iter()
            .find(|(k, _)| k == "component")
            .map(|(_, r)| r)
    }

    /// A kind kept verbatim, with the components it names read (and their files loaded).
    pub(crate) fn with_refs(kind: &str, body: &Mapping, cx: &mut Cx<'_>) -> Self {
        let mut refs = Vec::new();
        for (key, inline_too) in COMPONENT_KEYS {
            if let Some((k, v)) = body.entry(key)
                && (matches!(v.value, Value::Str(_))
                    || (*inline_too && matches!(v.value, Value::Map(_))))
                && let Some(r) = cx.at_span(*key, k.span, |cx| ComponentRef::from_node(v, cx))
            {
                refs.push(((*key).to_owned(), r));
            }
        }
        Opaque {
            kind: kind.to_owned(),
            body: body.clone(),
            refs,
            source_dir: SourceDir::default(),
        }
    }
}
