//! Every problem we report has a stable code: errors `E…`, warnings `W…`, notes `N…`.

use std::fmt;

/// How bad a problem is.
///
/// ```
/// use pipeline_core::{Code, Severity};
///
/// assert_eq!(Code::E027.severity(), Severity::Error);
/// assert_eq!(Code::W002.severity(), Severity::Warning);
/// // Errors sort first, then warnings, then notes.
/// assert!(Severity::Error < Severity::Warning && Severity::Warning < Severity::Note);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Azure ML would reject the file, or the pipeline cannot work.
    Error,
    /// Probably a mistake, but Azure ML may accept it.
    Warning,
    /// Something worth knowing (what could not be checked offline).
    Note,
}

impl Severity {
    /// `error`, `warning`, `note`.
    ///
    /// ```
    /// use pipeline_core::Severity;
    ///
    /// assert_eq!(Severity::Error.as_str(), "error");
    /// assert_eq!(Severity::Note.to_string(), "note");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! codes {
    ($( $(#[$meta:meta])* $code:ident = $title:literal, )*) => {
        /// The code of a problem. Codes are stable: new ones are added, none is reused.
        ///
        /// ```
        /// use pipeline_core::{Code, job_from_str};
        ///
        /// let err = job_from_str("type: command\ncommand: python train.py\nlimits: {timeout: soon}\n")
        ///     .unwrap_err();
        /// assert_eq!(err.diagnostics()[0].code, Code::E003);
        /// assert_eq!(Code::E003.title(), "wrong type");
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $( $(#[$meta])* $code, )* }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$code),*];

            /// `E003`.
            ///
            /// ```
            /// use pipeline_core::Code;
            ///
            /// assert_eq!(Code::E003.as_str(), "E003");
            /// assert_eq!(Code::N001.to_string(), "N001");
            /// ```
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$code => stringify!($code), )* }
            }

            /// A short title of the family of problems.
            ///
            /// ```
            /// use pipeline_core::Code;
            ///
            /// assert_eq!(Code::E027.title(), "cycle");
            /// assert_eq!(Code::W002.title(), "no compute");
            /// ```
            pub fn title(self) -> &'static str {
                match self { $( Code::$code => $title, )* }
            }
        }
    };
}

