//! The `${{inputs.x}}` / `${{outputs.y}}` a command names, and whether each stands inside an
//! optional `$[[ … ]]` part, read with pipeline-schema's grammar (the one YAML validation uses).

use pipeline_schema::binding::{Side, Template};

/// A port named in a command.
pub(crate) struct Named {
    /// `true` for `${{inputs.…}}`, `false` for `${{outputs.…}}`.
    pub(crate) input: bool,
    /// The port (for an input group, `group.sub`, its first part).
    pub(crate) port: String,
    /// Inside `$[[ … ]]`.
    pub(crate) optional_part: bool,
}

/// Every `${{inputs.…}}` and `${{outputs.…}}` of a command, in order. Other expressions are left
/// alone (Azure ML resolves them).
pub(crate) fn named_ports(command: &str) -> Vec<Named> {
    Template::parse(command)
        .bindings()
        .into_iter()
        .filter_map(|(binding, optional_part)| {
            binding.command_port().map(|(side, port)| Named {
                input: side == Side::Input,
                port: port.to_owned(),
                optional_part,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_and_optional_parts() {
        let found: Vec<(bool, String, bool)> = named_ports(
            "python t.py --d ${{ inputs.data }} $[[--seed ${{inputs.seed}}]] --o ${{outputs.model}} ${{inputs.g.sub}} ${{name}} $x ]]",
        )
        .into_iter()
        .map(|n| (n.input, n.port, n.optional_part))
        .collect();
        assert_eq!(
            found,
            [
                (true, "data".to_owned(), false),
                (true, "seed".to_owned(), true),
                (false, "model".to_owned(), false),
                (true, "g".to_owned(), false)
            ]
        );
    }
}
