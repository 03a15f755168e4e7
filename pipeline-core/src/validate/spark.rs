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

/// A sweep's inline `trial` is a command whose local `code` folder must exist.
pub(crate) fn trial_code(checker: &mut Checker<'_>, sweep: &Opaque, at: &At) {
    if let Some(Node {
        value: Value::Map(trial),
        ..
    }) = sweep.body.get("trial")
        && let Some(path) = trial.get("code").and_then(Node::as_str)
    {
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
    fn code_folders_must_exist() {
        let missing = SPARK.replace("./src", "./source") + "compute: my-pool\n";
        assert_eq!(found(&missing), [(Code::E044, "code".to_owned())]);
        let sweep = "$schema: https://azuremlschemas.azureedge.net/latest/sweepJob.schema.json\ntype: sweep\ntrial: {command: python t.py, code: ../src, environment: azureml:env:1}\nsampling_algorithm: random\nsearch_space: {lr: {type: choice, values: [1]}}\nobjective: {goal: maximize, primary_metric: acc}\nlimits: {max_total_trials: 2}\ncompute: azureml:c\n";
        assert_eq!(found(sweep), [(Code::E044, "trial.code".to_owned())]);
    }
}
