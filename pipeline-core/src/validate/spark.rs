//! Spark and sweep jobs, nodes and components, kept verbatim by the model: what the SDK's own
//! checks of them add to their schemas (`entities/_builders/spark.py`,
//! `entities/_job/spark_job.py`, and the code folder every loader resolves).

use super::component::local_path;
use super::{At, Checker};
use crate::codes::Code;
use crate::model::Opaque;
use crate::yaml::{Node, Value};

/// A spark job or node runs on an attached Spark pool (`compute`) or on serverless Spark
/// (`resources`): with neither, the SDK refuses it ("One of either compute or resources must be
/// specified for Spark job"), whatever the pipeline's default compute.
pub(crate) fn compute_or_resources(checker: &mut Checker<'_>, spark: &Opaque, at: &At) {
    let given = |key: &str| spark.body.get(key).is_some_and(|v| !v.is_null());
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
    if let Some(Node {
        value: Value::Str(path),
        ..
    }) = spark.body.get("code")
        && is_local(path)
    {
        local_path(checker, path, &at.key("code"), "code folder");
    }
}

/// A sweep's inline `trial` is a command whose local `code` folder must exist.
pub(crate) fn trial_code(checker: &mut Checker<'_>, sweep: &Opaque, at: &At) {
    if let Some(Node {
        value: Value::Map(trial),
        ..
    }) = sweep.body.get("trial")
        && let Some(Node {
            value: Value::Str(path),
            ..
        }) = trial.get("code")
        && is_local(path)
    {
        local_path(checker, path, &at.keys(&["trial", "code"]), "code folder");
    }
}

fn is_local(path: &str) -> bool {
    !path.contains("${{")
        && !path.starts_with("azureml:")
        && !path.contains("://")
        && !path.starts_with("git+")
}
