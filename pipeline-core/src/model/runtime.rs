//! How a job runs: resources, limits, distribution, identity, services and queue settings.

use crate::codes::Code;
use crate::convert::{Cx, FromNode, ToNode, yaml_enum, yaml_struct};
use crate::yaml::{Mapping, Node};

yaml_struct! {
    /// Compute resources of a job or node.
    ///
    /// ```
    /// use pipeline_core::{Job, job_from_str};
    ///
    /// let yaml = "type: command\ncommand: python train.py\nresources: {instance_count: 2, instance_type: Standard_NC6s_v3, shm_size: 16g}\n";
    /// let Job::Command(job) = job_from_str(yaml).unwrap() else { panic!() };
    /// let resources = job.resources.unwrap();
    /// assert_eq!(resources.instance_count, Some(2));
    /// assert_eq!(resources.shm_size.as_deref(), Some("16g"));
    /// ```
    pub struct Resources {
        "instance_count" => instance_count: Option<u64>,
        "instance_type" => instance_type: Option<String>,
        "shm_size" => shm_size: Option<String>,
        "docker_args" => docker_args: Option<String>,
        "locations" => locations: Option<Vec<String>>,
        "properties" => properties: Option<Mapping>,
    }
}

yaml_struct! {
    /// Limits of a command job or node.
    ///
    /// ```
    /// use pipeline_core::{Job, job_from_str};
    ///
    /// let yaml = "type: command\ncommand: python train.py\nlimits: {timeout: 7200}\n";
    /// let Job::Command(job) = job_from_str(yaml).unwrap() else { panic!() };
    /// assert_eq!(job.limits.unwrap().timeout, Some(7200));
    /// ```
    pub struct Limits {
        /// Seconds after which the job is cancelled.
        "timeout" => timeout: Option<u64>,
    }
}

yaml_struct! {
    /// PyTorch distributed training.
    ///
    /// ```
    /// use pipeline_core::{Distribution, Job, job_from_str};
    ///
    /// let yaml = "type: command\ncommand: python train.py\ndistribution: {type: pytorch, process_count_per_instance: 4}\n";
    /// let Job::Command(job) = job_from_str(yaml).unwrap() else { panic!() };
    /// let Some(Distribution::PyTorch(torch)) = job.distribution else { panic!() };
    /// assert_eq!(torch.process_count_per_instance, Some(4));
    /// ```
    pub struct PyTorchDistribution tag = "pytorch" {
        "process_count_per_instance" => process_count_per_instance: Option<u64>,
    }
}

yaml_struct! {
    /// MPI distributed training.
    ///
    /// ```
    /// use pipeline_core::{Distribution, Job, job_from_str};
    ///
    /// let yaml = "type: command\ncommand: python train.py\ndistribution: {type: mpi, process_count_per_instance: 2}\n";
    /// let Job::Command(job) = job_from_str(yaml).unwrap() else { panic!() };
    /// let Some(Distribution::Mpi(mpi)) = job.distribution else { panic!() };
    /// assert_eq!(mpi.process_count_per_instance, Some(2));
    /// ```
    pub struct MpiDistribution tag = "mpi" {
        "process_count_per_instance" => process_count_per_instance: Option<u64>,
    }
}

yaml_struct! {
    /// TensorFlow distributed training.
    ///
    /// ```
    /// use pipeline_core::{Distribution, Job, job_from_str};
    ///
    /// let yaml = "type: command\ncommand: python train.py\ndistribution: {type: tensorflow, worker_count: 2, parameter_server_count: 1}\n";
    /// let Job::Command(job) = job_from_str(yaml).unwrap() else { panic!() };
    /// let Some(Distribution::TensorFlow(tf)) = job.distribution else { panic!() };
    /// assert_eq!((tf.worker_count, tf.parameter_server_count), (Some(2), Some(1)));
    /// ```
    pub struct TensorFlowDistribution tag = "tensorflow" {
        "worker_count" => worker_count: Option<u64>,
        "parameter_server_count" => parameter_server_count: Option<u64>,
    }
}

