//! The table of darlingserver calls as the server needs it before decoding one: number, name, and the
//! sizes of its call and reply structs (`sizeof(dserver_rpc_call_X_t)`, `sizeof(dserver_rpc_reply_X_t)`,
//! identical for 32- and 64-bit clients).
//!
//! Provisional: rpc-gen generates the same facts from `defs/rpc/darlingserver.rpc` into `darling_core`;
//! when it lands, this table gives way to the generated one (a test then checks they agree).

/// One call's identity and wire sizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallInfo {
    pub number: u32,
    pub name: &'static str,
    pub call_len: usize,
    pub reply_len: usize,
}

/// Every call, in call-number order (the debug calls carry the unmanaged flag).
pub const CALLS: &[CallInfo] = &[
    CallInfo { number: 0x1, name: "checkin", call_len: 40, reply_len: 8 },
    CallInfo { number: 0x2, name: "checkout", call_len: 24, reply_len: 8 },
    CallInfo { number: 0x3, name: "vchroot_path", call_len: 32, reply_len: 16 },
    CallInfo { number: 0x4, name: "kprintf", call_len: 32, reply_len: 8 },
    CallInfo { number: 0x5, name: "started_suspended", call_len: 16, reply_len: 12 },
    CallInfo { number: 0x6, name: "get_tracer", call_len: 16, reply_len: 12 },
    CallInfo { number: 0x7, name: "uidgid", call_len: 24, reply_len: 16 },
    CallInfo { number: 0x8, name: "set_thread_handles", call_len: 32, reply_len: 8 },
    CallInfo { number: 0x9, name: "vchroot", call_len: 20, reply_len: 8 },
    CallInfo { number: 0xa, name: "mldr_path", call_len: 32, reply_len: 16 },
    CallInfo { number: 0xb, name: "fork_wait_for_child", call_len: 16, reply_len: 8 },
    CallInfo { number: 0xc, name: "sigprocess", call_len: 56, reply_len: 12 },
    CallInfo { number: 0xd, name: "task_is_64_bit", call_len: 20, reply_len: 12 },
    CallInfo { number: 0xe, name: "interrupt_enter", call_len: 16, reply_len: 8 },
    CallInfo { number: 0xf, name: "interrupt_exit", call_len: 16, reply_len: 8 },
    CallInfo { number: 0x10, name: "console_open", call_len: 16, reply_len: 12 },
    CallInfo { number: 0x11, name: "set_dyld_info", call_len: 32, reply_len: 8 },
    CallInfo { number: 0x12, name: "stop_after_exec", call_len: 16, reply_len: 8 },
    CallInfo { number: 0x13, name: "set_tracer", call_len: 24, reply_len: 8 },
    CallInfo { number: 0x14, name: "tid_for_thread", call_len: 20, reply_len: 12 },
    CallInfo { number: 0x15, name: "ptrace_sigexc", call_len: 24, reply_len: 8 },
    CallInfo { number: 0x16, name: "ptrace_thupdate", call_len: 24, reply_len: 8 },
    CallInfo { number: 0x17, name: "thread_suspended", call_len: 32, reply_len: 8 },
    CallInfo { number: 0x18, name: "s2c_perform", call_len: 16, reply_len: 8 },
    CallInfo { number: 0x19, name: "set_executable_path", call_len: 32, reply_len: 8 },
    CallInfo { number: 0x1a, name: "get_executable_path", call_len: 40, reply_len: 16 },
    CallInfo { number: 0x1b, name: "groups", call_len: 48, reply_len: 16 },
    CallInfo { number: 0x1c, name: "kqchan_mach_port_open", call_len: 48, reply_len: 12 },
    CallInfo { number: 0x1d, name: "kqchan_proc_open", call_len: 24, reply_len: 12 },
    CallInfo { number: 0x1e, name: "pthread_kill", call_len: 24, reply_len: 8 },
    CallInfo { number: 0x1f, name: "pthread_canceled", call_len: 20, reply_len: 8 },
    CallInfo { number: 0x20, name: "pthread_markcancel", call_len: 20, reply_len: 8 },
    CallInfo { number: 0x21, name: "task_self_trap", call_len: 16, reply_len: 12 },
    CallInfo { number: 0x22, name: "host_self_trap", call_len: 16, reply_len: 12 },
    CallInfo { number: 0x23, name: "thread_self_trap", call_len: 16, reply_len: 12 },
    CallInfo { number: 0x24, name: "mach_reply_port", call_len: 16, reply_len: 12 },
    CallInfo { number: 0x25, name: "thread_get_special_reply_port", call_len: 16, reply_len: 12 },
    CallInfo { number: 0x26, name: "mach_msg_overwrite", call_len: 56, reply_len: 8 },
    CallInfo { number: 0x27, name: "mach_port_deallocate", call_len: 24, reply_len: 8 },
    CallInfo { number: 0x28, name: "mach_port_allocate", call_len: 32, reply_len: 8 },
    CallInfo { number: 0x29, name: "mach_port_mod_refs", call_len: 32, reply_len: 8 },
    CallInfo { number: 0x2a, name: "mach_port_move_member", call_len: 28, reply_len: 8 },
    CallInfo { number: 0x2b, name: "mach_port_insert_right", call_len: 32, reply_len: 8 },
    CallInfo { number: 0x2c, name: "mach_port_insert_member", call_len: 28, reply_len: 8 },
    CallInfo { number: 0x2d, name: "mach_port_extract_member", call_len: 28, reply_len: 8 },
    CallInfo { number: 0x2e, name: "mach_port_construct", call_len: 48, reply_len: 8 },
    CallInfo { number: 0x2f, name: "mach_port_destruct", call_len: 40, reply_len: 8 },
    CallInfo { number: 0x30, name: "mach_port_guard", call_len: 40, reply_len: 8 },
    CallInfo { number: 0x31, name: "mach_port_unguard", call_len: 32, reply_len: 8 },
    CallInfo { number: 0x32, name: "mach_port_request_notification", call_len: 48, reply_len: 8 },
    CallInfo { number: 0x33, name: "mach_port_get_attributes", call_len: 48, reply_len: 8 },
    CallInfo { number: 0x34, name: "mach_port_type", call_len: 32, reply_len: 8 },
    CallInfo { number: 0x35, name: "task_for_pid", call_len: 32, reply_len: 8 },
    CallInfo { number: 0x36, name: "task_name_for_pid", call_len: 32, reply_len: 8 },
    CallInfo { number: 0x37, name: "pid_for_task", call_len: 32, reply_len: 8 },
    CallInfo { number: 0x38, name: "mach_vm_allocate", call_len: 48, reply_len: 8 },
    CallInfo { number: 0x39, name: "mach_vm_deallocate", call_len: 40, reply_len: 8 },
    CallInfo { number: 0x3a, name: "semaphore_signal", call_len: 20, reply_len: 8 },
    CallInfo { number: 0x3b, name: "semaphore_signal_all", call_len: 20, reply_len: 8 },
    CallInfo { number: 0x3c, name: "semaphore_wait", call_len: 20, reply_len: 8 },
    CallInfo { number: 0x3d, name: "semaphore_wait_signal", call_len: 24, reply_len: 8 },
    CallInfo { number: 0x3e, name: "semaphore_timedwait", call_len: 28, reply_len: 8 },
    CallInfo { number: 0x3f, name: "semaphore_timedwait_signal", call_len: 32, reply_len: 8 },
    CallInfo { number: 0x40, name: "mk_timer_create", call_len: 16, reply_len: 12 },
    CallInfo { number: 0x41, name: "mk_timer_destroy", call_len: 20, reply_len: 8 },
    CallInfo { number: 0x42, name: "mk_timer_arm", call_len: 32, reply_len: 8 },
    CallInfo { number: 0x43, name: "mk_timer_cancel", call_len: 32, reply_len: 8 },
    CallInfo { number: 0x44, name: "psynch_cvbroad", call_len: 72, reply_len: 12 },
    CallInfo { number: 0x45, name: "psynch_cvclrprepost", call_len: 48, reply_len: 12 },
    CallInfo { number: 0x46, name: "psynch_cvsignal", call_len: 72, reply_len: 12 },
    CallInfo { number: 0x47, name: "psynch_cvwait", call_len: 80, reply_len: 12 },
    CallInfo { number: 0x48, name: "psynch_mutexdrop", call_len: 48, reply_len: 12 },
    CallInfo { number: 0x49, name: "psynch_mutexwait", call_len: 48, reply_len: 12 },
    CallInfo { number: 0x4a, name: "psynch_rw_rdlock", call_len: 40, reply_len: 12 },
    CallInfo { number: 0x4b, name: "psynch_rw_unlock", call_len: 40, reply_len: 12 },
    CallInfo { number: 0x4c, name: "psynch_rw_wrlock", call_len: 40, reply_len: 12 },
    CallInfo { number: 0x8000004d, name: "debug_list_processes", call_len: 16, reply_len: 24 },
    CallInfo { number: 0x8000004e, name: "debug_list_ports", call_len: 20, reply_len: 24 },
    CallInfo { number: 0x8000004f, name: "debug_list_members", call_len: 24, reply_len: 24 },
    CallInfo { number: 0x80000050, name: "debug_list_messages", call_len: 24, reply_len: 24 },
];

/// The call with this number, if any.
pub fn lookup(number: u32) -> Option<&'static CallInfo> {
    let index = (number & !crate::wire::UNMANAGED_FLAG) as usize;
    CALLS.get(index.checked_sub(1)?).filter(|info| info.number == number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_table_order() {
        for (index, info) in CALLS.iter().enumerate() {
            assert_eq!((info.number & !crate::wire::UNMANAGED_FLAG) as usize, index + 1, "{}", info.name);
            assert_eq!(lookup(info.number), Some(info));
        }
        assert_eq!(lookup(0), None);
        assert_eq!(lookup(77), None, "77 exists only with the unmanaged flag");
        assert_eq!(lookup(0x8000_004d).unwrap().name, "debug_list_processes");
    }
}
