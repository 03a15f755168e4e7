//! Errors: every problem in a YAML file names the file, line, column and YAML path.

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::codes::{Code, Severity};

/// One problem found in a file, with where it is and how to fix it.
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
