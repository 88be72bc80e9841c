//! `-iheader FILE`: the internal header. The `iimport`s and the prototypes of the server routines, for
//! the files that implement them, without the message typedefs of the server header.

use codegen::{CWriter, CommentStyle, preamble};

use super::FileNames;
use super::c_common::*;
use super::c_server_header::write_declarations;
use crate::model::*;

/// The internal header for `module`.
pub fn emit(module: &Module, names: &FileNames) -> String {
    let mut w = CWriter::new();
    let name = &module.subsystem.name;
    w.directive(&format!("#ifndef\t_{name}_internal_"));
    w.directive(&format!("#define\t_{name}_internal_"));
    w.line("");
    for include in BASE_INCLUDES {
        w.directive(&format!("#include <{include}>"));
    }
    write_imports(&mut w, module, Side::Server);
    for import in module.imports.iter().filter(|i| i.kind == ImportKind::Internal) {
        w.directive(&format!("#include {}", import.file));
    }
    w.line("");
    w.directive("#ifndef MIG_SERVER_ROUTINE");
    w.directive("#define MIG_SERVER_ROUTINE");
    w.directive("#endif");
    write_declarations(&mut w, module);
    w.line("");
    w.directive(&format!("#endif\t/* _{name}_internal_ */"));
    w.finish(&preamble("migc", &names.source, CommentStyle::C))
}
