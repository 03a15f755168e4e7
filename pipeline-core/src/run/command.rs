//! One step of a run, in its folder: inputs resolved to paths and values, reuse looked up, code
//! copied, then its command (or its parallel task) run and its log kept.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;

use indexmap::IndexMap;

use super::copy::{Take, Tree, copy_tree, set_read_only};
use super::plan::{OutputShape, Step, StepKind, Value};
use super::process::{self, Ended};
use super::render::{self, Bound, InputText, literal_text, path_text};
use super::reuse::Key;
use super::step::{Context, Outcome, StepDirs, environment};
use super::supervise::{NODE_TAG, kill_tagged, node_tag};
use crate::model::Mode;

/// Runs step `index` of the plan.
pub(crate) fn run_step(index: usize, cx: &Context<'_>) -> Outcome {
    let step = &cx.plan.steps[index];
    let dirs = StepDirs::new(cx.run_dir, &step.name);
    match prepare_and_run(step, &dirs, cx) {
        Ok(outcome) => outcome,
        Err(message) => {
            // The log says why, as Azure ML's does when a job fails before the user's code runs.
            if let Ok(mut log) = File::options().create(true).append(true).open(dirs.log()) {
                let _ = writeln!(log, "pipeline: {message}");
            }
            Outcome::Failed(message)
        }
    }
}

fn prepare_and_run(step: &Step, dirs: &StepDirs, cx: &Context<'_>) -> Result<Outcome, String> {
    match prepare_and_run_io(step, dirs, cx) {
        Err(Failure::Canceled) => Ok(Outcome::Canceled),
        Err(Failure::Message(m)) => Err(m),
        Ok(outcome) => Ok(outcome),
    }
}

/// Why a step's preparation stopped.
enum Failure {
    /// The run was canceled during a copy or a hash.
    Canceled,
    Message(String),
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::Message(message)
    }
}

/// An I/O error in words, unless it is a cancel.
fn io_failure(what: &str, path: &Path, e: std::io::Error) -> Failure {
    if e.kind() == std::io::ErrorKind::Interrupted {
        Failure::Canceled
    } else {
        Failure::Message(format!("cannot {what} {}: {e}", path.display()))
    }
}

fn prepare_and_run_io(step: &Step, dirs: &StepDirs, cx: &Context<'_>) -> Result<Outcome, Failure> {
    fs::create_dir_all(&dirs.logs).map_err(|e| io_failure("create", &dirs.logs, e))?;
    let outputs = output_paths(step, dirs);
    let inputs = input_texts(step, cx);

    // A node that is not deterministic is never reused: its inputs are not hashed at all.
    let key = match step.deterministic {
        true => Some(reuse_key(step, &inputs, cx.cancel)?),
        false => None,
    };
    if !cx.force_rerun
        && let Some(key) = &key
        && let Some(earlier) = cx.cache.lookup(key)
        && step.outputs.keys().all(|p| earlier.join(p).exists())
    {
        // Copies, never links: a later node that writes what it reads must not change them.
        for port in step.outputs.keys() {
            let to = dirs.output(port);
            copy_tree(&earlier.join(port), &to, Take::All, cx.cancel)
                .map_err(|e| io_failure("reuse", &to, e))?;
        }
        let log = dirs.log();
        fs::write(
            &log,
            format!(
                "pipeline: reused the outputs of {} (same component, code and inputs); --force-rerun runs it again\n",
                earlier.display()
            ),
        )
        .map_err(|e| io_failure("write", &log, e))?;
        return Ok(Outcome::Completed { reused: true });
    }

    for (port, shape) in &step.outputs {
        let path = dirs.output(port);
        let folder = match shape {
            OutputShape::Folder => path.clone(),
            OutputShape::File => dirs.outputs.clone(),
        };
        fs::create_dir_all(&folder).map_err(|e| io_failure("create", &folder, e))?;
    }
    let mut notes = Vec::new();
    match &step.code {
        Some(code) => {
            let tree = copy_tree(code, &dirs.code, Take::Code, cx.cancel)
                .map_err(|e| io_failure("copy the code to", &dirs.code, e))?;
            notes.extend(snapshot_notes(code, &tree));
        }
        None => fs::create_dir_all(&dirs.code).map_err(|e| io_failure("create", &dirs.code, e))?,
    }
    let staged = stage_inputs(step, dirs, &inputs, cx)?;
    if !notes.is_empty() {
        let log = dirs.log();
        fs::write(&log, notes.join("\n") + "\n").map_err(|e| io_failure("write", &log, e))?;
    }

    let outcome = match &step.kind {
        StepKind::Command(template) => {
            let bound = Bound {
                inputs: &staged.inputs,
                outputs: &outputs,
                node: &step.name,
            };
            let command = render::command(template, &bound)?;
            run_command(step, dirs, &command, cx)?
        }
        StepKind::Parallel(task) => {
            super::parallel_task::run(step, task, dirs, &staged.inputs, &outputs, cx)?
        }
    };
    // Whatever the node left running (a background child, a daemon that called `setsid`) ends
    // with it, as its container would on Azure ML.
    kill_tagged(NODE_TAG, &node_tag(cx.run_dir, &step.name));
    staged.release();
    if let (Outcome::Completed { reused: false }, Some(key)) = (&outcome, &key) {
        cx.cache
            .record(key, &dirs.outputs)
            .map_err(|e| format!("cannot record the node for reuse: {e}"))?;
    }
    Ok(outcome)
}

