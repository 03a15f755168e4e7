//! `pipeline emit FILE [-o OUT] [--force]`.

use std::io::{Read, Write};
use std::path::PathBuf;

use clap::Args;
use pipeline_core::{Error, Yaml, load, load_str};

use crate::Failure;

#[derive(Debug, Args)]
pub(crate) struct EmitArgs {
    /// The YAML file to read (`-` for standard input, read as if it were in this folder).
    file: PathBuf,
    /// Write here instead of to standard output; relative paths in the YAML are rewritten to
    /// stay correct from this file's folder.
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// Replace OUT if it exists (it is replaced atomically, never left half-written).
    #[arg(long, requires = "output")]
    force: bool,
}

pub(crate) fn run(args: &EmitArgs) -> Result<(), Failure> {
    let document = if args.file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::input(format!("cannot read standard input: {e}")))?;
        load_str(&text, "<stdin>")
    } else {
        if args.file.is_dir() {
            return Err(Failure::usage(format!(
                "{} is a folder: give a YAML file",
                args.file.display()
            )));
        }
        load(&args.file)
    }
    .map_err(|e| match e {
        Error::Read { .. } => Failure::usage(e),
        e => Failure::input(e),
    })?;
    let written = match &args.output {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(document.to_yaml().as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| Failure::input(format!("cannot write to standard output: {e}")))
        }
        Some(path) => crate::write_file(&document, path, args.force),
    };
    // The process ends right after: see `validate`.
    std::mem::forget(document);
    written
}
