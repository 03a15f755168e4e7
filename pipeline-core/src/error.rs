//! Errors: every problem in a YAML file names the file, line, column and YAML path.

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::codes::{Code, Severity};

/// One problem found in a file, with where it is and how to fix it.
///
/// ```
/// use pipeline_core::{Code, job_from_str};
///
/// let err = job_from_str("type: command\ncommand: python train.py\nlimits: {timeout: soon}\n")
///     .unwrap_err();
/// let d = &err.diagnostics()[0];
/// assert_eq!((d.code, d.line, d.path.as_str()), (Code::E003, 3, "limits.timeout"));
/// assert!(d.to_string().starts_with("<memory>:3:19: error[E003]: limits.timeout: "));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The stable code of the problem (its severity follows from it).
    pub code: Code,
    /// The file, as it was named to us (or `<memory>` for text that came from no file).
    pub file: PathBuf,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// 1-based column (0 when unknown).
    pub column: usize,
    /// The YAML path of the offending value, such as `jobs.train.inputs.lr` (empty for the root).
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// Error, warning or note.
    ///
    /// ```
    /// use pipeline_core::{Code, Severity, validate::validate_str};
    ///
    /// let yaml = "type: command\ncommand: echo hi\nenvironment: azureml:AzureML-sklearn-1.0@latest\n";
    /// let report = validate_str(yaml, "hello.yml");
    /// // A command job with no compute runs on serverless compute, which is only a warning.
    /// let d = report.diagnostics.iter().find(|d| d.code == Code::W002).unwrap();
    /// assert_eq!(d.severity(), Severity::Warning);
    /// ```
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        write!(f, ": {}[{}]: ", self.severity(), self.code)?;
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Why a load or a dump failed.
///
/// ```
/// use pipeline_core::{Error, load_job};
///
/// let err = load_job("no/such/folder/pipeline.yml").unwrap_err();
/// assert!(matches!(err, Error::Read { .. }));
/// assert!(err.to_string().starts_with("cannot read no/such/folder/pipeline.yml: "));
/// ```
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The YAML was read but is not a valid job, component or compute: every problem found.
    #[error("{}", display_all(.0))]
    Invalid(Vec<Diagnostic>),
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// A file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// `dump` never overwrites.
    #[error("{} already exists: choose another path or remove it first", path.display())]
    AlreadyExists {
        /// The file.
        path: PathBuf,
    },
}

impl Error {
    /// The diagnostics, when the input was invalid.
    ///
    /// ```
    /// use pipeline_core::{Code, compute_from_str, load_compute};
    ///
    /// let err = compute_from_str("type: amlcompute\nsize: Standard_DS3_v2\n").unwrap_err();
    /// assert_eq!(err.diagnostics()[0].code, Code::E004); // `name` is missing
    /// // A file that cannot be read has none.
    /// assert!(load_compute("no/such/cluster.yml").unwrap_err().diagnostics().is_empty());
    /// ```
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Invalid(d) => d,
            _ => &[],
        }
    }
}

fn display_all(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&d.to_string());
    }
    out
}
