//! The report of calls nobody implements: by name and number, once per name.
//!
//! A program that calls an unimplemented trap in a loop must not fill the disk (one Darling user's log
//! grew to 58 GB of "Unimplemented mach trap" lines), and a bare number sends people to look it up by
//! hand. So each call is reported once, named, with its table and number; numbers outside the tables
//! are reported once each up to [`MAX_UNKNOWN_REPORTS`], then once more to say the rest are silent.
//! Reports go through `tracing` at `warn` level under the target `darling::syscalls`.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use super::{CallEnum, CallInfo, Errno, Slot, Table, describe};

/// How many distinct unknown numbers are reported before the reporter falls silent about them.
pub const MAX_UNKNOWN_REPORTS: usize = 64;

/// Remembers what was already reported. [`Reporter::global`] is the one the dispatch functions use;
/// tests make their own.
#[derive(Debug, Default)]
pub struct Reporter {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    names: HashSet<(Table, &'static str)>,
    unknown: HashSet<(Table, i64)>,
    unknown_silenced: bool,
}

impl Reporter {
    /// A reporter that has reported nothing yet.
    pub fn new() -> Self {
        Reporter::default()
    }

    /// The process-wide reporter.
    pub fn global() -> &'static Reporter {
        static GLOBAL: OnceLock<Reporter> = OnceLock::new();
        GLOBAL.get_or_init(Reporter::new)
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock leaves only a set of names behind; keep using it.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Reports that `info`'s call is not implemented, the first time only. Returns whether it reported.
    pub fn unimplemented(&self, info: &'static CallInfo) -> bool {
        if !self.state().names.insert((info.table, info.name)) {
            return false;
        }
        tracing::warn!(
            target: "darling::syscalls",
            table = info.table.noun(),
            name = info.name,
            number = info.call_number(),
            "unimplemented {} `{}` ({}): {}; further calls fail with ENOSYS silently",
            info.table.noun(),
            info.name,
            info.call_number(),
            info.prototype(),
        );
        true
    }

    /// Reports a number whose slot holds no call: a placeholder (once per name) or a number outside the
    /// table (once per number, up to [`MAX_UNKNOWN_REPORTS`]). Returns whether it reported.
    pub fn not_a_call<T: CallEnum>(&self, table: Table, number: i64, slot: Slot<T>) -> bool {
        let mut state = self.state();
        let fresh = match &slot {
            Slot::Call(call) => state.names.insert((table, call.info().name)),
            Slot::Placeholder(p) => state.names.insert((table, p.name)),
            Slot::Unknown => {
                if state.unknown_silenced {
                    false
                } else if state.unknown.len() >= MAX_UNKNOWN_REPORTS {
                    state.unknown_silenced = true;
                    drop(state);
                    tracing::warn!(
                        target: "darling::syscalls",
                        "{MAX_UNKNOWN_REPORTS} unknown system call numbers reported; further unknown numbers are not reported",
                    );
                    return true;
                } else {
                    state.unknown.insert((table, number))
                }
            }
        };
        drop(state);
        if fresh {
            tracing::warn!(
                target: "darling::syscalls",
                table = table.noun(),
                number,
                "call to {}, which has no implementation; it fails with ENOSYS (reported once)",
                describe(table, number, slot),
            );
        }
        fresh
    }
}

/// Reports `info`'s call as unimplemented through the global reporter and returns `ENOSYS`: the default
/// body of every trait method.
pub fn unimplemented(info: &'static CallInfo) -> Errno {
    Reporter::global().unimplemented(info);
    Errno::ENOSYS
}

/// Reports a number without a call through the global reporter and returns `ENOSYS`.
pub fn not_a_call<T: CallEnum>(table: Table, number: i64, slot: Slot<T>) -> Errno {
    Reporter::global().not_a_call(table, number, slot);
    Errno::ENOSYS
}
