//! The worker pool of a parallel node: each mini-batch given to an idle worker, tried again when
//! it fails or times out (on a fresh worker after a timeout), the thresholds checked each time
//! one fails for good, and every worker killed on cancel.

use std::collections::VecDeque;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

use super::super::process;
use super::log::Log;
use super::worker::{Message, Reply, Spec, Worker};

/// How often the pool looks at timeouts and the cancel flag when no worker speaks.
const POLL: Duration = Duration::from_millis(20);

/// How long a worker has to call `shutdown()` and exit once its work is done.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// The node's settings that the pool follows.
pub(super) struct Settings {
    pub workers: usize,
    /// Tries of a mini-batch in all (at least 1).
    pub max_tries: u64,
    pub timeout: Duration,
    /// Failed items allowed; -1 allows any number.
    pub error_threshold: i64,
    /// Failed mini-batches allowed; -1 allows any number.
    pub mini_batch_error_threshold: i64,
}

/// What the pool works on.
pub(super) struct Job<'a> {
    pub batches: &'a [Vec<PathBuf>],
    /// Where each mini-batch's rows go: `<rows_dir>/<batch>.txt`.
    pub rows_dir: &'a Path,
    pub spec: &'a Spec,
    pub settings: &'a Settings,
    pub cancel: &'a AtomicBool,
    pub progress: &'a (dyn Fn(u64, u64) + Sync),
}

/// What became of a mini-batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fate {
    Pending,
    Succeeded { rows: u64 },
    Failed,
}

/// The counts of a run of the pool.
#[derive(Debug)]
pub(super) struct Tally {
    pub fates: Vec<Fate>,
    pub failed_batches: u64,
    pub failed_items: u64,
    pub succeeded_items: u64,
    pub retries: u64,
}

impl Tally {
    pub(super) fn empty() -> Tally {
        Tally::new(0)
    }

    fn new(batches: usize) -> Tally {
        Tally {
            fates: vec![Fate::Pending; batches],
            failed_batches: 0,
            failed_items: 0,
            succeeded_items: 0,
            retries: 0,
        }
    }
}

/// How the pool ended.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum End {
    Completed,
    Failed(String),
    Canceled,
}

enum State {
    /// Importing the entry script and running `init()`.
    Starting,
    Idle,
    Busy {
        batch: usize,
        since: Instant,
    },
    /// Could not start, or stopped taking work: never used again.
    Dead,
}

struct Slot {
    worker: Option<Worker>,
    generation: u64,
    state: State,
}

struct Pool<'a, 'l> {
    job: &'a Job<'a>,
    log: &'l mut Log,
    tx: Sender<Message>,
    slots: Vec<Slot>,
    queue: VecDeque<usize>,
    tries: Vec<u64>,
    tally: Tally,
    done: u64,
    /// The last worker that could not start, and why.
    init_error: Option<(usize, String)>,
    /// The worker whose log tells about the last failure.
    last_failure: Option<usize>,
}

/// Runs every mini-batch of `job` on its workers.
pub(super) fn run(job: &Job<'_>, log: &mut Log) -> (End, Tally) {
    let (tx, rx) = mpsc::channel();
    let total = job.batches.len();
    let mut pool = Pool {
        job,
        log,
        tx,
        slots: Vec::new(),
        queue: (0..total).collect(),
        tries: vec![0; total],
        tally: Tally::new(total),
        done: 0,
        init_error: None,
        last_failure: None,
    };
    (job.progress)(0, total as u64);
    for slot in 0..job.settings.workers.max(1) {
        pool.slots.push(Slot {
            worker: None,
            generation: 0,
            state: State::Dead,
        });
        pool.start(slot);
    }
    let end = pool.drive(&rx);
    (end, pool.tally)
}

impl Pool<'_, '_> {
    fn drive(&mut self, rx: &Receiver<Message>) -> End {
        let total = self.job.batches.len() as u64;
        loop {
            if self.job.cancel.load(Ordering::SeqCst) {
                self.log.line("canceled: killing the workers");
                self.kill_all();
                return End::Canceled;
            }
            if let Some(why) = self.threshold_passed() {
                self.log.line(format!("{why}: stopping"));
                self.kill_all();
                return End::Failed(why);
            }
            if self.done == total {
                self.finish_all();
                return End::Completed;
            }
            self.dispatch();
            if self.slots.iter().all(|s| matches!(s.state, State::Dead)) {
                self.kill_all();
                return End::Failed(self.no_worker_left(total - self.done));
            }
            if let Ok(message) = rx.recv_timeout(POLL) {
                self.handle(message);
            }
            self.check_timeouts();
        }
    }

