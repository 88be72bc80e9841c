//! `-dheader FILE`: the definitions header. The `dimport`s and the subsystem's numbers as macros: its
//! base, its message count, and each routine's request id, for code that matches on message ids.

use codegen::{CWriter, CommentStyle, preamble};

use super::FileNames;
use crate::model::*;

/// The definitions header for `module`.
pub fn emit(module: &Module, names: &FileNames) -> String {
    let mut w = CWriter::new();
    let name = &module.subsystem.name;
    w.directive(&format!("#ifndef\t_{name}_defines_"));
    w.directive(&format!("#define\t_{name}_defines_"));
    w.line("");
    for import in module.imports.iter().filter(|i| i.kind == ImportKind::Definitions) {
        w.directive(&format!("#include {}", import.file));
    }
    w.line("");
    w.directive(&format!("#define\t{name}_SUBSYSTEM_BASE\t{}", module.subsystem.base));
    w.directive(&format!("#define\t{name}_MSG_COUNT\t{}", module.real_routines().count()));
    for routine in module.real_routines() {
        w.directive(&format!("#define\t{}_{}_msgh_id\t{}", name, routine.name, routine.msgh_id));
    }
    w.line("");
    w.directive(&format!("#endif\t/* _{name}_defines_ */"));
    w.finish(&preamble("migc", &names.source, CommentStyle::C))
}