yaml_struct! {
    /// A Ray cluster.
    ///
    /// ```
    /// use pipeline_core::{Distribution, Job, job_from_str};
    ///
    /// let yaml = "type: command\ncommand: python train.py\ndistribution: {type: ray, port: 6379, include_dashboard: true}\n";
    /// let Job::Command(job) = job_from_str(yaml).unwrap() else { panic!() };
    /// let Some(Distribution::Ray(ray)) = job.distribution else { panic!() };
    /// assert_eq!((ray.port, ray.include_dashboard), (Some(6379), Some(true)));
    /// ```
    pub struct RayDistribution tag = "ray" {
        "port" => port: Option<u64>,
        "address" => address: Option<String>,
        "include_dashboard" => include_dashboard: Option<bool>,
        "dashboard_port" => dashboard_port: Option<u64>,
        "head_node_additional_args" => head_node_additional_args: Option<String>,
        "worker_node_additional_args" => worker_node_additional_args: Option<String>,
    }
}

/// How a job is spread over nodes and processes.
///
/// ```
/// use pipeline_core::{Code, Distribution, Job, job_from_str};
///
/// let yaml = "type: command\ncommand: python train.py\ndistribution: {type: mpi}\n";
/// let Job::Command(job) = job_from_str(yaml).unwrap() else { panic!() };
/// assert!(matches!(job.distribution, Some(Distribution::Mpi(_))));
/// let err = job_from_str("type: command\ncommand: python train.py\ndistribution: {type: horovod}\n");
/// assert_eq!(err.unwrap_err().diagnostics()[0].code, Code::E005);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Distribution {
    /// `type: pytorch`.
    PyTorch(PyTorchDistribution),
    /// `type: mpi`.
    Mpi(MpiDistribution),
    /// `type: tensorflow`.
    TensorFlow(TensorFlowDistribution),
    /// `type: ray`.
    Ray(RayDistribution),
}

impl FromNode for Distribution {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let map = cx.map(node, "a distribution")?;
        let kind = map.get("type").and_then(Node::as_str).unwrap_or_default();
        // The SDK compares distribution types ignoring case (`PyTorch`, `MPI`).
        match kind.to_ascii_lowercase().as_str() {
            "pytorch" => PyTorchDistribution::from_node(node, cx).map(Distribution::PyTorch),
            "mpi" => MpiDistribution::from_node(node, cx).map(Distribution::Mpi),
            "tensorflow" => {
                TensorFlowDistribution::from_node(node, cx).map(Distribution::TensorFlow)
            }
            "ray" => RayDistribution::from_node(node, cx).map(Distribution::Ray),
            _ => {
                let at = map.get("type").map_or(node.span, |n| n.span);
                cx.error(
                    Code::E005,
                    at,
                    format!("unknown distribution type `{kind}`"),
                    Some("use pytorch, mpi, tensorflow or ray".to_owned()),
                );
                None
            }
        }
    }
}

impl ToNode for Distribution {
    fn to_node(&self) -> Node {
        match self {
            Distribution::PyTorch(d) => d.to_node(),
            Distribution::Mpi(d) => d.to_node(),
            Distribution::TensorFlow(d) => d.to_node(),
            Distribution::Ray(d) => d.to_node(),
        }
    }
}

yaml_enum! {
    /// The identity a job runs as.
    ///
    /// ```
    /// use pipeline_core::IdentityType;
    ///
    /// assert_eq!("user_identity".parse::<IdentityType>(), Ok(IdentityType::UserIdentity));
    /// assert_eq!(IdentityType::AmlToken.to_string(), "aml_token");
    /// ```
    pub enum IdentityType {
        /// The workspace's AML token.
        AmlToken = "aml_token",
        /// The submitting user.
        UserIdentity = "user_identity",
        /// A managed identity.
        Managed = "managed",
        /// A managed identity (older spelling).
        ManagedIdentity = "managed_identity",
    }
}

yaml_struct! {
    /// The identity a job uses to reach data.
    ///
    /// ```
    /// use pipeline_core::{IdentityType, Job, job_from_str};
    ///
    /// let yaml = "type: command\ncommand: python train.py\nidentity: {type: managed, client_id: 8a3b0c7d-0000}\n";
    /// let Job::Command(job) = job_from_str(yaml).unwrap() else { panic!() };
    /// let identity = job.identity.unwrap();
    /// assert_eq!(identity.kind, IdentityType::Managed);
    /// assert_eq!(identity.client_id.as_deref(), Some("8a3b0c7d-0000"));
    /// ```
    pub struct Identity {
        "type" => kind: IdentityType,
        "client_id" => client_id: Option<String>,
        "object_id" => object_id: Option<String>,
        "msi_resource_id" => msi_resource_id: Option<String>,
    }
}

