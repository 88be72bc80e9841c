//! `--list`: one line per routine number, GNU MIG style (subsystem, base, name, number, id, reply id).

use std::fmt::Write;

use crate::model::{Module, RoutineKind};

/// The listing of one module.
pub fn emit(module: &Module) -> String {
    let mut out = String::new();
    let s = &module.subsystem;
    for r in &module.routines {
        let reply = r.reply_msgh_id.map_or_else(|| "-".to_string(), |id| id.to_string());
        let name = if r.kind == RoutineKind::Skip { "(skip)" } else { r.name.as_str() };
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            s.name,
            s.base,
            r.kind.keyword(),
            name,
            r.number,
            r.msgh_id,
            reply
        );
    }
    out
}
