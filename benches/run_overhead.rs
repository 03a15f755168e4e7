//! The local runner's scheduling overhead per node (issue 5): 1,000 no-op command nodes (`true`),
//! as a chain (each reads the previous node's output) and as a fan-out (every node reads the
//! first one's), beside the bare cost of what a node cannot avoid: starting `bash -c true` and
//! waiting for it.
//!
//! ```text
//! cargo bench --bench run_overhead
//! ```
//!
//! The overhead per node is (a run's time − the bare processes' time at the same parallelism) /
//! 1,000: the planning, folders, logs, reuse keys, statuses and events around each process. Every
//! run is a fresh workspace with `force_rerun`, so no node is reused. Azure ML cannot run a
//! pipeline locally, so there is no SDK side to set beside it.

use std::fmt::Write as _;
use std::process::Command;

use divan::Bencher;
use pipeline::run::{RunOptions, run};
use pipeline::{Job, JobStatus, job_from_str};

const NODES: usize = 1_000;

fn pipeline(chain: bool) -> Job {
    let mut yaml = String::from("type: pipeline\njobs:\n");
    for i in 0..NODES {
        let input = match (i, chain) {
            (0, _) => String::new(),
            (_, true) => format!(
                "    inputs: {{up: \"${{{{parent.jobs.n{}.outputs.out}}}}\"}}\n",
                i - 1
            ),
            (_, false) => "    inputs: {up: \"${{parent.jobs.n0.outputs.out}}\"}\n".to_owned(),
        };
        write!(
            yaml,
            "  n{i}:\n    type: command\n    environment: azureml:AzureML-sklearn-1.0@latest\n    command: \"true\"\n{input}    outputs: {{out: {{type: uri_folder}}}}\n"
        )
        .unwrap();
    }
    job_from_str(&yaml).expect("the generated pipeline loads")
}

fn bench_run(bencher: Bencher, chain: bool, jobs: usize) {
    let job = pipeline(chain);
    bencher
        .with_inputs(|| tempfile::tempdir().expect("a temporary workspace"))
        .bench_local_refs(|workspace| {
            let mut options = RunOptions::new(workspace.path());
            options.jobs = jobs;
            options.force_rerun = true;
            let report = run(&job, &options, &mut |_| {}).expect("the pipeline runs");
            assert_eq!(report.status, JobStatus::Completed);
        });
}

/// A chain runs one node at a time whatever `--jobs` says.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn chain_1000(bencher: Bencher) {
    bench_run(bencher, true, 1);
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn fanout_1000_jobs_1(bencher: Bencher) {
    bench_run(bencher, false, 1);
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn fanout_1000_jobs_2(bencher: Bencher) {
    bench_run(bencher, false, 2);
}

/// What 1,000 nodes cost with no runner at all: `bash -c true`, started and waited for.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn bare_bash_1000_jobs_1(bencher: Bencher) {
    bencher.bench(|| bare(1));
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn bare_bash_1000_jobs_2(bencher: Bencher) {
    bencher.bench(|| bare(2));
}

fn bare(threads: usize) {
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(move || {
                for _ in 0..NODES / threads {
                    let status = Command::new("bash")
                        .args(["-c", "true"])
                        .status()
                        .expect("bash starts");
                    assert!(status.success());
                }
            });
        }
    });
}

fn main() {
    divan::main();
}