/// Azure ML's documented limits on a job's snapshot of its code.
const SNAPSHOT_FILES: usize = 2_000;
const SNAPSHOT_BYTES: u64 = 300 * 1024 * 1024;

/// What the node's log says of its code's snapshot: what was left out, links out of the folder,
/// and a snapshot past Azure ML's limits.
fn snapshot_notes(code: &Path, tree: &Tree) -> Vec<String> {
    let mut notes = Vec::new();
    for (path, what) in &tree.skipped {
        notes.push(format!(
            "pipeline: code/{} is {what}: left out of the node's code (Azure ML's snapshot takes regular files)",
            path.display()
        ));
    }
    for (path, target) in &tree.outside {
        notes.push(format!(
            "pipeline: code/{} is a link out of the code folder, to {}: taken here; check that Azure ML's snapshot takes it too",
            path.display(),
            target.display()
        ));
    }
    let bytes: u64 = tree
        .files
        .iter()
        .filter_map(|f| fs::metadata(code.join(f)).ok())
        .map(|m| m.len())
        .sum();
    if tree.files.len() > SNAPSHOT_FILES || bytes > SNAPSHOT_BYTES {
        notes.push(format!(
            "pipeline: warning: the code folder has {} files, {} MB: past Azure ML's snapshot limits ({SNAPSHOT_FILES} files, {} MB); list what the job does not need in .amlignore",
            tree.files.len(),
            bytes / (1024 * 1024),
            SNAPSHOT_BYTES / (1024 * 1024)
        ));
    }
    notes
}

/// A step's inputs as its command sees them, each data input given as its mode says, as on
/// Azure ML: `rw_mount` is the data itself; `download` a copy of the node's own; any other mode
/// (`ro_mount`, the default) a read-only copy. No node shares a file with an upstream or cached
/// output it could write.
struct Staged {
    inputs: IndexMap<String, Option<InputText>>,
    read_only: Vec<PathBuf>,
}

impl Staged {
    /// Makes the read-only copies writable again once the node has ended, so that the run's
    /// folder can be removed.
    fn release(self) {
        for path in self.read_only {
            let _ = set_read_only(&path, false);
        }
    }
}

fn stage_inputs(
    step: &Step,
    dirs: &StepDirs,
    inputs: &IndexMap<String, Option<InputText>>,
    cx: &Context<'_>,
) -> Result<Staged, Failure> {
    let mut staged = Staged {
        inputs: IndexMap::new(),
        read_only: Vec::new(),
    };
    for (name, text) in inputs {
        let Some(InputText::Path(path)) = text else {
            staged.inputs.insert(name.clone(), text.clone());
            continue;
        };
        let mode = step.input_modes.get(name).copied().unwrap_or(Mode::RoMount);
        if mode == Mode::RwMount {
            staged.inputs.insert(name.clone(), text.clone());
            continue;
        }
        let from = Path::new(path);
        let folder = dirs.root.join("inputs").join(name);
        // A file keeps its name in a folder of its own; a folder is the copy itself.
        let to = match (from.is_file(), from.file_name()) {
            (true, Some(file)) => folder.join(file),
            _ => folder.clone(),
        };
        let tree = copy_tree(from, &to, Take::All, cx.cancel)
            .map_err(|e| io_failure("copy input to", &to, e))?;
        if let Some((first, what)) = tree.skipped.first() {
            return Err(Failure::Message(format!(
                "input {name}: {} is {what}; an input is read from regular files",
                from.join(first).display()
            )));
        }
        if !matches!(mode, Mode::Download | Mode::EvalDownload) {
            set_read_only(&folder, true).map_err(|e| io_failure("protect", &folder, e))?;
            staged.read_only.push(folder);
        }
        staged
            .inputs
            .insert(name.clone(), Some(InputText::Path(path_text(&to))));
    }
    Ok(staged)
}

