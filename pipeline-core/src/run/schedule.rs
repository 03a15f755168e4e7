//! The scheduler: starts each node once the nodes it reads from have completed, up to `jobs` at a
//! time, and carries Azure ML's rules on failure and cancel.

use std::collections::VecDeque;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use indexmap::IndexMap;

use super::command::run_step;
use super::plan::{Plan, PlanError};
use super::reuse::Cache;
use super::step::{Context, Outcome, StepDirs};
use super::{Event, NodeReport, RunOptions, RunReport, create_run_dir};
use crate::model::JobStatus;

/// The cancel flag of the finalizer: never set.
static NEVER: AtomicBool = AtomicBool::new(false);

/// What a worker thread sends back.
enum Message {
    Done(usize, Outcome),
    Progress(usize, u64, u64),
}

pub(crate) fn execute(
    plan: Plan,
    options: &RunOptions,
    on_event: &mut dyn FnMut(&Event),
) -> Result<RunReport, PlanError> {
    let started = Instant::now();
    let runs_dir = super::plan::absolute(&options.runs_dir());
    let (run_id, run_dir) =
        create_run_dir(&runs_dir, options.run_id.as_deref()).map_err(|problem| PlanError {
            problems: vec![problem],
        })?;
    // Ends the run's processes should this process die without ending them itself.
    let _watchdog = super::supervise::Watchdog::start(&super::supervise::run_tag(&run_dir));
    let interrupted = super::supervise::interrupted_runs(&runs_dir);
    let _mark = super::supervise::RunMark::set(&run_dir);
    let cache = Cache::new(&super::plan::absolute(&options.workspace));
    let n = plan.steps.len();
    let dirs: Vec<StepDirs> = plan
        .steps
        .iter()
        .map(|s| StepDirs::new(&run_dir, &s.name))
        .collect();

    on_event(&Event::Started {
        run_id: run_id.clone(),
        dir: run_dir.clone(),
        nodes: plan.steps.iter().map(|s| s.name.clone()).collect(),
    });
    on_event(&Event::Notice(
        "environments are not built locally: every node runs with this machine's own tools (bash, python, packages)".to_owned(),
    ));
    for id in interrupted {
        on_event(&Event::Notice(format!(
            "run {id} was interrupted: its runner ended before the run did, so its nodes' outputs may be partial (they are not reused)"
        )));
    }
    on_event(&Event::Pipeline {
        status: JobStatus::Running,
    });

    let mut status = vec![JobStatus::NotStarted; n];
    let mut reused = vec![false; n];
    let mut errors: Vec<Option<String>> = vec![None; n];
    let mut began: Vec<Option<Instant>> = vec![None; n];
    let mut took = vec![Duration::ZERO; n];
    let mut waiting_on: Vec<usize> = plan.steps.iter().map(|s| s.deps.len()).collect();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, step) in plan.steps.iter().enumerate() {
        for &d in &step.deps {
            dependents[d].push(i);
        }
    }

    let emit_node = |on_event: &mut dyn FnMut(&Event),
                     i: usize,
                     status: JobStatus,
                     reused: bool,
                     error: Option<String>| {
        on_event(&Event::Node {
            name: plan.steps[i].name.clone(),
            status,
            reused,
            log: dirs[i].log(),
            error,
        });
    };

    // `settings.on_finalize` starts once nothing else runs or can, whatever happened: not from
    // the queue.
    let mut finalize = plan.on_finalize;
    let mut ready: VecDeque<usize> = VecDeque::new();
    for i in 0..n {
        if waiting_on[i] == 0 && Some(i) != finalize {
            status[i] = JobStatus::Queued;
            emit_node(on_event, i, JobStatus::Queued, false, None);
            ready.push_back(i);
        }
    }

    let jobs = options.jobs.max(1);
    let force_rerun = options.force_rerun || plan.force_rerun;
    let cancel = &*options.cancel;
    let mut failed = false;
    let mut stopping = false;
    let mut cancel_seen = false;
    let mut running = 0usize;
    let mut pending: Option<Message> = None;

    let (tx, rx) = mpsc::channel::<Message>();
    std::thread::scope(|scope| {
        loop {
            if !cancel_seen && cancel.load(Ordering::SeqCst) {
                cancel_seen = true;
                stopping = true;
                on_event(&Event::Pipeline {
                    status: JobStatus::CancelRequested,
                });
                for (i, s) in status.iter_mut().enumerate() {
                    // The finalizer runs on: it is what a cancel leaves to run.
                    if *s == JobStatus::Running && Some(i) != plan.on_finalize {
                        *s = JobStatus::CancelRequested;
                        emit_node(on_event, i, JobStatus::CancelRequested, false, None);
                    }
                }
            }
            if let Some(Message::Progress(i, done, total)) = pending {
                pending = None;
                on_event(&Event::Progress {
                    name: plan.steps[i].name.clone(),
                    done,
                    total,
                });
            }
            if let Some(Message::Done(i, outcome)) = pending.take() {
                running -= 1;
                took[i] = began[i].map_or(Duration::ZERO, |b| b.elapsed());
                match outcome {
                    Outcome::Completed { reused: r } => {
                        status[i] = JobStatus::Completed;
                        reused[i] = r;
                        emit_node(on_event, i, JobStatus::Completed, r, None);
                        for &d in &dependents[i] {
                            waiting_on[d] -= 1;
                            if waiting_on[d] == 0 && !stopping {
                                status[d] = JobStatus::Queued;
                                emit_node(on_event, d, JobStatus::Queued, false, None);
                                ready.push_back(d);
                            }
                        }
                    }
                    Outcome::Failed(message) => {
                        status[i] = JobStatus::Failed;
                        errors[i] = Some(message.clone());
                        emit_node(on_event, i, JobStatus::Failed, false, Some(message));
                        failed = true;
                        // Without continue_on_step_failure no new node starts; the running ones
                        // finish. With it, every node not downstream of a failure still runs (those
                        // downstream never become ready).
                        if !plan.continue_on_step_failure {
                            stopping = true;
                        }
                    }
                    Outcome::Canceled => {
                        status[i] = JobStatus::Canceled;
                        emit_node(on_event, i, JobStatus::Canceled, false, None);
                    }
                }
            }
            let mut starting: Vec<(usize, &AtomicBool)> = Vec::new();
            while running + starting.len() < jobs && !stopping {
                let Some(i) = ready.pop_front() else { break };
                starting.push((i, cancel));
            }
            if running == 0 && starting.is_empty() && (stopping || ready.is_empty()) {
                // The finalizer runs even after a failure or a cancel, within its own timeout;
                // a second signal ends the runner, and its watchdog the finalizer.
                match finalize.take() {
                    Some(f) => starting.push((f, &NEVER)),
                    None => break,
                }
            }
            for (i, cancel) in starting {
                status[i] = JobStatus::Running;
                began[i] = Some(Instant::now());
                emit_node(on_event, i, JobStatus::Running, false, None);
                running += 1;
                let tx = tx.clone();
                let (plan, run_dir, cache) = (&plan, &run_dir, &cache);
                scope.spawn(move || {
                    let progress_tx = tx.clone();
                    let report = move |done: u64, total: u64| {
                        let _ = progress_tx.send(Message::Progress(i, done, total));
                    };
                    let cx = Context {
                        plan,
                        run_dir,
                        cache,
                        force_rerun,
                        cancel,
                        progress: &report,
                    };
                    let outcome = run_step(i, &cx);
                    let _ = tx.send(Message::Done(i, outcome));
                });
            }
            // Held until the top of the loop has looked at the cancel flag: a step that sees a
            // cancel first must not report Canceled before the run reports CancelRequested.
            pending = rx.recv_timeout(Duration::from_millis(20)).ok();
        }
    });

    for (i, s) in status.iter_mut().enumerate() {
        if !s.is_terminal() {
            // Queued or never reached: canceled with the run, or left out by a failure.
            let end = if cancel_seen {
                JobStatus::Canceled
            } else {
                JobStatus::NotStarted
            };
            if *s != end {
                *s = end;
                emit_node(on_event, i, end, false, None);
            }
        }
    }
    let final_status = if cancel_seen {
        JobStatus::Canceled
    } else if failed {
        JobStatus::Failed
    } else {
        JobStatus::Completed
    };
    on_event(&Event::Pipeline {
        status: final_status,
    });

    let nodes = (0..n)
        .map(|i| NodeReport {
            name: plan.steps[i].name.clone(),
            status: status[i],
            reused: reused[i],
            duration: took[i],
            log: dirs[i].log(),
            error: errors[i].take(),
            outputs: plan.steps[i]
                .outputs
                .keys()
                .map(|p| (p.clone(), dirs[i].output(p)))
                .collect(),
        })
        .collect();
    let outputs: IndexMap<_, _> = plan
        .outputs
        .iter()
        .map(|(name, (step, port))| (name.clone(), dirs[*step].output(port)))
        .collect();
    Ok(RunReport {
        run_id,
        dir: run_dir,
        status: final_status,
        nodes,
        outputs,
        duration: started.elapsed(),
    })
}
