//! The `${{inputs.x}}` / `${{outputs.y}}` a command names, and whether each stands inside an
//! optional `$[[ … ]]` part.

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
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut rest = command;
    while let Some(at) = rest.find(['$', ']']) {
        let here = &rest[at..];
        if let Some(after) = here.strip_prefix("$[[") {
            depth += 1;
            rest = after;
        } else if let Some(after) = here.strip_prefix("]]").filter(|_| depth > 0) {
            depth -= 1;
            rest = after;
        } else if let Some(inner) = here.strip_prefix("${{") {
            let Some(end) = inner.find("}}") else {
                break;
            };
            let expr = inner[..end].trim();
            let named = |prefix: &str| {
                expr.strip_prefix(prefix)
                    .map(|p| p.split('.').next().unwrap_or(p).to_owned())
            };
            if let Some(port) = named("inputs.") {
                out.push(Named {
                    input: true,
                    port,
                    optional_part: depth > 0,
                });
            } else if let Some(port) = named("outputs.") {
                out.push(Named {
                    input: false,
                    port,
                    optional_part: depth > 0,
                });
            }
            rest = &inner[end + 2..];
        } else {
            rest = &here[1..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_and_optional_parts() {
        let found: Vec<(bool, String, bool)> = named_ports(
            "python t.py --d ${{ inputs.data }} $[[--seed ${{inputs.seed}}]] --o ${{outputs.model}} ${{name}} $x ]]",
        )
        .into_iter()
        .map(|n| (n.input, n.port, n.optional_part))
        .collect();
        assert_eq!(
            found,
            [
                (true, "data".to_owned(), false),
                (true, "seed".to_owned(), true),
                (false, "model".to_owned(), false)
            ]
        );
    }
}
