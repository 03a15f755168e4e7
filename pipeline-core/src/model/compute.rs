//! Compute targets: compute instances (with the v1 SDK's provisioning configuration) and
//! clusters; other kinds (attached VMs, Kubernetes, Synapse Spark) kept verbatim.

use indexmap::IndexMap;

use crate::convert::{Cx, FromNode, ToNode, read_kind, yaml_struct};
use crate::model::{Opaque, schema_url};
use crate::yaml::{Mapping, Node};

yaml_struct! {
    /// `ssh_settings` of a compute instance.
    pub struct ComputeInstanceSshSettings {
        /// The administrator's public SSH key.
        "ssh_key_value" => ssh_key_value: Option<String>,
    }
}

yaml_struct! {
    /// `network_settings` of a compute.
    pub struct NetworkSettings {
        "vnet_name" => vnet_name: Option<String>,
        /// A subnet name in `vnet_name`, or a subnet's full ARM id.
        "subnet" => subnet: Option<String>,
    }
}

yaml_struct! {
    /// `create_on_behalf_of`: the user a compute instance is assigned to.
    pub struct AssignedUser {
        "user_tenant_id" => user_tenant_id: Option<String>,
        "user_object_id" => user_object_id: Option<String>,
    }
}

yaml_struct! {
    /// A compute instance (`type: computeinstance`): one VM for one user.
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
    pub struct AmlComputeSshSettings {
        "admin_username" => admin_username: Option<String>,
        "admin_password" => admin_password: Option<String>,
        "ssh_key_value" => ssh_key_value: Option<String>,
    }
}

yaml_struct! {
    /// A compute cluster (`type: amlcompute`).
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
        let (map, kind) = read_kind(node, cx, "a compute", None)?;
        match kind.as_str() {
            "computeinstance" => ComputeInstance::from_node(node, cx).map(Compute::Instance),
            "amlcompute" => AmlCompute::from_node(node, cx).map(Compute::Aml),
            _ => Some(Compute::Other(Opaque {
                kind,
                body: map.clone(),
            })),
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