yaml_enum! {
    /// An interactive service on a running job.
    ///
    /// ```
    /// use pipeline_core::ServiceType;
    ///
    /// assert_eq!("vs_code".parse::<ServiceType>(), Ok(ServiceType::VsCode));
    /// assert_eq!(ServiceType::TensorBoard.as_str(), "tensor_board");
    /// ```
    pub enum ServiceType {
        /// JupyterLab.
        JupyterLab = "jupyter_lab",
        /// SSH.
        Ssh = "ssh",
        /// TensorBoard.
        TensorBoard = "tensor_board",
        /// VS Code.
        VsCode = "vs_code",
    }
}

yaml_struct! {
    /// An interactive service (`services.<name>`).
    ///
    /// ```
    /// use pipeline_core::{Job, ServiceType, job_from_str};
    ///
    /// let yaml = "type: command\ncommand: python train.py\nservices:\n  board: {type: tensor_board, log_dir: outputs/tblogs}\n";
    /// let Job::Command(job) = job_from_str(yaml).unwrap() else { panic!() };
    /// let board = &job.services.as_ref().unwrap()["board"];
    /// assert_eq!(board.service_type(), Some(ServiceType::TensorBoard));
    /// assert_eq!(board.log_dir.as_deref(), Some("outputs/tblogs"));
    /// ```
    pub struct JobService {
        /// As written: the SDK's generic service schema takes any type, or none.
        "type" => kind: Option<String>,
        "nodes" => nodes: Option<String>,
        "port" => port: Option<u64>,
        "ssh_public_keys" => ssh_public_keys: Option<String>,
        "log_dir" => log_dir: Option<String>,
        "properties" => properties: Option<Mapping>,
    }
}

impl JobService {
    /// The service's type, when it is one Azure ML knows (in any case, as the SDK compares it).
    ///
    /// ```
    /// use pipeline_core::{Job, ServiceType, job_from_str};
    ///
    /// let yaml = "type: command\ncommand: python train.py\nservices:\n  ide: {type: VS_Code}\n  other: {port: 8080}\n";
    /// let Job::Command(job) = job_from_str(yaml).unwrap() else { panic!() };
    /// let services = job.services.unwrap();
    /// assert_eq!(services["ide"].service_type(), Some(ServiceType::VsCode));
    /// assert_eq!(services["other"].service_type(), None);
    /// ```
    pub fn service_type(&self) -> Option<ServiceType> {
        self.kind.as_deref()?.parse().ok()
    }
}

yaml_enum! {
    /// The tier a job is queued in.
    ///
    /// ```
    /// use pipeline_core::JobTier;
    ///
    /// assert_eq!("spot".parse::<JobTier>(), Ok(JobTier::Spot));
    /// // `null` is a tier's name here, not YAML's null.
    /// assert_eq!(JobTier::Null.as_str(), "null");
    /// ```
    pub enum JobTier {
        /// Low-priority, preemptible.
        Spot = "spot",
        /// Basic.
        Basic = "basic",
        /// Standard.
        Standard = "standard",
        /// Premium.
        Premium = "premium",
        /// No tier.
        Null = "null",
    }
}

yaml_enum! {
    /// A job's priority in its queue.
    ///
    /// ```
    /// use pipeline_core::Priority;
    ///
    /// assert_eq!("high".parse::<Priority>(), Ok(Priority::High));
    /// assert!("urgent".parse::<Priority>().is_err());
    /// ```
    pub enum Priority {
        /// Low.
        Low = "low",
        /// Medium.
        Medium = "medium",
        /// High.
        High = "high",
    }
}

yaml_struct! {
    /// Queue settings of a job.
    ///
    /// ```
    /// use pipeline_core::{Job, JobTier, Priority, job_from_str};
    ///
    /// let yaml = "type: command\ncommand: python train.py\nqueue_settings: {job_tier: spot, priority: low}\n";
    /// let Job::Command(job) = job_from_str(yaml).unwrap() else { panic!() };
    /// let queue = job.queue_settings.unwrap();
    /// assert_eq!((queue.job_tier, queue.priority), (Some(JobTier::Spot), Some(Priority::Low)));
    /// ```
    pub struct QueueSettings {
        "job_tier" => job_tier: Option<JobTier>,
        "priority" => priority: Option<Priority>,
    }
}
