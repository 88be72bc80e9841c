//! `<name>.h`: the user header. Prototypes of the user stubs, then the `__Request__`/`__Reply__`
//! typedefs (packed to 4 under `__MigPackStructs`), the request and reply unions, and the
//! `subsystem_to_name_map_<subsystem>` table, in Apple's order.

use codegen::{CWriter, CommentStyle, preamble};

use super::FileNames;
use super::c_common::*;
use crate::model::*;

/// The user header for `module`.
pub fn emit(module: &Module, names: &FileNames) -> String {
    let mut w = CWriter::new();
    let name = &module.subsystem.name;
    w.directive(&format!("#ifndef\t_{name}_user_"));
    w.directive(&format!("#define\t_{name}_user_"));
    w.line("");
    w.line(&format!("/* Module {name} */"));
    w.line("");
    write_pack_default(&mut w);
    w.line("");
    for include in BASE_INCLUDES {
        w.directive(&format!("#include <{include}>"));
    }
    if module.subsystem.kernel_user {
        // Inside a kernel, the stubs send with the kernel's entry points, declared there.
        w.directive("#if\t(__MigKernelSpecificCode) || (_MIG_KERNEL_SPECIFIC_CODE_)");
        w.directive("#include <kern/ipc_mig.h>");
        w.directive("#endif /* __MigKernelSpecificCode */");
    }
    w.line("");
    write_msg_count(&mut w, module);
    w.line("");
    write_imports(&mut w, module, ImportsFor::UserHeader);
    w.line("");
    w.directive("#ifdef __BeforeMigUserHeader");
    w.line("__BeforeMigUserHeader");
    w.directive("#endif /* __BeforeMigUserHeader */");
    w.line("");
    w.directive("#ifdef __cplusplus");
    w.line("extern \"C\" {");
    w.directive("#endif");
    for routine in module.real_routines() {
        w.line("");
        w.line(&routine_comment(routine));
        w.directive("#ifdef\tmig_external");
        w.line("mig_external");
        w.directive("#else");
        w.line("extern");
        w.directive("#endif\t/* mig_external */");
        let fn_name = format!("{}{}", module.user_prefix, routine.name);
        write_signature(&mut w, "kern_return_t", &fn_name, &params(routine, Side::User, false));
        w.line(";");
    }
    w.line("");
    w.directive("#ifdef __cplusplus");
    w.line("}");
    w.directive("#endif");
    w.line("");
    // The wording is the project's own; only the fact (these are upper bounds) is MIG's.
    w.line("/* Note: the message types below give each message at its largest. A message with a");
    w.line(" * variable-sized field is sent shorter: the fields after it move up to close the gap,");
    w.line(" * so use these types to size buffers, not to find fields in a received message. */");
    write_typedef_section(&mut w, module, Side::User, true);
    write_typedef_section(&mut w, module, Side::User, false);
    w.line("");
    write_name_map(&mut w, module);
    w.line("");
    w.directive("#ifdef __AfterMigUserHeader");
    w.line("__AfterMigUserHeader");
    w.directive("#endif /* __AfterMigUserHeader */");
    w.line("");
    w.directive(&format!("#endif\t /* _{name}_user_ */"));
    w.finish(&preamble("migc", &names.source, CommentStyle::C))
}