/// Each output's local path: a folder, or a file in `outputs/` for `uri_file`.
pub(crate) fn output_paths(step: &Step, dirs: &StepDirs) -> IndexMap<String, String> {
    step.outputs
        .keys()
        .map(|port| (port.clone(), path_text(&dirs.output(port))))
        .collect()
}

/// Each input as the command sees it: a value, a local path, or `None` when unset.
pub(crate) fn input_texts(step: &Step, cx: &Context<'_>) -> IndexMap<String, Option<InputText>> {
    step.inputs
        .iter()
        .map(|(name, value)| {
            let text = match value {
                Value::Literal(l) => Some(InputText::Value(literal_text(l))),
                Value::Path(p) => Some(InputText::Path(path_text(p))),
                Value::Upstream { step, port } => {
                    let producer = &cx.plan.steps[*step];
                    Some(InputText::Path(path_text(
                        &StepDirs::new(cx.run_dir, &producer.name).output(port),
                    )))
                }
                Value::Unset => None,
            };
            (name.clone(), text)
        })
        .collect()
}

fn reuse_key(
    step: &Step,
    inputs: &IndexMap<String, Option<InputText>>,
    cancel: &AtomicBool,
) -> Result<String, Failure> {
    let mut key = Key::new();
    key.text("definition", &step.definition);
    if let Some(code) = &step.code {
        key.tree("code", code, Take::Code, cancel)
            .map_err(|e| io_failure("read the code folder", code, e))?;
    }
    for name in step.inputs.keys() {
        match inputs.get(name).cloned().flatten() {
            Some(InputText::Value(text)) => key.text(name, &text),
            Some(InputText::Path(path)) => key
                .tree(name, Path::new(&path), Take::All, cancel)
                .map_err(|e| io_failure(&format!("read input {name} at"), Path::new(&path), e))?,
            None => key.text(name, "<unset>"),
        }
    }
    Ok(key.finish())
}

fn run_command(
    step: &Step,
    dirs: &StepDirs,
    command: &str,
    cx: &Context<'_>,
) -> Result<Outcome, String> {
    // Kept beside the log: what ran, exactly, to run it again by hand.
    let script = dirs.root.join("command.sh");
    fs::write(&script, format!("{command}\n"))
        .map_err(|e| format!("cannot write {}: {e}", script.display()))?;
    let log_path = dirs.log();
    // Appended to: the step's notes (what its code copy skipped) may be there already.
    let log = File::options()
        .create(true)
        .append(true)
        .open(&log_path)
        .map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
    let err_log = log
        .try_clone()
        .map_err(|e| format!("cannot open {}: {e}", log_path.display()))?;
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg(command)
        .current_dir(&dirs.code)
        .envs(environment(step, cx.run_dir))
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(err_log);
    if cx.cancel.load(std::sync::atomic::Ordering::SeqCst) {
        return Ok(Outcome::Canceled);
    }
    let mut child = process::spawn(&mut cmd).map_err(|e| format!("cannot start bash: {e}"))?;
    let ended = process::wait(&mut child, step.timeout, cx.cancel)
        .map_err(|e| format!("lost track of the command: {e}"))?;
    Ok(match ended {
        Ended::Exited(status) if status.success() => Outcome::Completed { reused: false },
        Ended::Exited(status) => Outcome::Failed(format!(
            "the command failed with {}",
            process::describe(status)
        )),
        Ended::TimedOut => Outcome::Failed(format!(
            "timed out after {} s (limits.timeout); its processes were killed",
            step.timeout.map_or(0, |t| t.as_secs())
        )),
        Ended::Canceled => Outcome::Canceled,
    })
}
