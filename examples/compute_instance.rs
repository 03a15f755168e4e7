//! A compute instance, defined in Rust and emitted as the YAML `az ml compute create --file` takes.
//!
//! ```text
//! cargo run --example compute_instance -- emit
//! ```

use pipeline::prelude::*;
use pipeline::{Compute, ComputeInstance, Document, ProvisioningConfiguration};

/// A small instance for one data scientist, shut down after an hour idle.
fn dev_box() -> Document {
    let config = ProvisioningConfiguration {
        vm_size: Some("STANDARD_DS3_V2".into()),
        ssh_public_access: Some(false),
        description: Some("Development box for the taxi pipelines".into()),
        ..ProvisioningConfiguration::default()
    };
    let mut instance = ComputeInstance::provision("taxi-dev", &config)
        .expect("no virtual network is named, so the configuration is complete");
    instance.idle_time_before_shutdown_minutes = Some(60);
    Document::Compute(Compute::Instance(instance))
}

fn main() {
    pipeline_cli::main([Definition::document(
        "taxi_dev",
        Some("A small instance for one data scientist, shut down after an hour idle."),
        dev_box,
    )])
}
