//! `pipeline validate FILE... [--format human|json] [--deny-warnings]`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use pipeline_core::validate::{Report, validate_path};
use pipeline_core::{Code, Diagnostic, Severity};

use crate::Failure;
use crate::render;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    /// Like rustc: each problem with the line it is on.
    Human,
    /// A JSON array of diagnostics, for editors and tools.
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// The YAML files to check (jobs, components, computes).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// How to print what is found.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    deny_warnings: bool,
}

pub(crate) fn run(args: &ValidateArgs) -> Result<(), Failure> {
    let mut reports = Vec::new();
    // A file that cannot be read is one more problem: the others are still checked and shown.
    let mut unreadable = Report::default();
    for file in &args.files {
        match validate_path(file) {
            Ok(report) => reports.push(report),
            Err(e) => unreadable.diagnostics.push(Diagnostic {
                code: Code::E009,
                file: file.clone(),
                line: 0,
                column: 0,
                path: String::new(),
                message: e.to_string(),
                help: Some("give the path of a YAML file (a job, component or compute)".to_owned()),
            }),
        }
    }
    let unusable = !unreadable.diagnostics.is_empty();
    reports.insert(0, unreadable);
    let files = args.files.len();
    let place = format!("{files} file{}", if files == 1 { "" } else { "s" });
    let result = print_reports(&reports, args.format, args.deny_warnings, &place);
    // A file that could not be read at all is unusable input (exit 2), once everything is shown.
    let result = if unusable {
        Err(Failure::quiet(2))
    } else {
        result
    };
    // The process ends right after: freeing a huge pipeline's trees piece by piece would only
    // add time (about half a second at 100,000 nodes) to give memory back to an exiting process.
    std::mem::forget(reports);
    result
}

/// Prints what `reports` found (rustc-like with a summary naming `place`, or JSON), and fails
/// (exit 1, already said) on errors, or on warnings too with `deny_warnings`.
pub(crate) fn print_reports(
    reports: &[Report],
    format: Format,
    deny_warnings: bool,
    place: &str,
) -> Result<(), Failure> {
    let count = |s: Severity| reports.iter().map(|r| r.count(s)).sum::<usize>();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    let failed = errors > 0 || (deny_warnings && warnings > 0);
    match format {
        Format::Json => {
            let all: Vec<_> = reports.iter().flat_map(|r| &r.diagnostics).collect();
            crate::output::print(&render::json(&all));
        }
        Format::Human => {
            let color = render::stderr_color();
            for report in reports {
                eprint!("{}", render::human(report, color));
            }
            let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
            eprintln!(
                "{}: {}, {} in {place}",
                if failed { "failed" } else { "ok" },
                plural(errors, "error"),
                plural(warnings, "warning"),
            );
        }
    }
    if failed {
        return Err(Failure::quiet(1));
    }
    Ok(())
}