    /// Starts (or starts again) the worker of `slot`.
    fn start(&mut self, slot: usize) {
        let generation = self.slots[slot].generation;
        match Worker::start(self.job.spec, slot, generation, self.tx.clone()) {
            Ok(worker) => {
                self.slots[slot].worker = Some(worker);
                self.slots[slot].state = State::Starting;
            }
            Err(e) => {
                self.log.line(format!("worker {slot} could not start: {e}"));
                self.slots[slot].state = State::Dead;
                self.init_error = Some((slot, e));
            }
        }
    }

    /// A fresh worker in `slot` (it runs `init()` again), after its process was killed or died;
    /// none when no mini-batch is left or the node is about to fail.
    fn restart(&mut self, slot: usize, why: &str) {
        let needed = self.done < self.job.batches.len() as u64 && self.threshold_passed().is_none();
        let s = &mut self.slots[slot];
        s.worker = None;
        if !needed {
            s.state = State::Dead;
            return;
        }
        s.generation += 1;
        let log = self.job.spec.log_of(slot);
        if let Ok(mut f) = File::options().append(true).create(true).open(log) {
            let _ = writeln!(f, "pipeline: worker {slot} restarted {why}");
        }
        self.log.line(format!("worker {slot} restarted {why}"));
        self.start(slot);
    }

    fn dispatch(&mut self) {
        for slot in 0..self.slots.len() {
            if !matches!(self.slots[slot].state, State::Idle) {
                continue;
            }
            let Some(batch) = self.queue.pop_front() else {
                return;
            };
            let rows = self.job.rows_dir.join(format!("{batch}.txt"));
            let files = &self.job.batches[batch];
            let Some(worker) = self.slots[slot].worker.as_mut() else {
                self.queue.push_front(batch);
                self.slots[slot].state = State::Dead;
                continue;
            };
            match worker.send(batch, files, &rows) {
                Ok(()) => {
                    self.slots[slot].state = State::Busy {
                        batch,
                        since: Instant::now(),
                    };
                }
                Err(e) => {
                    // It stopped reading: it is dying. Not restarted, so that a worker that
                    // always dies cannot be started again and again.
                    self.queue.push_front(batch);
                    worker.reap();
                    self.slots[slot].worker = None;
                    self.slots[slot].state = State::Dead;
                    let why = format!("worker {slot} stopped taking mini-batches ({e})");
                    self.log.line(&why);
                    self.init_error = Some((slot, why));
                }
            }
        }
    }

    fn handle(&mut self, message: Message) {
        let slot = message.slot;
        let Some(s) = self.slots.get_mut(slot) else {
            return;
        };
        // A reply of a worker since killed and replaced.
        if s.generation != message.generation || s.worker.is_none() {
            return;
        }
        let busy_with = match s.state {
            State::Busy { batch, .. } => Some(batch),
            _ => None,
        };
        match message.reply {
            Reply::Ready => {
                if matches!(s.state, State::Starting) {
                    s.state = State::Idle;
                    self.log.line(format!("worker {slot} ready (init() done)"));
                }
            }
            Reply::InitFailed(error) => {
                if let Some(mut w) = s.worker.take() {
                    w.reap();
                }
                s.state = State::Dead;
                self.log.line(format!(
                    "worker {slot} could not start: {error}; see user_logs/worker_{slot}.txt"
                ));
                self.init_error = Some((slot, error));
            }
            Reply::Done { batch, rows } if busy_with == Some(batch) => {
                s.state = State::Idle;
                self.succeeded(slot, batch, rows);
            }
            Reply::Failed { batch, error } if busy_with == Some(batch) => {
                s.state = State::Idle;
                self.try_failed(slot, batch, &error);
            }
            Reply::Done { .. } | Reply::Failed { .. } | Reply::Garbled(_) => {
                self.log.line(format!(
                    "worker {slot} said something out of turn, ignored: {:?}",
                    message.reply
                ));
            }
            Reply::Exited => {
                let status = s.worker.as_mut().and_then(Worker::reap);
                let how = status.map_or_else(|| "killed".to_owned(), process::describe);
                match s.state {
                    State::Busy { batch, .. } => {
                        s.worker = None;
                        let why = format!("its worker exited ({how})");
                        self.try_failed(slot, batch, &why);
                        self.restart(slot, &format!("after it exited ({how})"));
                    }
                    State::Starting | State::Idle => {
                        s.worker = None;
                        s.state = State::Dead;
                        let why = format!("the worker exited ({how})");
                        self.log.line(format!("worker {slot}: {why}"));
                        self.init_error = Some((slot, why));
                    }
                    State::Dead => s.worker = None,
                }
            }
        }
    }

