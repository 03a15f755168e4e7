//! Spark and sweep jobs, nodes and components, kept verbatim by the model: what the SDK's own
//! checks of them add to their schemas (`entities/_builders/spark.py`,
//! `entities/_job/spark_job.py`, and the code folder every loader resolves).

use super::component::code_path;
use super::{At, Checker};
use crate::codes::Code;
use crate::model::{CodeRef, Opaque};
use crate::yaml::{Node, Value};

/// A spark job or node runs on an attached Spark pool (`compute`) or on serverless Spark
/// (`resources`): with neither, the SDK refuses it ("One of either compute or resources must be
/// specified for Spark job"), whatever the pipeline's default compute.
pub(crate) fn compute_or_resources(checker: &mut Checker<'_>, spark: &Opaque, at: &At) {
    let given = |key: &str| spark.body.get(key).is_some_and(|v| !v.is_null());
    // Serverless Spark needs its machine size ("resources.instance_type: Missing data").
    if let Some(resources) = spark.body.get("resources").and_then(Node::as_map)
        && resources.get("instance_type").is_none()
    {
        checker.report(
            Code::E004,
            &at.keys(&["resources", "instance_type"]),
            "missing required key `instance_type`: serverless Spark needs its machine size",
            Some("add `instance_type: standard_e4s_v3` (or another Spark size)".to_owned()),
        );
    }
    if !given("compute") && !given("resources") {
        checker.report(
            Code::E053,
            at,
            "a spark job needs `compute` (an attached Spark pool) or `resources` (serverless Spark) of its own",
            Some("add `resources: {instance_type: standard_e4s_v3, runtime_version: \"3.4\"}`, or `compute: <attached pool>`".to_owned()),
        );
    }
}

/// A spark job's or component's local `code` folder must exist, as the SDK checks when it loads
/// one; a spark job or component without `code` takes its file's folder.
pub(crate) fn code(checker: &mut Checker<'_>, spark: &Opaque, at: &At) {
    if let Some(path) = spark.body.get("code").and_then(Node::as_str) {
        code_path(checker, Some(&CodeRef::parse(path)), at);
    }
}

/// A spark entry is a file: the SDK refuses `entry: {class_name: …}` on a spark job or node
/// ("Classpath is not supported, please use 'file' to define the entry file").
pub(crate) fn entry_is_a_file(checker: &mut Checker<'_>, spark: &Opaque, at: &At) {
    if let Some(entry) = spark.body.get("entry").and_then(Node::as_map)
        && entry.get("file").is_none()
        && entry.get("class_name").is_some()
    {
        checker.report(
            Code::E005,
            &at.keys(&["entry", "class_name"]),
            "a spark entry is a file here: the SDK does not take a class path",
            Some("write `entry: {file: main.py}`, the script relative to `code`".to_owned()),
        );
    }
}

/// A spark node given right in a pipeline runs `entry.file` from its `code` folder (its file's
/// folder when it has none), which must hold it (`Spark._validate_entry_exist`: "Entry … doesn't
/// exist").
pub(crate) fn entry_exists(checker: &mut Checker<'_>, spark: &Opaque, at: &At) {
    let Some(dir) = at.dir.as_ref() else { return };
    let Some(file) = spark
        .body
        .get("entry")
        .and_then(Node::as_map)
        .and_then(|e| e.get("file"))
        .and_then(Node::as_str)
    else {
        return;
    };
    let code = match spark.body.get("code").and_then(Node::as_str) {
        Some(path) => match CodeRef::parse(path) {
            CodeRef::Local(local) => local,
            _ => return,
        },
        None => ".".to_owned(),
    };
    let folder = dir.join(&code);
    if folder.is_dir() && !folder.join(file).exists() {
        checker.report(
            Code::E044,
            &at.keys(&["entry", "file"]),
            format!(
                "entry file `{file}` not found in `{code}` (looked for {})",
                crate::load::normalize(&folder.join(file)).display()
            ),
            Some("the entry file is relative to the node's `code` folder (its YAML's folder when it has none)".to_owned()),
        );
    }
}

/// A standalone spark job reads and writes its data directly: every input or output given as a
/// mapping must say `mode: direct` (the SDK: "Input 'x' is using 'None' mode, only 'direct' is
/// supported for Spark job"); an output named `default` is exempt, as in the SDK.
pub(crate) fn direct_modes(checker: &mut Checker<'_>, spark: &Opaque, at: &At) {
    for (ports, what) in [("inputs", "input"), ("outputs", "output")] {
        let Some(map) = spark.body.get(ports).and_then(Node::as_map) else {
            continue;
        };
        for (name, port) in map.iter() {
            let Some(port) = port.as_map() else { continue };
            let name = name.to_string();
            if what == "output" && name == "default" {
                continue;
            }
            let mode = port.get("mode").and_then(Node::as_str);
            if mode.is_some_and(|m| m.eq_ignore_ascii_case("direct")) {
                continue;
            }
            checker.report(
                Code::E005,
                &at.keys(&[ports, &name]),
                format!(
                    "spark {what} `{name}` uses {}: a spark job reads and writes its data directly",
                    mode.map_or("no mode".to_owned(), |m| format!("mode `{m}`"))
                ),
                Some("add `mode: direct`".to_owned()),
            );
        }
    }
}

