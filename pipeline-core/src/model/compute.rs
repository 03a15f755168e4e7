//! Compute targets: compute instances (with the v1 SDK's provisioning configuration) and
//! clusters; other kinds (attached VMs, Kubernetes, Synapse Spark) kept verbatim.

use indexmap::IndexMap;

use crate::convert::{Cx, FromNode, ToNode, read_kind_in, yaml_struct};
use crate::model::{Opaque, schema_url};
use crate::yaml::{Mapping, Node};

yaml_struct! {
    /// `ssh_settings` of a compute instance.
    ///
    /// ```
    /// use pipeline_core::{Compute, compute_from_str};
    ///
    /// let yaml = "type: computeinstance\nname: ci-alice\nssh_public_access_enabled: true\nssh_settings: {ssh_key_value: ssh-rsa AAAAB3Nza alice}\n";
    /// let Compute::Instance(ci) = compute_from_str(yaml).unwrap() else { panic!() };
    /// let ssh = ci.ssh_settings.unwrap();
    /// assert_eq!(ssh.ssh_key_value.as_deref(), Some("ssh-rsa AAAAB3Nza alice"));
    /// ```
    pub struct ComputeInstanceSshSettings {
        /// The administrator's public SSH key.
        "ssh_key_value" => ssh_key_value: Option<String>,
    }
}

yaml_struct! {
    /// `network_settings` of a compute.
    ///
    /// ```
    /// use pipeline_core::{Compute, compute_from_str};
    ///
    /// let yaml = "type: amlcompute\nname: cpu-cluster\nnetwork_settings: {vnet_name: ml-vnet, subnet: training}\n";
    /// let Compute::Aml(cluster) = compute_from_str(yaml).unwrap() else { panic!() };
    /// let network = cluster.network_settings.unwrap();
    /// assert_eq!(network.vnet_name.as_deref(), Some("ml-vnet"));
    /// assert_eq!(network.subnet.as_deref(), Some("training"));
    /// ```
    pub struct NetworkSettings {
        "vnet_name" => vnet_name: Option<String>,
        /// A subnet name in `vnet_name`, or a subnet's full ARM id.
        "subnet" => subnet: Option<String>,
    }
}

yaml_struct! {
    /// `create_on_behalf_of`: the user a compute instance is assigned to.
    ///
    /// ```
    /// use pipeline_core::{Compute, compute_from_str};
    ///
    /// let yaml = "type: computeinstance\nname: ci-bob\ncreate_on_behalf_of:\n  user_tenant_id: 72f988bf-0000\n  user_object_id: 1c2d3e4f-0000\n";
    /// let Compute::Instance(ci) = compute_from_str(yaml).unwrap() else { panic!() };
    /// let user = ci.create_on_behalf_of.unwrap();
    /// assert_eq!(user.user_object_id.as_deref(), Some("1c2d3e4f-0000"));
    /// ```
    pub struct AssignedUser {
        "user_tenant_id" => user_tenant_id: Option<String>,
        "user_object_id" => user_object_id: Option<String>,
    }
}

yaml_struct! {
    /// A compute instance (`type: computeinstance`): one VM for one user.
    ///
    /// ```
    /// use pipeline_core::{Compute, Yaml, compute_from_str};
    ///
    /// let yaml = "type: computeinstance\nname: ci-alice\nsize: STANDARD_DS3_v2\nidle_time_before_shutdown_minutes: 30\n";
    /// let Compute::Instance(ci) = compute_from_str(yaml).unwrap() else { panic!() };
    /// assert_eq!(ci.idle_time_before_shutdown_minutes, Some(30));
    /// assert_eq!(ci.to_yaml(), yaml);
    /// ```
    pub struct ComputeInstance tag = "computeinstance" {
        "$schema" => schema: Option<String>,
        "name" => name: String,
        "description" => description: Option<String>,
        "location" => location: Option<String>,
        "tags" => tags: Option<IndexMap<String, String>>,
        /// The VM size, such as `STANDARD_DS3_v2`.
        "size" => size: Option<String>,
        "ssh_public_access_enabled" => ssh_public_access_enabled: Option<bool>,
        "ssh_settings" => ssh_settings: Option<ComputeInstanceSshSettings>,
        "network_settings" => network_settings: Option<NetworkSettings>,
        "create_on_behalf_of" => create_on_behalf_of: Option<AssignedUser>,
        "idle_time_before_shutdown_minutes" => idle_time_before_shutdown_minutes: Option<u64>,
        "enable_node_public_ip" => enable_node_public_ip: Option<bool>,
        "schedules" => schedules: Option<Node>,
        "setup_scripts" => setup_scripts: Option<Node>,
        "identity" => identity: Option<Node>,
    }
}

