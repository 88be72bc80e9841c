//! `--layout-json FILE`: per subsystem, every routine's ids and message sizes for the chosen `-arch`,
//! in the shape of `../shared/oracle/mig-layouts.json` so the two can be compared field by field.

use serde::Serialize;

use crate::model::{Module, RoutineKind};

/// One subsystem's entry.
#[derive(Debug, Serialize)]
pub struct SubsystemLayout {
    /// The `.defs` file.
    pub file: String,
    /// The subsystem name.
    pub subsystem: String,
    /// The base id.
    pub base: u32,
    /// One past the last routine id.
    pub end: u32,
    /// `KernelUser`.
    pub kernel_user: bool,
    /// `KernelServer`.
    pub kernel_server: bool,
    /// The target the sizes are for.
    pub arch: String,
    /// Every routine number.
    pub routines: Vec<RoutineLayout>,
}

/// One routine's entry.
#[derive(Debug, Serialize)]
pub struct RoutineLayout {
    /// Number from the base.
    pub number: u32,
    /// Name (null for skips, as in the oracle).
    pub name: Option<String>,
    /// `routine`, `simpleroutine` or `skip`.
    pub kind: &'static str,
    /// Request id.
    pub msgh_id: u32,
    /// Reply id, for routines.
    pub reply_msgh_id: Option<u32>,
    /// `sizeof(__Request__<name>_t)`, or null for skips.
    pub request_size: Option<u64>,
    /// `sizeof(__Reply__<name>_t)`, or null without a reply.
    pub reply_size: Option<u64>,
}

/// The entry for one module.
pub fn subsystem(module: &Module) -> SubsystemLayout {
    let s = &module.subsystem;
    SubsystemLayout {
        file: module.source.clone(),
        subsystem: s.name.clone(),
        base: s.base,
        end: s.base + module.routines.len() as u32,
        kernel_user: s.kernel_user,
        kernel_server: s.kernel_server,
        arch: module.target.name().to_string(),
        routines: module
            .routines
            .iter()
            .map(|r| RoutineLayout {
                number: r.number,
                name: (r.kind != RoutineKind::Skip).then(|| r.name.clone()),
                kind: r.kind.keyword(),
                msgh_id: r.msgh_id,
                reply_msgh_id: r.reply_msgh_id,
                request_size: (r.kind != RoutineKind::Skip).then_some(r.request.size),
                reply_size: r.reply.as_ref().map(|m| m.size),
            })
            .collect(),
    }
}

/// The JSON document for several modules: `{"subsystems": [...]}`.
pub fn emit(modules: &[&Module]) -> String {
    let subsystems: Vec<SubsystemLayout> = modules.iter().map(|m| subsystem(m)).collect();
    let doc = serde_json::json!({ "subsystems": subsystems });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    text
}
