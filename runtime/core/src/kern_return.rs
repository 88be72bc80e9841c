//! `kern_return_t` values and their names: kernel returns, `mach_msg` send/receive returns, MIG returns.
//!
//! Used for log lines and error messages on both sides ("mach_port_allocate -> KERN_INVALID_RIGHT (17)"),
//! and as the one place the runtime takes these numbers from.

/// A Mach return code (`kern_return_t`, `mach_msg_return_t`).
pub type KernReturn = i32;

macro_rules! codes {
    ($table:ident: $($name:ident = $value:expr,)*) => {
        $(pub const $name: KernReturn = $value;)*
        /// Every code in this group, with its name.
        pub const $table: &[(KernReturn, &str)] = &[$(($name, stringify!($name)),)*];
    };
}

codes! { KERN_CODES:
    KERN_SUCCESS = 0,
    KERN_INVALID_ADDRESS = 1,
    KERN_PROTECTION_FAILURE = 2,
    KERN_NO_SPACE = 3,
    KERN_INVALID_ARGUMENT = 4,
    KERN_FAILURE = 5,
    KERN_RESOURCE_SHORTAGE = 6,
    KERN_NOT_RECEIVER = 7,
    KERN_NO_ACCESS = 8,
    KERN_MEMORY_FAILURE = 9,
    KERN_MEMORY_ERROR = 10,
    KERN_ALREADY_IN_SET = 11,
    KERN_NOT_IN_SET = 12,
    KERN_NAME_EXISTS = 13,
    KERN_ABORTED = 14,
    KERN_INVALID_NAME = 15,
    KERN_INVALID_TASK = 16,
    KERN_INVALID_RIGHT = 17,
    KERN_INVALID_VALUE = 18,
    KERN_UREFS_OVERFLOW = 19,
    KERN_INVALID_CAPABILITY = 20,
    KERN_RIGHT_EXISTS = 21,
    KERN_INVALID_HOST = 22,
    KERN_MEMORY_PRESENT = 23,
    KERN_MEMORY_DATA_MOVED = 24,
    KERN_MEMORY_RESTART_COPY = 25,
    KERN_INVALID_PROCESSOR_SET = 26,
    KERN_POLICY_LIMIT = 27,
    KERN_INVALID_POLICY = 28,
    KERN_INVALID_OBJECT = 29,
    KERN_ALREADY_WAITING = 30,
    KERN_DEFAULT_SET = 31,
    KERN_EXCEPTION_PROTECTED = 32,
    KERN_INVALID_LEDGER = 33,
    KERN_INVALID_MEMORY_CONTROL = 34,
    KERN_INVALID_SECURITY = 35,
    KERN_NOT_DEPRESSED = 36,
    KERN_TERMINATED = 37,
    KERN_LOCK_SET_DESTROYED = 38,
    KERN_LOCK_UNSTABLE = 39,
    KERN_LOCK_OWNED = 40,
    KERN_LOCK_OWNED_SELF = 41,
    KERN_SEMAPHORE_DESTROYED = 42,
    KERN_RPC_SERVER_TERMINATED = 43,
    KERN_RPC_TERMINATE_ORPHAN = 44,
    KERN_RPC_CONTINUE_ORPHAN = 45,
    KERN_NOT_SUPPORTED = 46,
    KERN_NODE_DOWN = 47,
    KERN_NOT_WAITING = 48,
    KERN_OPERATION_TIMED_OUT = 49,
    KERN_CODESIGN_ERROR = 50,
    KERN_POLICY_STATIC = 51,
    KERN_INSUFFICIENT_BUFFER_SIZE = 52,
    KERN_DENIED = 53,
    KERN_MISSING_KC = 54,
    KERN_INVALID_KC = 55,
    KERN_NOT_FOUND = 56,
}

