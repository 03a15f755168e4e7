//! Which asset type may feed an input of which type.
//!
//! The SDK has no such rule: azure-ai-ml 1.35.2 never compares the type of what a binding names
//! with the type of the input it feeds. `PipelineComponent._validate_binding_inputs`
//! (`entities/_component/pipeline_component.py`) checks only that a required input is not fed
//! by an optional one, `BaseNode._validate_inputs` (`entities/_builders/base_node.py`) only that
//! required inputs are bound, and `ComponentTranslatableMixin._find_source_input_output_type`
//! (`entities/_job/pipeline/_component_translatable.py`) only infers a source's type, to build
//! a component from a bare job. The service runs what it is given: the official example
//! azureml-examples `sdk/python/jobs/pipelines/1g_pipeline_with_parallel_nodes` feeds an
//! `mltable` pipeline input to `prepare_data.yml`'s `uri_folder` input and runs.
//!
//! So this table is ours, by what happens at run time: [`Compat::Same`], [`Compat::Accepted`]
//! where Azure ML gives the input something it can use, and [`Compat::Mismatch`] where the job
//! would fail or compute the wrong thing, each with its reason.
//!
//! ```
//! use pipeline_schema::compat::{AssetType, Compat, may_feed};
//!
//! assert_eq!(may_feed(AssetType::UriFolder, AssetType::UriFolder), Compat::Same);
//! assert!(may_feed(AssetType::MlTable, AssetType::UriFolder).is_allowed());
//! assert!(!may_feed(AssetType::UriFolder, AssetType::UriFile).is_allowed());
//! ```

/// The asset types a data or model port carries (`AssetTypes`, `constants/_common.py`).
///
/// ```
/// use pipeline_schema::compat::AssetType;
///
/// assert_eq!(AssetType::parse("mltable"), Some(AssetType::MlTable));
/// assert_eq!(AssetType::MlflowModel.as_str(), "mlflow_model");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AssetType {
    /// `uri_file`: one file.
    UriFile,
    /// `uri_folder`: a folder.
    UriFolder,
    /// `mltable`: a folder with an `MLTable` file describing a table.
    MlTable,
    /// `mlflow_model`: an MLflow model.
    MlflowModel,
    /// `custom_model`: a model in any other format.
    CustomModel,
    /// `triton_model`: a Triton model repository.
    TritonModel,
}

impl AssetType {
    /// Every asset type.
    ///
    /// ```
    /// assert_eq!(pipeline_schema::compat::AssetType::ALL.len(), 6);
    /// ```
    pub const ALL: [AssetType; 6] = [
        AssetType::UriFile,
        AssetType::UriFolder,
        AssetType::MlTable,
        AssetType::MlflowModel,
        AssetType::CustomModel,
        AssetType::TritonModel,
    ];

    /// Its YAML name.
    ///
    /// ```
    /// use pipeline_schema::compat::AssetType;
    ///
    /// assert_eq!(AssetType::UriFolder.as_str(), "uri_folder");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            AssetType::UriFile => "uri_file",
            AssetType::UriFolder => "uri_folder",
            AssetType::MlTable => "mltable",
            AssetType::MlflowModel => "mlflow_model",
            AssetType::CustomModel => "custom_model",
            AssetType::TritonModel => "triton_model",
        }
    }

    /// The type a YAML name stands for, ignoring case as the SDK's `OutputSchema.type` does.
    ///
    /// ```
    /// use pipeline_schema::compat::AssetType;
    ///
    /// assert_eq!(AssetType::parse("URI_FILE"), Some(AssetType::UriFile));
    /// assert_eq!(AssetType::parse("string"), None);
    /// ```
    pub fn parse(s: &str) -> Option<AssetType> {
        AssetType::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s))
    }

    /// A model rather than data.
    ///
    /// ```
    /// use pipeline_schema::compat::AssetType;
    ///
    /// assert!(AssetType::TritonModel.is_model() && !AssetType::MlTable.is_model());
    /// ```
    pub const fn is_model(self) -> bool {
        matches!(
            self,
            AssetType::MlflowModel | AssetType::CustomModel | AssetType::TritonModel
        )
    }
}

/// Whether an asset of one type may feed an input of another.
///
/// ```
/// use pipeline_schema::compat::{AssetType, Compat, may_feed};
///
/// let Compat::Mismatch(why) = may_feed(AssetType::MlflowModel, AssetType::UriFile) else {
///     unreachable!()
/// };
/// assert!(why.contains("model"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compat {
    /// The same type.
    Same,
    /// Another type Azure ML accepts and the input can use, and why.
    Accepted(&'static str),
    /// Azure ML would fail or compute the wrong thing at run time, and why.
    Mismatch(&'static str),
}

impl Compat {
    /// `Same` or `Accepted`.
    ///
    /// ```
    /// use pipeline_schema::compat::Compat;
    ///
    /// assert!(Compat::Accepted("…").is_allowed() && !Compat::Mismatch("…").is_allowed());
    /// ```
    pub const fn is_allowed(self) -> bool {
        !matches!(self, Compat::Mismatch(_))
    }

    /// The reason, for all but `Same`.
    ///
    /// ```
    /// use pipeline_schema::compat::{AssetType, may_feed};
    ///
    /// assert!(may_feed(AssetType::UriFile, AssetType::UriFolder).reason().is_some());
    /// assert_eq!(may_feed(AssetType::UriFile, AssetType::UriFile).reason(), None);
    /// ```
    pub const fn reason(self) -> Option<&'static str> {
        match self {
            Compat::Same => None,
            Compat::Accepted(r) | Compat::Mismatch(r) => Some(r),
        }
    }
}

