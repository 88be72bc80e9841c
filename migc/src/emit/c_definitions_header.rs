//! `-dheader FILE`: the definitions header, as Apple's mig writes it: the subsystem's message count,
//! `MACH_ID_<ROUTINE>` (and `MACH_ID_<ROUTINE>_REPLY` for a routine that replies) for code that
//! matches on message ids without the message types, and the `subsystem_to_name_map_<subsystem>`
//! table every header ends with. It includes nothing; `dimport`s go to the user and server headers.

use codegen::{CWriter, CommentStyle, preamble};

use super::FileNames;
use super::c_common::{write_msg_count, write_name_map};
use crate::model::*;

/// The definitions header for `module`.
pub fn emit(module: &Module, names: &FileNames) -> String {
    let mut w = CWriter::new();
    let name = &module.subsystem.name;
    w.directive(&format!("#ifndef\t_{name}_defines"));
    w.directive(&format!("#define\t_{name}_defines"));
    w.line("");
    w.line(&format!("/* Module {name} */"));
    w.line("");
    write_msg_count(&mut w, module);
    w.line("");
    w.line("");
    w.line(&format!("/*\tDefines related to the Subsystem {name}\t*/"));
    w.line("");
    for routine in module.real_routines() {
        let upper = routine.name.to_ascii_uppercase();
        let r = &routine.name;
        w.directive(&format!("#define\tMACH_ID_{upper}\t\t{}\t/* {r}() */", routine.msgh_id));
        if let Some(reply) = routine.reply_msgh_id {
            w.directive(&format!("#define\tMACH_ID_{upper}_REPLY\t\t{reply}\t/* {r}() */"));
        }
        w.line("");
    }
    write_name_map(&mut w, module);
    w.line("");
    w.directive("#ifdef __AfterMigServerHeader");
    w.line("__AfterMigServerHeader");
    w.directive("#endif /* __AfterMigServerHeader */");
    w.line("");
    w.directive(&format!("#endif\t /* _{name}_defines */"));
    w.finish(&preamble("migc", &names.source, CommentStyle::C))
}
