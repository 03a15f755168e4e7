//! Tables generated from the pinned azure-ai-ml SDK by `scripts/gen_schema.sh` (never by hand):
//! its `--check`, run in CI, fails when they differ from what the SDK says.

pub(crate) mod enums;
pub(crate) mod keys;
mod version;

pub(crate) use version::SDK_VERSION;
