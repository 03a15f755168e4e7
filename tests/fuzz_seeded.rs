//! A fixed-seed fuzz run on every test run (the coverage-guided one is `scripts/fuzz.sh`):
//! thousands of mutants of real files (the corpus where it is, and `tests/validate`) through
//! the reader, the loader and validation, and emit of what loads. No panic, no hang, no
//! unbounded memory; what is emitted reads back.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use pipeline::Yaml;
use pipeline::validate::validate_str;
use pipeline::yaml::{emit, parse};

/// Mutants in all, spread over the seeds.
const MUTANTS: usize = 20_000;

/// Anything slower than this on one mutant is a hang (a liveness bound, not a speed figure).
const LIVENESS: Duration = Duration::from_secs(10);

/// The most memory the whole run may have taken at its peak.
const PEAK_BYTES: u64 = 2 << 30;

/// What mutants put in: YAML's syntax, its traps, and Azure ML's.
const TOKENS: &[&str] = &[
    "&a ",
    "*a",
    "<<: *a\n",
    "[",
    "]",
    "{",
    "}",
    ": ",
    "- ",
    "\n",
    "\n  ",
    "\t",
    "'",
    "\"",
    "?",
    "|\n",
    ">-\n",
    "#",
    "\0",
    "---\n",
    "...\n",
    "\u{2028}",
    "~",
    "null",
    "1e309",
    "0x1F",
    "!!str ",
    "!!binary ",
    "${{parent.inputs.x}}",
    "${{",
    "$[[",
    "]]",
    "type: pipeline\n",
    "jobs:\n",
    "type: spark\n",
    "component: ./missing.yml\n",
    "- - - - - - - -",
    "a: &b [*b, *b, *b]\n",
    "inputs:\n  x:\n",
    "\u{feff}",
    "\r\n",
    "%YAML 1.1\n",
];

/// xorshift64*: a fixed sequence from a fixed seed, with no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// A char boundary of `text`, at random.
fn boundary(rng: &mut Rng, text: &str) -> usize {
    let mut at = rng.below(text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// `text` changed in one to four ways.
fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut out = text.to_owned();
    for _ in 0..=rng.below(4) {
        match rng.below(6) {
            0 | 1 => {
                let at = boundary(rng, &out);
                out.insert_str(at, TOKENS[rng.below(TOKENS.len())]);
            }
            2 => {
                let (a, b) = (boundary(rng, &out), boundary(rng, &out));
                let (a, b) = (a.min(b), a.max(b).min(a.min(b) + 64));
                let b = (a..=b)
                    .rev()
                    .find(|&i| out.is_char_boundary(i))
                    .unwrap_or(a);
                out.replace_range(a..b, "");
            }
            3 => {
                let lines: Vec<&str> = out.lines().collect();
                if !lines.is_empty() {
                    let i = rng.below(lines.len());
                    let mut copy: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
                    copy.insert(i, lines[i].to_owned());
                    out = copy.join("\n");
                }
            }
            4 => {
                let lines: Vec<&str> = out.lines().collect();
                if lines.len() > 1 {
                    let (i, j) = (rng.below(lines.len()), rng.below(lines.len()));
                    let mut copy: Vec<&str> = lines.clone();
                    copy.swap(i, j);
                    out = copy.join("\n");
                }
            }
            _ => {
                let at = boundary(rng, &out);
                out.truncate(at);
            }
        }
    }
    out
}

fn yaml_files(root: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(root) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yml" || e == "yaml") {
            out.push(path);
        }
    }
}

/// The peak resident memory of this process, from `/proc/self/status` (0 where unknown).
fn peak_bytes() -> u64 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

#[test]
fn thousands_of_mutants_load_validate_and_emit_without_a_panic() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seeds = Vec::new();
    yaml_files(&repo.join("tests/validate"), &mut seeds);
    let corpus = std::env::var_os("PIPELINE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("../shared/corpus"));
    if corpus.is_dir() {
        yaml_files(&corpus, &mut seeds);
    } else {
        eprintln!("skipped: corpus not found (mutating tests/validate only)");
    }
    let texts: Vec<String> = seeds
        .iter()
        .filter_map(|p| fs::read_to_string(p).ok())
        .filter(|t| t.len() < 64 * 1024)
        .collect();
    assert!(texts.len() > 40, "{} seeds", texts.len());
    let mut rng = Rng(0x5eed_2026_1204);
    let mut loaded = 0;
    for i in 0..MUTANTS {
        let seed = &texts[i % texts.len()];
        let mutant = mutate(&mut rng, seed);
        let started = Instant::now();
        // The reader alone, then everything; a tree read is written back and read again.
        if let Ok(node) = parse(&mutant) {
            let written = emit(&node);
            let again = parse(&written)
                .unwrap_or_else(|e| panic!("emitted text does not read back ({e:?}):\n{written}"));
            assert_eq!(emit(&again), written, "emitting is not stable:\n{mutant}");
        }
        let report = validate_str(&mutant, "mutant.yml");
        if let Some(document) = &report.document {
            loaded += 1;
            let written = document.to_yaml();
            let valid = report
                .diagnostics
                .iter()
                .all(|d| d.severity() != pipeline::Severity::Error);
            assert!(
                !valid || validate_str(&written, "mutant.yml").document.is_some(),
                "an emitted valid document does not load again:\n{mutant}\n---\n{written}"
            );
        }
        assert!(
            started.elapsed() < LIVENESS,
            "mutant {i} took {:?}:\n{mutant}",
            started.elapsed()
        );
    }
    assert!(loaded > MUTANTS / 10, "only {loaded} mutants loaded");
    let peak = peak_bytes();
    assert!(peak < PEAK_BYTES, "peak memory {peak} bytes");
}