/// The provisioning configuration of the v1 SDK's `ComputeInstance.provisioning_configuration`,
/// which [`ComputeInstance::provision`] turns into the v2 YAML's fields.
///
/// ```
/// use pipeline_core::{ComputeInstance, ProvisioningConfiguration};
///
/// let config = ProvisioningConfiguration {
///     vm_size: Some("STANDARD_DS3_V2".into()),
///     ssh_public_access: Some(false),
///     ..Default::default()
/// };
/// let ci = ComputeInstance::provision("ci-alice", &config).unwrap();
/// assert_eq!(ci.size.as_deref(), Some("STANDARD_DS3_V2"));
/// assert_eq!(ci.ssh_public_access_enabled, Some(false));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProvisioningConfiguration {
    /// VM size (`size`).
    pub vm_size: Option<String>,
    /// Whether the SSH port is open to the internet (`ssh_public_access_enabled`).
    pub ssh_public_access: Option<bool>,
    /// The administrator's public key (`ssh_settings.ssh_key_value`).
    pub admin_user_ssh_public_key: Option<String>,
    /// The resource group of the virtual network, when it is not the workspace's.
    pub vnet_resourcegroup_name: Option<String>,
    /// The virtual network (`network_settings.vnet_name`).
    pub vnet_name: Option<String>,
    /// The subnet (`network_settings.subnet`).
    pub subnet_name: Option<String>,
    /// Tags.
    pub tags: IndexMap<String, String>,
    /// Description.
    pub description: Option<String>,
    /// The user the instance is created for (`create_on_behalf_of.user_object_id`).
    pub assigned_user_object_id: Option<String>,
    /// That user's tenant (`create_on_behalf_of.user_tenant_id`).
    pub assigned_user_tenant_id: Option<String>,
    /// The subscription of the virtual network: needed only with `vnet_resourcegroup_name`,
    /// because the v2 YAML then names the subnet by its full ARM id.
    pub subscription_id: Option<String>,
}

/// Why a provisioning configuration cannot be expressed.
///
/// ```
/// use pipeline_core::{ComputeInstance, ProvisioningConfiguration, ProvisioningError};
///
/// let config = ProvisioningConfiguration { subnet_name: Some("default".into()), ..Default::default() };
/// let err = ComputeInstance::provision("ci-alice", &config).unwrap_err();
/// assert_eq!(err, ProvisioningError::SubnetWithoutVnet);
/// assert_eq!(err.to_string(), "subnet_name needs vnet_name");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProvisioningError {
    /// A vnet in another resource group is named by a full ARM id, which needs the subscription.
    #[error(
        "vnet_resourcegroup_name needs subscription_id, vnet_name and subnet_name: Azure ML names such a subnet by its full ARM id"
    )]
    IncompleteVnet,
    /// Half of an assigned user.
    #[error(
        "assigned_user_object_id and assigned_user_tenant_id go together: give both or neither"
    )]
    IncompleteAssignedUser,
    /// A subnet names a network.
    #[error("subnet_name needs vnet_name")]
    SubnetWithoutVnet,
}

