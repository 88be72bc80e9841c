//! `<name>Server.h`: the server header. Prototypes of the functions a server implements, the demux
//! functions, the `<subsystem>_subsystem` table, and the `__Request__`/`__Reply__` typedefs with the
//! server's C types.

use codegen::{CWriter, CommentStyle, preamble};

use super::FileNames;
use super::c_common::*;
use crate::model::*;

/// The server header for `module`.
pub fn emit(module: &Module, names: &FileNames) -> String {
    let mut w = CWriter::new();
    let name = &module.subsystem.name;
    w.directive(&format!("#ifndef\t_{name}_server_"));
    w.directive(&format!("#define\t_{name}_server_"));
    w.line("");
    w.line(&format!("/* Module {name} */"));
    w.line("");
    write_pack_default(&mut w);
    w.line("");
    for include in BASE_INCLUDES {
        w.directive(&format!("#include <{include}>"));
    }
    w.line("");
    write_msg_count(&mut w, module);
    w.line("");
    write_imports(&mut w, module, ImportsFor::ServerHeader);
    w.line("");
    w.directive("#ifdef __BeforeMigServerHeader");
    w.line("__BeforeMigServerHeader");
    w.directive("#endif /* __BeforeMigServerHeader */");
    w.line("");
    w.directive("#ifndef MIG_SERVER_ROUTINE");
    w.directive("#define MIG_SERVER_ROUTINE");
    w.directive("#endif");
    w.line("");
    w.directive("#ifdef __cplusplus");
    w.line("extern \"C\" {");
    w.directive("#endif");
    write_declarations(&mut w, module);
    w.line("");
    w.directive("#ifdef __cplusplus");
    w.line("}");
    w.directive("#endif");
    write_typedef_section(&mut w, module, Side::Server, true);
    write_typedef_section(&mut w, module, Side::Server, false);
    w.line("");
    write_name_map(&mut w, module);
    w.line("");
    w.directive("#ifdef __AfterMigServerHeader");
    w.line("__AfterMigServerHeader");
    w.directive("#endif /* __AfterMigServerHeader */");
    w.line("");
    w.directive(&format!("#endif\t /* _{name}_server_ */"));
    w.finish(&preamble("migc", &names.source, CommentStyle::C))
}

/// The server routine prototypes, the demux functions and the subsystem table declaration; shared with
/// the server source, which repeats them so it compiles on its own.
pub fn write_declarations(w: &mut CWriter, module: &Module) {
    for routine in module.real_routines() {
        w.line("");
        w.line(&routine_comment(routine));
        w.directive("#ifdef\tmig_external");
        w.line("mig_external");
        w.directive("#else");
        w.line("extern");
        w.directive("#endif\t/* mig_external */");
        w.line("MIG_SERVER_ROUTINE");
        let fn_name = format!("{}{}", module.server_prefix, routine.name);
        write_signature(
            w,
            "kern_return_t",
            &fn_name,
            &params(routine, Side::Server, module.subsystem.kernel_server),
        );
        w.line(";");
    }
    let demux = module.server_demux_name();
    w.line("");
    w.directive("#ifdef\tmig_external");
    w.line("mig_external");
    w.directive("#else");
    w.line("extern");
    w.directive("#endif\t/* mig_external */");
    w.line(&format!("boolean_t {demux}("));
    w.line("\t\tmach_msg_header_t *InHeadP,");
    w.line("\t\tmach_msg_header_t *OutHeadP);");
    w.line("");
    w.directive("#ifdef\tmig_external");
    w.line("mig_external");
    w.directive("#else");
    w.line("extern");
    w.directive("#endif\t/* mig_external */");
    w.line(&format!("mig_routine_t {demux}_routine("));
    w.line("\t\tmach_msg_header_t *InHeadP);");
    w.line("");
    w.line("/* The subsystem's routine table, for servers that dispatch without the demux */");
    write_subsystem_struct_head(w, module, "extern const");
    w.line(&format!("}} {};", subsystem_table_name(module)));
}

/// `<serverprefix><subsystem>_subsystem`: the name of the subsystem table and of its struct type (Apple's
/// mig gives both the server prefix, `catch_mach_exc_subsystem`).
pub fn subsystem_table_name(module: &Module) -> String {
    format!("{}{}_subsystem", module.server_prefix, module.subsystem.name)
}

/// `<storage> struct <subsystem>_subsystem { ... ` up to the closing brace.
pub fn write_subsystem_struct_head(w: &mut CWriter, module: &Module, storage: &str) {
    let count = module.routines.len().max(1);
    w.line(&format!("{storage} struct {} {{", subsystem_table_name(module)));
    w.line("\tmig_server_routine_t\tserver;\t/* Server routine */");
    w.line("\tmach_msg_id_t\tstart;\t/* Min routine number */");
    w.line("\tmach_msg_id_t\tend;\t/* Max routine number + 1 */");
    w.line("\tunsigned int\tmaxsize;\t/* Max msg size */");
    w.line("\tvm_address_t\treserved;\t/* Reserved */");
    w.line("\tstruct routine_descriptor\t/* Array of routine descriptors */");
    w.line(&format!("\t\troutine[{count}];"));
}
