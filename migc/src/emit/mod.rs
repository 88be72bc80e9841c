//! Emitters: one module per output, each a function from the [`Module`] to text. They cannot fail.
//!
//! - [`c_header`]: `<name>.h`, the user header (prototypes, `__Request__`/`__Reply__` typedefs, unions).
//! - [`c_user`]: `<name>User.c`, the user stubs that build a request, call `mach_msg` and check the reply.
//! - [`c_server_header`]: `<name>Server.h`, the server-side prototypes, typedefs and subsystem table.
//! - [`c_server`]: `<name>Server.c`, the server stubs, the `_subsystem` table and the demux.
//! - [`c_internal_header`] and [`c_definitions_header`]: mig's `-iheader` and `-dheader`.
//! - [`listing`] and [`layout_json`]: `--list` and `--layout-json`.

pub mod c_common;
pub mod c_definitions_header;
pub mod c_header;
pub mod c_internal_header;
pub mod c_server;
pub mod c_server_header;
pub mod c_user;
pub mod layout_json;
pub mod listing;

use crate::{Module, Options};

/// The names generated files use for each other and for their source.
#[derive(Debug, Clone)]
pub struct FileNames {
    /// What the preamble says the files were generated from.
    pub source: String,
    /// How `User.c` includes the user header.
    pub user_header_include: String,
    /// How `Server.c` includes the server header.
    pub server_header_include: String,
}

impl FileNames {
    /// The names for `module` compiled with `options`.
    pub fn for_module(module: &Module, options: &Options) -> Self {
        let name = &module.subsystem.name;
        FileNames {
            source: module.source.clone(),
            user_header_include: options.user_header_include.clone().unwrap_or_else(|| format!("{name}.h")),
            server_header_include: options
                .server_header_include
                .clone()
                .unwrap_or_else(|| format!("{name}Server.h")),
        }
    }

    /// Names for a module compiled with default options.
    pub fn defaults(module: &Module) -> Self {
        Self::for_module(module, &Options::default())
    }
}