impl ComputeInstance {
    /// A compute instance named `name`, configured as the v1 SDK's provisioning configuration says.
    ///
    /// ```
    /// use pipeline_core::{ComputeInstance, ProvisioningConfiguration};
    ///
    /// let config = ProvisioningConfiguration {
    ///     vnet_resourcegroup_name: Some("network-rg".into()),
    ///     vnet_name: Some("ml-vnet".into()),
    ///     subnet_name: Some("default".into()),
    ///     subscription_id: Some("00000000-0000-0000-0000-000000000000".into()),
    ///     ..Default::default()
    /// };
    /// let ci = ComputeInstance::provision("ci-alice", &config).unwrap();
    /// // A vnet in another resource group is named by the subnet's full ARM id.
    /// let subnet = ci.network_settings.unwrap().subnet.unwrap();
    /// assert!(subnet.starts_with("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/network-rg/"));
    /// assert!(subnet.ends_with("/virtualNetworks/ml-vnet/subnets/default"));
    /// ```
    pub fn provision(
        name: impl Into<String>,
        config: &ProvisioningConfiguration,
    ) -> Result<Self, ProvisioningError> {
        let c = config;
        let subnet = match (
            &c.vnet_resourcegroup_name,
            &c.vnet_name,
            &c.subnet_name,
            &c.subscription_id,
        ) {
            (None, _, None, _) => None,
            (None, None, Some(_), _) => return Err(ProvisioningError::SubnetWithoutVnet),
            (None, Some(_), Some(s), _) => Some(s.clone()),
            (Some(rg), Some(vnet), Some(s), Some(sub)) => Some(format!(
                "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{vnet}/subnets/{s}"
            )),
            (Some(_), ..) => return Err(ProvisioningError::IncompleteVnet),
        };
        let network_settings = subnet.map(|subnet| NetworkSettings {
            vnet_name: c.vnet_name.clone(),
            subnet: Some(subnet),
            extra: Mapping::new(),
        });
        let create_on_behalf_of = match (&c.assigned_user_object_id, &c.assigned_user_tenant_id) {
            (None, None) => None,
            (Some(object), Some(tenant)) => Some(AssignedUser {
                user_tenant_id: Some(tenant.clone()),
                user_object_id: Some(object.clone()),
                extra: Mapping::new(),
            }),
            _ => return Err(ProvisioningError::IncompleteAssignedUser),
        };
        Ok(ComputeInstance {
            schema: Some(schema_url("computeInstance")),
            name: name.into(),
            description: c.description.clone(),
            location: None,
            tags: (!c.tags.is_empty()).then(|| c.tags.clone()),
            size: c.vm_size.clone(),
            ssh_public_access_enabled: c.ssh_public_access,
            ssh_settings: c.admin_user_ssh_public_key.as_ref().map(|key| {
                ComputeInstanceSshSettings {
                    ssh_key_value: Some(key.clone()),
                    extra: Mapping::new(),
                }
            }),
            network_settings,
            create_on_behalf_of,
            idle_time_before_shutdown_minutes: None,
            enable_node_public_ip: None,
            schedules: None,
            setup_scripts: None,
            identity: None,
            extra: Mapping::new(),
        })
    }
}

yaml_struct! {
    /// `ssh_settings` of a cluster.
    ///
    /// ```
    /// use pipeline_core::{Compute, compute_from_str};
    ///
    /// let yaml = "type: amlcompute\nname: cpu-cluster\nssh_settings: {admin_username: azureuser, ssh_key_value: ssh-rsa AAAAB3Nza}\n";
    /// let Compute::Aml(cluster) = compute_from_str(yaml).unwrap() else { panic!() };
    /// let ssh = cluster.ssh_settings.unwrap();
    /// assert_eq!(ssh.admin_username.as_deref(), Some("azureuser"));
    /// assert_eq!(ssh.admin_password, None);
    /// ```
    pub struct AmlComputeSshSettings {
        "admin_username" => admin_username: Option<String>,
        "admin_password" => admin_password: Option<String>,
        "ssh_key_value" => ssh_key_value: Option<String>,
    }
}

yaml_struct! {
    /// A compute cluster (`type: amlcompute`).
    ///
    /// ```
    /// use pipeline_core::{Compute, compute_from_str};
    ///
    /// let yaml = "type: amlcompute\nname: gpu-cluster\nsize: Standard_NC6s_v3\ntier: low_priority\nmin_instances: 0\nmax_instances: 4\n";
    /// let Compute::Aml(cluster) = compute_from_str(yaml).unwrap() else { panic!() };
    /// assert_eq!(cluster.tier.as_deref(), Some("low_priority"));
    /// assert_eq!((cluster.min_instances, cluster.max_instances), (Some(0), Some(4)));
    /// ```
    pub struct AmlCompute tag = "amlcompute" {
        "$schema" => schema: Option<String>,
        "name" => name: String,
        "description" => description: Option<String>,
        "location" => location: Option<String>,
        "tags" => tags: Option<IndexMap<String, String>>,
        "size" => size: Option<String>,
        /// `dedicated` or `low_priority`.
        "tier" => tier: Option<String>,
        "min_instances" => min_instances: Option<u64>,
        "max_instances" => max_instances: Option<u64>,
        /// Seconds.
        "idle_time_before_scale_down" => idle_time_before_scale_down: Option<u64>,
        "ssh_public_access_enabled" => ssh_public_access_enabled: Option<bool>,
        "ssh_settings" => ssh_settings: Option<AmlComputeSshSettings>,
        "network_settings" => network_settings: Option<NetworkSettings>,
        "enable_node_public_ip" => enable_node_public_ip: Option<bool>,
        "identity" => identity: Option<Node>,
    }
}