    /// Kills and replaces each worker whose mini-batch has run past `retry_settings.timeout`.
    fn check_timeouts(&mut self) {
        let timeout = self.job.settings.timeout;
        for slot in 0..self.slots.len() {
            let State::Busy { batch, since } = self.slots[slot].state else {
                continue;
            };
            if since.elapsed() < timeout {
                continue;
            }
            if let Some(w) = self.slots[slot].worker.as_mut() {
                w.kill();
            }
            let why = format!(
                "timed out after {} s (retry_settings.timeout); its worker was killed",
                timeout.as_secs()
            );
            self.try_failed(slot, batch, &why);
            self.restart(slot, "after a timeout");
        }
    }

    fn succeeded(&mut self, slot: usize, batch: usize, rows: u64) {
        self.tries[batch] += 1;
        let items = self.job.batches[batch].len() as u64;
        // Azure ML's rule: each returned row is one item processed; the rest failed.
        let ok = rows.min(items);
        self.tally.succeeded_items += ok;
        self.tally.failed_items += items - ok;
        self.tally.fates[batch] = Fate::Succeeded { rows };
        self.log.line(format!(
            "mini-batch {batch} done on worker {slot}: {items} file(s), {rows} row(s)"
        ));
        if ok < items {
            self.last_failure = Some(slot);
            self.log.line(format!(
                "mini-batch {batch}: run() returned {rows} row(s) for {items} file(s): {} item(s) count as failed",
                items - ok
            ));
        }
        self.finished();
    }

    fn try_failed(&mut self, slot: usize, batch: usize, why: &str) {
        self.tries[batch] += 1;
        self.last_failure = Some(slot);
        let (tries, max) = (self.tries[batch], self.job.settings.max_tries);
        if tries < max {
            self.tally.retries += 1;
            self.queue.push_back(batch);
            self.log.line(format!(
                "mini-batch {batch} failed on try {tries} of {max} on worker {slot}: {why}; retrying"
            ));
            return;
        }
        self.tally.failed_batches += 1;
        self.tally.failed_items += self.job.batches[batch].len() as u64;
        self.tally.fates[batch] = Fate::Failed;
        self.log.line(format!(
            "mini-batch {batch} failed on try {tries} of {max} on worker {slot}: {why}; no tries left (retry_settings.max_retries)"
        ));
        self.finished();
    }

    /// A mini-batch is done for good: the run is told.
    fn finished(&mut self) {
        self.done += 1;
        (self.job.progress)(self.done, self.job.batches.len() as u64);
    }

    fn where_to_look(&self) -> String {
        match self.last_failure {
            Some(slot) => format!("user_logs/worker_{slot}.txt"),
            None => "user_logs/std_log.txt".to_owned(),
        }
    }

    fn threshold_passed(&self) -> Option<String> {
        let s = self.job.settings;
        let t = &self.tally;
        if s.mini_batch_error_threshold >= 0
            && t.failed_batches > s.mini_batch_error_threshold.unsigned_abs()
        {
            return Some(format!(
                "{} failed, more than mini_batch_error_threshold {}; see {} (mini_batch_error_threshold: -1 lets the node complete whatever fails)",
                plural(t.failed_batches, "mini-batch", "mini-batches"),
                s.mini_batch_error_threshold,
                self.where_to_look()
            ));
        }
        if s.error_threshold >= 0 && t.failed_items > s.error_threshold.unsigned_abs() {
            return Some(format!(
                "{} failed, more than error_threshold {}; see {} (error_threshold: -1 lets the node complete whatever fails)",
                plural(t.failed_items, "item", "items"),
                s.error_threshold,
                self.where_to_look()
            ));
        }
        None
    }

    fn no_worker_left(&self, left: u64) -> String {
        let left = plural(left, "mini-batch", "mini-batches");
        match &self.init_error {
            Some((slot, error)) => format!(
                "no worker could run the {left} left: {error}; see user_logs/worker_{slot}.txt"
            ),
            None => format!("no worker could run the {left} left"),
        }
    }

    /// Kills every worker: all are signalled first, so that a cancel takes about as long as one
    /// kill, not one per worker.
    fn kill_all(&mut self) {
        for w in self.slots.iter_mut().filter_map(|s| s.worker.as_mut()) {
            w.terminate();
        }
        for slot in &mut self.slots {
            if let Some(mut w) = slot.worker.take() {
                w.kill();
            }
        }
    }

    /// Lets every worker call `shutdown()` and exit, all at the same time, within one grace
    /// period.
    fn finish_all(&mut self) {
        for w in self.slots.iter_mut().filter_map(|s| s.worker.as_mut()) {
            w.close_stdin();
        }
        let deadline = Instant::now() + SHUTDOWN_GRACE;
        for slot in &mut self.slots {
            if let Some(mut w) = slot.worker.take() {
                w.finish(
                    deadline.saturating_duration_since(Instant::now()),
                    self.job.cancel,
                );
            }
        }
    }
}

/// `1 mini-batch`, `3 mini-batches`.
fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
