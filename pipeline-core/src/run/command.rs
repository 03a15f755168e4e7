//! One step of a run, in its folder: inputs resolved to paths and values, reuse looked up, code
//! copied, then its command (or its parallel task) run and its log kept.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;

use indexmap::IndexMap;

use super::copy::{copy_tree, link_tree};
use super::plan::{OutputShape, Plan, Step, StepKind, Value};
use super::process::{self, Ended};
use super::render::{self, Bound, InputText, literal_text, path_text};
use super::reuse::{Cache, Key};

/// The folders of one step in a run: `<run>/<node>/{code,outputs,user_logs}`.
#[derive(Debug, Clone)]
pub(crate) struct StepDirs {
    pub root: PathBuf,
    pub code: PathBuf,
    pub outputs: PathBuf,
    pub logs: PathBuf,
}

impl StepDirs {
    pub(crate) fn new(run_dir: &Path, name: &str) -> Self {
        let root = run_dir.join(name);
        StepDirs {
            code: root.join("code"),
            outputs: root.join("outputs"),
            logs: root.join("user_logs"),
            root,
        }
    }

    pub(crate) fn log(&self) -> PathBuf {
        self.logs.join("std_log.txt")
    }

    pub(crate) fn output(&self, port: &str) -> PathBuf {
        self.outputs.join(port)
    }
}

/// How a step ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    Completed { reused: bool },
    Failed(String),
    Canceled,
}

/// What a step needs from the run around it.
pub(crate) struct Context<'a> {
    pub plan: &'a Plan,
    pub run_dir: &'a Path,
    pub cache: &'a Cache,
    pub force_rerun: bool,
    pub cancel: &'a AtomicBool,
    /// Tells the run a parallel step's progress: (mini-batches done, all of them).
    pub progress: &'a (dyn Fn(u64, u64) + Sync),
}

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
    let io = |what: &str, path: &Path, e: std::io::Error| {
        format!("cannot {what} {}: {e}", path.display())
    };
    fs::create_dir_all(&dirs.logs).map_err(|e| io("create", &dirs.logs, e))?;
    let outputs = output_paths(step, dirs);
    let inputs = input_texts(step, cx);

    // A node that is not deterministic is never reused: its inputs are not hashed at all.
    let key = step
        .deterministic
        .then(|| reuse_key(step, &inputs))
        .transpose()?;
    if !cx.force_rerun
        && let Some(key) = &key
        && let Some(earlier) = cx.cache.lookup(key)
        && step.outputs.keys().all(|p| earlier.join(p).exists())
    {
        for port in step.outputs.keys() {
            let to = dirs.output(port);
            link_tree(&earlier.join(port), &to).map_err(|e| io("reuse", &to, e))?;
        }
        let log = dirs.log();
        fs::write(
            &log,
            format!(
                "pipeline: reused the outputs of {} (same component, code and inputs); --force-rerun runs it again\n",
                earlier.display()
            ),
        )
        .map_err(|e| io("write", &log, e))?;
        return Ok(Outcome::Completed { reused: true });
    }

    for (port, shape) in &step.outputs {
        let path = dirs.output(port);
        let folder = match shape {
            OutputShape::Folder => path.clone(),
            OutputShape::File => dirs.outputs.clone(),
        };
        fs::create_dir_all(&folder).map_err(|e| io("create", &folder, e))?;
    }
    match &step.code {
        Some(code) => {
            copy_tree(code, &dirs.code).map_err(|e| io("copy the code to", &dirs.code, e))?
        }
        None => fs::create_dir_all(&dirs.code).map_err(|e| io("create", &dirs.code, e))?,
    }

    let outcome = match &step.kind {
        StepKind::Command(template) => {
            let bound = Bound {
                inputs: &inputs,
                outputs: &outputs,
                node: &step.name,
            };
            let command = render::command(template, &bound)?;
            run_command(step, dirs, &command, cx)?
        }
        StepKind::Parallel(task) => {
            super::parallel_task::run(step, task, dirs, &inputs, &outputs, cx)?
        }
    };
    if let (Outcome::Completed { reused: false }, Some(key)) = (&outcome, &key) {
        cx.cache
            .record(key, &dirs.outputs)
            .map_err(|e| format!("cannot record the node for reuse: {e}"))?;
    }
    Ok(outcome)
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

fn reuse_key(step: &Step, inputs: &IndexMap<String, Option<InputText>>) -> Result<String, String> {
    let mut key = Key::new();
    key.text("definition", &step.definition);
    if let Some(code) = &step.code {
        key.tree("code", code)
            .map_err(|e| format!("cannot read the code folder {}: {e}", code.display()))?;
    }
    for name in step.inputs.keys() {
        match inputs.get(name).cloned().flatten() {
            Some(InputText::Value(text)) => key.text(name, &text),
            Some(InputText::Path(path)) => key
                .tree(name, Path::new(&path))
                .map_err(|e| format!("cannot read input {name} at {path}: {e}"))?,
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
    let log = File::create(&log_path)
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

/// What a node's processes find in their environment: its `environment_variables`, then the run
/// and node they belong to, as Azure ML's runtime sets them.
pub(crate) fn environment(step: &Step, run_dir: &Path) -> IndexMap<String, String> {
    let mut env = step.environment_variables.clone();
    env.insert("AZUREML_RUN_ID".to_owned(), run_id_of(run_dir));
    env.insert("AZUREML_NODE_NAME".to_owned(), step.name.clone());
    env
}

fn run_id_of(run_dir: &Path) -> String {
    run_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
