//! The command line of the `mikey` tool, shared by the tool and by `mikey-mangen`, which
//! writes its man pages.

pub mod args;
pub mod ext_args;