const MLTABLE_AS_FOLDER: &str = "an mltable is a folder (its MLTable file and data): a uri_folder \
input receives that folder, as azureml-examples' 1g_pipeline_with_parallel_nodes runs it";
const FILE_AS_FOLDER: &str = "Azure ML accepts a uri_file for a uri_folder input (the SDK checks \
no types) and gives the input the file's location, which a script reading a folder can use";
const FOLDER_AS_FILE: &str = "a folder where a file is expected: the script gets a directory \
path and fails when it opens it as a file";
const NOT_A_TABLE: &str = "an mltable input is read through its MLTable file, which a uri_file \
or uri_folder does not have: reading the table fails at run time";
const TABLE_AS_FILE: &str = "a table where one file is expected: the script gets the mltable's \
folder and fails when it opens it as a file";
const DATA_AS_MODEL: &str = "data where a model is expected: loading it as a model fails at run \
time";
const MODEL_AS_FOLDER: &str = "a model is stored as a folder (MLflow, custom or Triton layout): a \
uri_folder input receives that folder, as a scoring or packaging step expects";
const MODEL_AS_DATA: &str = "a model where a file or a table is expected: the step gets the \
model's folder and fails when it opens it as a file or reads it as a table";
const OTHER_MODEL: &str = "models of different formats (MLflow, custom, Triton) have different \
layouts: loading one as the other fails at run time";

/// Whether an asset of type `from` (an output, a pipeline input) may feed an input declared
/// `to`. A `const fn`, so that the DSL's compile-time wiring rules can be checked against it.
///
/// ```
/// use pipeline_schema::compat::{AssetType::*, Compat, may_feed};
///
/// assert!(matches!(may_feed(UriFile, UriFolder), Compat::Accepted(_)));
/// assert!(matches!(may_feed(MlTable, UriFolder), Compat::Accepted(_)));
/// assert!(matches!(may_feed(UriFolder, MlTable), Compat::Mismatch(_)));
/// assert!(matches!(may_feed(UriFolder, MlflowModel), Compat::Mismatch(_)));
/// ```
pub const fn may_feed(from: AssetType, to: AssetType) -> Compat {
    use AssetType::*;
    match (from, to) {
        (UriFile, UriFile)
        | (UriFolder, UriFolder)
        | (MlTable, MlTable)
        | (MlflowModel, MlflowModel)
        | (CustomModel, CustomModel)
        | (TritonModel, TritonModel) => Compat::Same,
        (MlTable, UriFolder) => Compat::Accepted(MLTABLE_AS_FOLDER),
        (UriFile, UriFolder) => Compat::Accepted(FILE_AS_FOLDER),
        (UriFolder, UriFile) => Compat::Mismatch(FOLDER_AS_FILE),
        (UriFile | UriFolder, MlTable) => Compat::Mismatch(NOT_A_TABLE),
        (MlTable, UriFile) => Compat::Mismatch(TABLE_AS_FILE),
        (UriFile | UriFolder | MlTable, MlflowModel | CustomModel | TritonModel) => {
            Compat::Mismatch(DATA_AS_MODEL)
        }
        (MlflowModel | CustomModel | TritonModel, UriFolder) => Compat::Accepted(MODEL_AS_FOLDER),
        (MlflowModel | CustomModel | TritonModel, UriFile | MlTable) => {
            Compat::Mismatch(MODEL_AS_DATA)
        }
        (MlflowModel | CustomModel | TritonModel, MlflowModel | CustomModel | TritonModel) => {
            Compat::Mismatch(OTHER_MODEL)
        }
    }
}

/// The types that may feed an input declared `to`, itself first: for messages.
///
/// ```
/// use pipeline_schema::compat::{AssetType, feeders};
///
/// let names: Vec<&str> = feeders(AssetType::UriFolder).iter().map(|t| t.as_str()).collect();
/// assert_eq!(names, ["uri_folder", "uri_file", "mltable", "mlflow_model", "custom_model", "triton_model"]);
/// ```
pub fn feeders(to: AssetType) -> Vec<AssetType> {
    let mut out = vec![to];
    out.extend(
        AssetType::ALL
            .into_iter()
            .filter(|&from| from != to && may_feed(from, to).is_allowed()),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_only_on_the_diagonal_and_every_other_answer_has_a_reason() {
        for from in AssetType::ALL {
            for to in AssetType::ALL {
                let c = may_feed(from, to);
                assert_eq!(c == Compat::Same, from == to, "{from:?} -> {to:?}");
                assert_eq!(c.reason().is_some(), from != to);
            }
        }
    }

    #[test]
    fn azure_accepts_files_tables_and_models_as_folders_and_nothing_else() {
        let accepted: Vec<(AssetType, AssetType)> = AssetType::ALL
            .into_iter()
            .flat_map(|f| AssetType::ALL.into_iter().map(move |t| (f, t)))
            .filter(|&(f, t)| matches!(may_feed(f, t), Compat::Accepted(_)))
            .collect();
        assert_eq!(
            accepted,
            [
                (AssetType::UriFile, AssetType::UriFolder),
                (AssetType::MlTable, AssetType::UriFolder),
                (AssetType::MlflowModel, AssetType::UriFolder),
                (AssetType::CustomModel, AssetType::UriFolder),
                (AssetType::TritonModel, AssetType::UriFolder),
            ]
        );
    }

    #[test]
    fn names_round_trip() {
        for t in AssetType::ALL {
            assert_eq!(AssetType::parse(t.as_str()), Some(t));
        }
    }
}