/// Any compute.
///
/// ```
/// use pipeline_core::{Compute, compute_from_str};
///
/// let cluster = compute_from_str("type: amlcompute\nname: cpu-cluster\n").unwrap();
/// assert!(matches!(cluster, Compute::Aml(_)));
/// // Kinds not modelled are kept verbatim.
/// let aks = compute_from_str("type: kubernetes\nname: aks-inference\nnamespace: ml\n").unwrap();
/// assert!(matches!(aks, Compute::Other(o) if o.kind == "kubernetes" && o.body.get("namespace").is_some()));
/// ```
// Nearly every value is a typed variant; boxing them would only add a pointer hop.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Compute {
    /// `type: computeinstance`.
    Instance(ComputeInstance),
    /// `type: amlcompute`.
    Aml(AmlCompute),
    /// Any other type (virtualmachine, kubernetes, synapsespark, …), kept verbatim.
    Other(Opaque),
}

impl FromNode for Compute {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let (map, kind) = read_kind_in(
            node,
            cx,
            "a compute",
            None,
            crate::schema::kinds::COMPUTE_TYPES,
        )?;
        match kind {
            "computeinstance" => ComputeInstance::from_node(node, cx).map(Compute::Instance),
            "amlcompute" => AmlCompute::from_node(node, cx).map(Compute::Aml),
            _ => Some(Compute::Other(Opaque::new(kind, map.clone()))),
        }
    }
}

impl ToNode for Compute {
    fn to_node(&self) -> Node {
        match self {
            Compute::Instance(c) => c.to_node(),
            Compute::Aml(c) => c.to_node(),
            Compute::Other(c) => Node::map(c.body.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provisioning_configuration_maps_to_v2_fields() {
        let config = ProvisioningConfiguration {
            vm_size: Some("STANDARD_DS3_V2".into()),
            ssh_public_access: Some(false),
            admin_user_ssh_public_key: Some("ssh-rsa AAAA".into()),
            vnet_resourcegroup_name: Some("net-rg".into()),
            vnet_name: Some("vnet".into()),
            subnet_name: Some("default".into()),
            subscription_id: Some("0000".into()),
            assigned_user_object_id: Some("obj".into()),
            assigned_user_tenant_id: Some("tenant".into()),
            ..Default::default()
        };
        let ci = ComputeInstance::provision("ci-1", &config).unwrap();
        let yaml = crate::yaml::emit(&ci.to_node());
        assert!(yaml.starts_with("$schema: https://azuremlschemas.azureedge.net/latest/computeInstance.schema.json\ntype: computeinstance\nname: ci-1\n"), "{yaml}");
        assert!(yaml.contains("subnet: /subscriptions/0000/resourceGroups/net-rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default"), "{yaml}");
        assert!(
            yaml.contains(
                "create_on_behalf_of:\n  user_tenant_id: tenant\n  user_object_id: obj\n"
            ),
            "{yaml}"
        );
        assert!(
            yaml.contains(
                "ssh_public_access_enabled: false\nssh_settings:\n  ssh_key_value: ssh-rsa AAAA\n"
            ),
            "{yaml}"
        );

        let no_sub = ProvisioningConfiguration {
            subscription_id: None,
            ..config.clone()
        };
        assert_eq!(
            ComputeInstance::provision("x", &no_sub),
            Err(ProvisioningError::IncompleteVnet)
        );
        let half_user = ProvisioningConfiguration {
            assigned_user_tenant_id: None,
            ..config
        };
        assert_eq!(
            ComputeInstance::provision("x", &half_user),
            Err(ProvisioningError::IncompleteAssignedUser)
        );
    }
}
