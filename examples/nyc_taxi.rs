//! The NYC-taxi shape (prep → train → score → eval), built in Rust with the model's API and
//! emitted as the PipelineJob YAML that `az ml job create --file` takes.
//!
//! ```text
//! cargo run --example nyc_taxi -- emit                  # YAML to stdout (paths relative to examples/nyc_taxi)
//! cargo run --example nyc_taxi -- emit -o taxi.yml      # to a file; paths rewritten to stay correct from there
//! ```
//! The component scripts are real (standard-library Python) and live in `examples/nyc_taxi/`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use pipeline::{
    AssetRef, AssetType, Binding, CommandComponent, CommandNode, ComponentRef, DataPath,
    Environment, InputData, InputSpec, JobOutput, Literal, Mode, OutputData, OutputSpec, ParamType,
    PipelineJob, PipelineSettings, PortType, Yaml,
};

fn folder() -> PortType {
    PortType::Asset(AssetType::UriFolder)
}

fn component(name: &str, description: &str, command: &str) -> CommandComponent {
    CommandComponent::new(name, command)
        .version("1")
        .description(description)
        .code(format!("./components/{name}"))
        .environment(Environment::Asset(AssetRef::Uri(
            "azureml://registries/azureml/environments/sklearn-1.5/labels/latest".into(),
        )))
}

fn node(c: CommandComponent) -> CommandNode {
    CommandNode::new(ComponentRef::inline(c))
}

fn out(job: &str, port: &str) -> Binding {
    Binding::job_output(job, port)
}

/// The pipeline, its relative paths relative to `examples/nyc_taxi`.
fn nyc_taxi() -> PipelineJob {
    let prep = component(
        "prep",
        "Drops meter errors and splits trips into train and test sets.",
        "python prep.py --raw ${{inputs.raw_data}} --train ${{outputs.train}} --test ${{outputs.test}} $[[--test_ratio ${{inputs.test_ratio}}]]",
    )
    .input("raw_data", InputSpec::new(folder()))
    .input("test_ratio", {
        let mut s = InputSpec::new(PortType::Param(ParamType::Number));
        s.optional = Some(true);
        s.min = Some(Literal::Float(0.0));
        s.max = Some(Literal::Float(1.0));
        s
    })
    .output("train", OutputSpec::new(folder()))
    .output("test", OutputSpec::new(folder()));
    let train = component(
        "train",
        "Fits fare = a + b * distance.",
        "python train.py --data ${{inputs.data}} --model ${{outputs.model}}",
    )
    .input("data", InputSpec::new(folder()))
    .output(
        "model",
        OutputSpec::new(PortType::Asset(AssetType::CustomModel)),
    );
    let score = component(
        "score",
        "Predicts the fare of every test trip.",
        "python score.py --model ${{inputs.model}} --data ${{inputs.data}} --predictions ${{outputs.predictions}}",
    )
    .input("model", InputSpec::new(PortType::Asset(AssetType::CustomModel)))
    .input("data", InputSpec::new(folder()))
    .output("predictions", OutputSpec::new(folder()));
    let eval = component(
        "eval",
        "Reports the RMSE of the predictions.",
        "python eval.py --predictions ${{inputs.predictions}} --report ${{outputs.report}}",
    )
    .input("predictions", InputSpec::new(folder()))
    .output("report", OutputSpec::new(folder()));

    let mut settings = PipelineSettings::new();
    settings.default_compute = Some("azureml:cpu-cluster".into());
    settings.continue_on_step_failure = Some(false);

    let mut report = OutputData::new(folder());
    report.mode = Some(Mode::Upload);
    let mut raw = InputData::new(folder(), DataPath::Local("./data".into()));
    raw.mode = Some(Mode::RoMount);

    PipelineJob::new()
        .display_name("nyc_taxi")
        .experiment_name("nyc_taxi")
        .description("NYC taxi fare regression: prep → train → score → eval.")
        .settings(settings)
        .input("raw", raw)
        .input("test_ratio", 0.25)
        .output("report", JobOutput::Data(report))
        .node(
            "prepped",
            node(prep)
                .input("raw_data", Binding::ParentInput("raw".into()))
                .input("test_ratio", Binding::ParentInput("test_ratio".into())),
        )
        .node(
            "trained",
            node(train).input("data", out("prepped", "train")),
        )
        .node(
            "scored",
            node(score)
                .input("model", out("trained", "model"))
                .input("data", out("prepped", "test")),
        )
        .node(
            "evaluated",
            node(eval)
                .input("predictions", out("scored", "predictions"))
                .output(
                    "report",
                    JobOutput::Binding(Binding::ParentOutput("report".into())),
                ),
        )
        .relative_to(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/nyc_taxi"))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: nyc_taxi emit [-o OUT [--force]]";
    let (output, force) = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["emit"] => (None, false),
        ["emit", "-o", out] => (Some(PathBuf::from(out)), false),
        ["emit", "-o", out, "--force"] | ["emit", "--force", "-o", out] => {
            (Some(PathBuf::from(out)), true)
        }
        _ => {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    };
    let job = nyc_taxi();
    let result = match (&output, force) {
        (None, _) => {
            print!("{}", job.to_yaml());
            Ok(())
        }
        (Some(path), false) => job.dump(path),
        (Some(path), true) => job.dump_replacing(path),
    };
    match result {
        Ok(()) => {
            if let Some(path) = output {
                eprintln!("wrote {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
