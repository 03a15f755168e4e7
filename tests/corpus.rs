//! Every job, component and compute YAML of the shared corpus: load → emit → load gives an equal
//! model, loses no key, and emitting again gives the same text.

mod support;

use std::path::Path;

use pipeline::yaml::{Node, Value};
use pipeline::{DocumentKind, Yaml, classify, load, load_str};

/// Every key path (`jobs.train.inputs.lr`, `tags[0]`) of a tree.
fn key_paths(node: &Node, prefix: &str, out: &mut Vec<String>) {
    match &node.value {
        Value::Map(m) => {
            for (k, v) in m.iter() {
                let p = if prefix.is_empty() {
                    k.to_string()
                } else {
                    format!("{prefix}.{k}")
                };
                out.push(p.clone());
                key_paths(v, &p, out);
            }
        }
        Value::Seq(items) => {
            for (i, v) in items.iter().enumerate() {
                key_paths(v, &format!("{prefix}[{i}]"), out);
            }
        }
        _ => {}
    }
}

fn round_trip(path: &Path) -> Result<(), String> {
    let original = load(path).map_err(|e| format!("load: {e}"))?;
    let text = original.to_yaml();
    // Read the emitted text as if it stood where the original does, so component files resolve.
    let again =
        load_str(&text, path).map_err(|e| format!("reload: {e}\n--- emitted ---\n{text}"))?;
    if again != original {
        return Err(format!("reloaded model differs\n--- emitted ---\n{text}"));
    }
    if again.to_yaml() != text {
        return Err("emitting twice gives different text".to_owned());
    }
    let source = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let (mut before, mut after) = (Vec::new(), Vec::new());
    key_paths(
        &pipeline::yaml::parse(&source).map_err(|e| e.message)?,
        "",
        &mut before,
    );
    key_paths(
        &pipeline::yaml::parse(&text).map_err(|e| e.message)?,
        "",
        &mut after,
    );
    let lost: Vec<_> = before.iter().filter(|k| !after.contains(k)).collect();
    if !lost.is_empty() {
        return Err(format!("keys lost: {lost:?}"));
    }
    Ok(())
}

#[test]
fn corpus_round_trips_without_loss() {
    let Some(corpus) = support::corpus() else {
        return;
    };
    let mut files = Vec::new();
    support::yaml_files(&corpus, &mut files);
    let (mut checked, mut other, mut failures) = (0, 0, Vec::new());
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let kind = match pipeline::yaml::parse(&text) {
            Ok(node) => classify(&node),
            Err(e) => DocumentKind::Unsupported(e.message),
        };
        if let DocumentKind::Unsupported(_) = kind {
            other += 1;
            continue;
        }
        checked += 1;
        if let Err(e) = round_trip(file) {
            failures.push(format!("{}: {e}", file.display()));
        }
    }
    println!(
        "corpus: {} YAML files, {checked} jobs/components/computes round-tripped, {other} of other kinds",
        files.len()
    );
    assert!(
        checked > 200,
        "only {checked} files checked: is the corpus complete?"
    );
    assert!(
        failures.is_empty(),
        "{} of {checked} files fail:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
