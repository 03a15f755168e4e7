//! The whole corpus validates with no errors, except files the SDK also rejects (for the same
//! reason) and real defects the SDK lets through, each listed here with its reason.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use pipeline::validate::validate_path;
use pipeline::{Code, Severity};

/// Files with errors, by path in the corpus, with the codes we report and why.
const EXPECTED: &[(&str, &[Code], &str)] = &[
    (
        "cli/endpoints/batch/deploy-pipelines/training-with-components/deployment-onehot/pipeline.yml",
        &[Code::E010],
        "SDK rejects too: component name `uci-heart-train-pipeline` has `-`",
    ),
    (
        "cli/endpoints/batch/deploy-pipelines/training-with-components/deployment-ordinal/pipeline.yml",
        &[Code::E010],
        "SDK rejects too: component name `uci-heart-train-pipeline` has `-`",
    ),
    (
        "cli/jobs/automl-standalone-jobs/cli-automl-classification-task-bankmarketing/cli-automl-classification-task-bankmarketing-serverless.yml",
        &[Code::E052],
        "SDK rejects too: `resources` is a string (Invalid input type)",
    ),
    (
        "cli/jobs/nebulaml/cifar10_deepspeed/job.yml",
        &[Code::E045],
        "SDK rejects too: environment `< your environment name >` is a placeholder string",
    ),
    (
        "cli/jobs/pipelines-with-components/basics/6c_r_iris/component.yml",
        &[Code::E010],
        "SDK rejects too: component name `r-iris-example` has `-`",
    ),
    (
        "cli/jobs/pipelines-with-components/image_classification_with_densenet/pipeline.yml",
        &[Code::E031],
        "a real defect the SDK lets through: `center_crop: 224` for an input whose enum is ['True', 'False']",
    ),
];

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Errors by file (relative to `root`), every job, component and compute validated.
fn errors(root: &Path, files: &[PathBuf]) -> BTreeMap<String, Vec<(Code, String)>> {
    let mut out: BTreeMap<String, Vec<(Code, String)>> = BTreeMap::new();
    for file in files {
        let report = validate_path(file).unwrap();
        for d in report
            .diagnostics
            .iter()
            .filter(|d| d.severity() == Severity::Error && d.code != Code::E007)
        {
            let rel = d
                .file
                .strip_prefix(root)
                .unwrap_or(&d.file)
                .display()
                .to_string();
            let entry = out.entry(rel).or_default();
            if !entry.contains(&(d.code, d.message.clone())) {
                entry.push((d.code, d.message.clone()));
            }
        }
    }
    out
}

#[test]
fn corpus_validates_except_known_files() {
    let Some(corpus) = support::corpus() else {
        return;
    };
    // The corpus is YAML only: code folders and conda files are created as empty stand-ins in a
    // copy (never in the corpus), as the SDK needs them too.
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("azureml-examples");
    copy_tree(&corpus, &root);
    let mut files = Vec::new();
    support::yaml_files(&root, &mut files);

    // Creating a code folder can reveal a missing entry script inside it: repeat until none.
    let mut stand_ins = 0;
    for _round in 0..3 {
        let mut created = 0;
        for problems in errors(&root, &files).values() {
            for (code, message) in problems {
                if *code != Code::E044 {
                    continue;
                }
                let missing = message
                    .rsplit_once("(looked for ")
                    .and_then(|(_, p)| p.strip_suffix(')'))
                    .expect("E044 names the path");
                let missing = Path::new(missing);
                if missing.exists() {
                    continue;
                }
                if missing.extension().is_some() {
                    fs::create_dir_all(missing.parent().unwrap()).unwrap();
                    fs::write(missing, "name: stand-in\ndependencies: []\n").unwrap();
                } else {
                    fs::create_dir_all(missing).unwrap();
                }
                created += 1;
            }
        }
        stand_ins += created;
        if created == 0 {
            break;
        }
    }
    assert!(
        stand_ins > 50,
        "the corpus names code folders: {stand_ins} stand-ins"
    );

    let found = errors(&root, &files);
    let mut problems = Vec::new();
    for (file, errs) in &found {
        let codes: Vec<Code> = errs.iter().map(|(c, _)| *c).collect();
        match EXPECTED.iter().find(|(f, ..)| f == file) {
            Some((_, expected, _)) if codes.iter().all(|c| expected.contains(c)) => {}
            _ => problems.push(format!("{file}: unexpected {errs:?}")),
        }
    }
    for (file, expected, why) in EXPECTED {
        let codes: Vec<Code> = found
            .get(*file)
            .map(|e| e.iter().map(|(c, _)| *c).collect())
            .unwrap_or_default();
        if !expected.iter().all(|c| codes.contains(c)) {
            problems.push(format!(
                "{file}: expected {expected:?} ({why}), found {codes:?}"
            ));
        }
    }
    println!(
        "corpus validation: {} files, {stand_ins} stand-ins, {} files with errors (all expected)",
        files.len(),
        found.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