/// A sweep's inline `trial` is a command (E046 without one) whose local `code` folder must
/// exist.
pub(crate) fn trial_code(checker: &mut Checker<'_>, sweep: &Opaque, at: &At) {
    let Some(Node {
        value: Value::Map(trial),
        ..
    }) = sweep.body.get("trial")
    else {
        return;
    };
    if trial.get("command").is_none() {
        checker.report(
            Code::E046,
            &at.key("trial"),
            "the sweep's trial has no `command`",
            Some("add `command: python train.py --lr ${{search_space.lr}}` or similar".to_owned()),
        );
    }
    if let Some(path) = trial.get("code").and_then(Node::as_str) {
        code_path(checker, Some(&CodeRef::parse(path)), &at.key("trial"));
    }
}

#[cfg(test)]
mod tests {
    use crate::codes::Code;
    use crate::validate::validate_path;

    fn found(yaml: &str) -> Vec<(Code, String)> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("src")).unwrap();
        let file = dir.path().join("job.yml");
        std::fs::write(&file, yaml).unwrap();
        validate_path(&file)
            .unwrap()
            .diagnostics
            .iter()
            .map(|d| (d.code, d.path.clone()))
            .collect()
    }

    const SPARK: &str = "$schema: https://azuremlschemas.azureedge.net/latest/sparkJob.schema.json\ntype: spark\ncode: ./src\nentry: {file: run.py}\n";

    #[test]
    fn a_spark_job_runs_on_a_pool_or_on_serverless_spark() {
        assert_eq!(found(SPARK), [(Code::E053, String::new())]);
        let serverless = format!(
            "{SPARK}resources: {{instance_type: standard_e4s_v3, runtime_version: '3.4'}}\n"
        );
        assert!(found(&serverless).is_empty());
        assert!(found(&format!("{SPARK}compute: my-pool\n")).is_empty());
    }

    #[test]
    fn a_spark_jobs_data_is_read_directly_and_its_entry_is_a_file() {
        let job = format!("{SPARK}compute: my-pool\n");
        let with = |extra: &str| found(&format!("{job}{extra}"));
        assert!(
            with("inputs: {d: {type: uri_file, path: azureml://x, mode: direct}}\n").is_empty()
        );
        assert_eq!(
            with("inputs: {d: {type: uri_file, path: azureml://x}}\n"),
            [(Code::E005, "inputs.d".to_owned())]
        );
        assert_eq!(
            with("outputs: {o: {type: uri_folder, mode: upload}}\n"),
            [(Code::E005, "outputs.o".to_owned())]
        );
        let class = job.replace("entry: {file: run.py}", "entry: {class_name: com.x.Main}");
        assert_eq!(found(&class), [(Code::E005, "entry.class_name".to_owned())]);
    }

    #[test]
    fn a_spark_nodes_entry_file_is_in_its_code_folder() {
        let pipeline = |code: &str| {
            format!(
                "type: pipeline\nsettings: {{default_compute: azureml:c}}\njobs:\n  etl:\n    type: spark\n{code}    entry: {{file: run.py}}\n    compute: my-pool\n"
            )
        };
        assert_eq!(
            found(&pipeline("    code: ./src\n")),
            [(Code::E044, "jobs.etl.entry.file".to_owned())]
        );
        // With no `code`, the node's own folder.
        assert_eq!(
            found(&pipeline("")),
            [(Code::E044, "jobs.etl.entry.file".to_owned())]
        );
    }

    #[test]
    fn a_dangling_link_is_said_to_be_one() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("/nonexistent-folder", dir.path().join("src")).unwrap();
        let file = dir.path().join("job.yml");
        std::fs::write(&file, format!("{SPARK}compute: my-pool\n")).unwrap();
        let report = validate_path(&file).unwrap();
        let message = &report.diagnostics[0].message;
        assert!(
            message.contains("is a symbolic link to /nonexistent-folder, which does not exist"),
            "{message}"
        );
    }

    #[test]
    fn code_folders_must_exist() {
        let missing = SPARK.replace("./src", "./source") + "compute: my-pool\n";
        assert_eq!(found(&missing), [(Code::E044, "code".to_owned())]);
        let sweep = "$schema: https://azuremlschemas.azureedge.net/latest/sweepJob.schema.json\ntype: sweep\ntrial: {command: python t.py, code: ../src, environment: azureml:env:1}\nsampling_algorithm: random\nsearch_space: {lr: {type: choice, values: [1]}}\nobjective: {goal: maximize, primary_metric: acc}\nlimits: {max_total_trials: 2}\ncompute: azureml:c\n";
        assert_eq!(found(sweep), [(Code::E044, "trial.code".to_owned())]);
        // A trial is a command: without one (or with it misspelt) the SDK refuses it.
        let no_command = sweep.replace("command: python t.py, code: ../src", "code: ./src");
        assert_eq!(found(&no_command), [(Code::E046, "trial".to_owned())]);
        let misspelt = sweep.replace("command: python t.py, code: ../src", "commnad: python t.py");
        assert_eq!(
            found(&misspelt),
            [
                (Code::E046, "trial".to_owned()),
                (Code::E008, "trial.commnad".to_owned())
            ]
        );
    }
}
