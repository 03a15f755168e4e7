//! What the YAML layer's tests share: the corpus's files, and trees compared with positions.

use std::path::{Path, PathBuf};

use super::node::{Node, Value};

/// Every `.yml`/`.yaml` file under the corpus's folder `under` (`""` for all), or `None`, said
/// aloud, when there is no corpus (CI never skips: there it fails).
pub(crate) fn corpus_yaml_files(under: &str) -> Option<Vec<PathBuf>> {
    let corpus = std::env::var_os("PIPELINE_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
        PathBuf::from,
    );
    let root = corpus.join(under);
    if !root.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "corpus not found at {}; CI does not skip",
            root.display()
        );
        println!("skipped: corpus not found at {}", root.display());
        return None;
    }
    let mut stack = vec![root];
    let mut files = Vec::new();
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yml" || x == "yaml") {
                files.push(p);
            }
        }
    }
    files.sort();
    Some(files)
}

/// Where two trees first differ, positions included; `None` when they are the same.
pub(crate) fn difference(a: &Node, b: &Node, path: &str) -> Option<String> {
    if a.span != b.span {
        return Some(format!("at `{path}`: {:?} and {:?}", a.span, b.span));
    }
    match (&a.value, &b.value) {
        (Value::Map(x), Value::Map(y)) if x.len() == y.len() => {
            x.iter().zip(y.iter()).find_map(|((k1, v1), (k2, v2))| {
                let here = format!("{path}.{k1}");
                difference(k1, k2, &here).or_else(|| difference(v1, v2, &here))
            })
        }
        (Value::Seq(x), Value::Seq(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| difference(p, q, &format!("{path}[{i}]"))),
        (x, y) if x == y => None,
        (x, y) => Some(format!("at `{path}`: {x:?} and {y:?}")),
    }
}

/// Equal trees, positions included.
pub(crate) fn same(a: &Node, b: &Node) -> bool {
    difference(a, b, "").is_none()
}