codes! {
    /// The text is not YAML (or not YAML that 1.1 and 1.2 readers read alike).
    E001 = "YAML syntax",
    /// A key appears twice in one mapping.
    E002 = "duplicate key",
    /// A value of the wrong kind (a string where a boolean goes).
    E003 = "wrong type",
    /// A required key is missing.
    E004 = "missing key",
    /// A value outside a closed set (a mode, a type, a log level).
    E005 = "unknown value",
    /// A component file that is missing, unreadable or names itself.
    E006 = "component file",
    /// Not a job, component or compute.
    E007 = "unsupported document",
    /// A key the SDK's schema for this place does not have, where the SDK refuses unknown keys
    /// ("Unknown field"). Where it keeps them, W006.
    E008 = "unknown key",
    /// A file named to `validate` that cannot be read: missing, a folder, a FIFO or device, not
    /// UTF-8. The other files are still checked.
    E009 = "unreadable file",
    /// A component name breaks `^[a-z][a-z0-9_]*$`.
    E010 = "component name",
    /// A node name breaks `^[a-z_][a-z0-9_]*$`.
    E011 = "node name",
    /// An input or output name breaks the SDK's rule, or two differ only in case.
    E012 = "port name",
    /// An output's asset `name` breaks `^[A-Za-z0-9_-]*$` or is over 255 characters.
    E013 = "output asset name",
    /// A `version` written as a list or mapping (the SDK would register its Python text, `[1]`).
    E014 = "asset version",
    /// `${{parent.inputs.x}}` names no input of the pipeline.
    E020 = "unknown pipeline input",
    /// `${{parent.outputs.x}}` names no output of the pipeline.
    E021 = "unknown pipeline output",
    /// `${{parent.jobs.x…}}` names no node.
    E022 = "unknown node",
    /// `${{parent.jobs.a.outputs.x}}` names no output of node `a`.
    E023 = "unknown port",
    /// A required input of a component is left unbound.
    E026 = "unbound input",
    /// The nodes depend on each other in a circle.
    E027 = "cycle",
    /// An output feeds an input of another type.
    E028 = "port type mismatch",
    /// A literal of the wrong type for a parameter.
    E029 = "parameter type",
    /// A literal outside the input's `min`/`max`.
    E030 = "out of range",
    /// A literal not among the input's `enum`.
    E031 = "not in enum",
    /// `${{inputs.x}}` or `${{outputs.y}}` in a command names no port.
    E040 = "unknown port in command",
    /// An optional input used outside `$[[ … ]]`.
    E041 = "optional input outside $[[ ]]",
    /// A parallel job's `input_data` names no input.
    E042 = "parallel input_data",
    /// A parallel job without `task.entry_script`.
    E043 = "parallel entry_script",
    /// A local `code` folder, conda file or additional include that does not exist.
    E044 = "missing local path",
    /// An environment given as plain text that is not a reference.
    E045 = "environment reference",
    /// A component or command node without a command.
    E046 = "missing command",
    /// A pipeline node's component given inline: the SDK takes it only from a file or registry.
    E047 = "inline pipeline component",
    /// `settings.default_compute` that is neither `azureml:<name>` nor `serverless`.
    E050 = "default_compute",
    /// A pipeline with no nodes.
    E051 = "empty pipeline",
    /// A field that must be a mapping is something else.
    E052 = "mapping expected",
    /// A pipeline node with no compute: no `compute` of its own, on the job, or in
    /// `settings.default_compute` (the SDK: "Compute not set").
    E053 = "no compute",
    /// A pipeline job with both `component:` and `jobs:` (the SDK: "mutually exclusive").
    E054 = "component and jobs",
    /// `settings.on_init` or `on_finalize` that names no node, a control-flow node, a node wired
    /// to others, or both the same node.
    E055 = "on_init / on_finalize",
    /// A pipeline node with no `type` whose keys are another type's (a sweep node's `trial`,
    /// `objective`…): a node without `type` is a command node to Azure ML's documentation, while
    /// the SDK guesses the type from the keys.
    E056 = "node type left out",
    /// A settings key Azure ML does not know.
    W001 = "unknown setting",
    /// A command job with no compute: it would run on serverless compute. (A pipeline node with
    /// no compute is E053: Azure ML refuses it.)
    W002 = "no compute",
    /// A local data path that does not exist.
    W003 = "missing data path",
    /// A node sets an input its component does not declare: Azure ML drops it.
    W004 = "undeclared input",
    /// A node sets an output its component does not declare: Azure ML drops it.
    W005 = "undeclared output",
    /// A key that is not part of Azure ML's schema for this place.
    W006 = "unknown key",
    /// A component input's `default` outside its own `min`/`max` or `enum`: the SDK and Azure ML
    /// accept it, but a node that leaves the input unset may not get what it expects.
    W007 = "default outside the input's range",
    /// A value with shell syntax (`;`, `$(…)`, a quote…) given to an input the command places
    /// bare: Azure ML pastes it in and bash runs it (the local run passes it as one word).
    W008 = "shell syntax in a bare placeholder's value",
    /// What cannot be checked offline (registered components).
    N001 = "not checked offline",
}

impl Code {
    /// Errors start with `E`, warnings with `W`, notes with `N`.
    ///
    /// ```
    /// use pipeline_core::{Code, Severity};
    ///
    /// assert_eq!(Code::E050.severity(), Severity::Error);
    /// assert_eq!(Code::W006.severity(), Severity::Warning);
    /// assert_eq!(Code::N001.severity(), Severity::Note);
    /// ```
    pub fn severity(self) -> Severity {
        match self.as_str().as_bytes()[0] {
            b'E' => Severity::Error,
            b'W' => Severity::Warning,
            _ => Severity::Note,
        }
    }
}

impl Code {
    /// Whether this problem stops a local run (`pipeline run`). Errors about where Azure ML
    /// would run a job (E050, E053) do not: a local run runs on this machine whatever they say.
    ///
    /// ```
    /// use pipeline_core::Code;
    ///
    /// assert!(Code::E022.stops_a_local_run());
    /// assert!(!Code::E053.stops_a_local_run());
    /// assert!(!Code::W004.stops_a_local_run());
    /// ```
    pub fn stops_a_local_run(self) -> bool {
        self.severity() == Severity::Error && !matches!(self, Code::E050 | Code::E053)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