codes! { MACH_SEND_CODES:
    MACH_SEND_IN_PROGRESS = 0x1000_0001,
    MACH_SEND_INVALID_DATA = 0x1000_0002,
    MACH_SEND_INVALID_DEST = 0x1000_0003,
    MACH_SEND_TIMED_OUT = 0x1000_0004,
    MACH_SEND_INVALID_VOUCHER = 0x1000_0005,
    MACH_SEND_INTERRUPTED = 0x1000_0007,
    MACH_SEND_MSG_TOO_SMALL = 0x1000_0008,
    MACH_SEND_INVALID_REPLY = 0x1000_0009,
    MACH_SEND_INVALID_RIGHT = 0x1000_000a,
    MACH_SEND_INVALID_NOTIFY = 0x1000_000b,
    MACH_SEND_INVALID_MEMORY = 0x1000_000c,
    MACH_SEND_NO_BUFFER = 0x1000_000d,
    MACH_SEND_TOO_LARGE = 0x1000_000e,
    MACH_SEND_INVALID_TYPE = 0x1000_000f,
    MACH_SEND_INVALID_HEADER = 0x1000_0010,
    MACH_SEND_INVALID_TRAILER = 0x1000_0011,
    MACH_SEND_INVALID_CONTEXT = 0x1000_0012,
    MACH_SEND_INVALID_RT_OOL_SIZE = 0x1000_0015,
    MACH_SEND_NO_GRANT_DEST = 0x1000_0016,
    MACH_SEND_MSG_FILTERED = 0x1000_0017,
}

codes! { MACH_RCV_CODES:
    MACH_RCV_IN_PROGRESS = 0x1000_4001,
    MACH_RCV_INVALID_NAME = 0x1000_4002,
    MACH_RCV_TIMED_OUT = 0x1000_4003,
    MACH_RCV_TOO_LARGE = 0x1000_4004,
    MACH_RCV_INTERRUPTED = 0x1000_4005,
    MACH_RCV_PORT_CHANGED = 0x1000_4006,
    MACH_RCV_INVALID_NOTIFY = 0x1000_4007,
    MACH_RCV_INVALID_DATA = 0x1000_4008,
    MACH_RCV_PORT_DIED = 0x1000_4009,
    MACH_RCV_IN_SET = 0x1000_400a,
    MACH_RCV_HEADER_ERROR = 0x1000_400b,
    MACH_RCV_BODY_ERROR = 0x1000_400c,
    MACH_RCV_INVALID_TYPE = 0x1000_400d,
    MACH_RCV_SCATTER_SMALL = 0x1000_400e,
    MACH_RCV_INVALID_TRAILER = 0x1000_400f,
    MACH_RCV_IN_PROGRESS_TIMED = 0x1000_4011,
    MACH_RCV_INVALID_REPLY = 0x1000_4012,
}

codes! { MIG_CODES:
    MIG_TYPE_ERROR = -300,
    MIG_REPLY_MISMATCH = -301,
    MIG_REMOTE_ERROR = -302,
    MIG_BAD_ID = -303,
    MIG_BAD_ARGUMENTS = -304,
    MIG_NO_REPLY = -305,
    MIG_EXCEPTION = -306,
    MIG_ARRAY_TOO_LARGE = -307,
    MIG_SERVER_DIED = -308,
    MIG_TRAILER_ERROR = -309,
}

/// `MACH_MSG_SUCCESS` is `KERN_SUCCESS` under its message-layer name.
pub const MACH_MSG_SUCCESS: KernReturn = 0;

/// The name of a return code, searching every group; `None` for an unknown value.
pub fn name(code: KernReturn) -> Option<&'static str> {
    [KERN_CODES, MACH_SEND_CODES, MACH_RCV_CODES, MIG_CODES]
        .iter()
        .flat_map(|table| table.iter())
        .find(|(value, _)| *value == code)
        .map(|(_, name)| *name)
}

/// A return code for messages: `KERN_INVALID_RIGHT (17)`, `MACH_RCV_TIMED_OUT (0x10004003)`, or the
/// bare value in both bases when the code is unknown.
pub fn describe(code: KernReturn) -> String {
    match name(code) {
        Some(name) if (0..0x100).contains(&code) || code < 0 => format!("{name} ({code})"),
        Some(name) => format!("{name} ({code:#x})"),
        None => format!("unknown kern_return {code} ({code:#x})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_descriptions() {
        assert_eq!(name(KERN_INVALID_RIGHT), Some("KERN_INVALID_RIGHT"));
        assert_eq!(name(0), Some("KERN_SUCCESS"));
        assert_eq!(describe(17), "KERN_INVALID_RIGHT (17)");
        assert_eq!(describe(MACH_RCV_TIMED_OUT), "MACH_RCV_TIMED_OUT (0x10004003)");
        assert_eq!(describe(MIG_BAD_ID), "MIG_BAD_ID (-303)");
        assert_eq!(describe(4242), "unknown kern_return 4242 (0x1092)");
    }

    #[test]
    fn kern_codes_are_dense() {
        for (index, (value, _)) in KERN_CODES.iter().enumerate() {
            assert_eq!(*value as usize, index);
        }
    }
}
