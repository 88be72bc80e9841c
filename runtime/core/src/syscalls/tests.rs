//! Tests of the system call tables: lookups by name and number on every architecture, dispatch to a
//! handler with argument and result conversion, and the once-per-name report of what is not implemented.

use std::io;
use std::sync::{Arc, Mutex};

use super::report::{MAX_UNKNOWN_REPORTS, Reporter};
use super::*;

/// Runs `f` with a tracing subscriber that records every event's text, and returns the lines.
fn captured(f: impl FnOnce()) -> Vec<String> {
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);
    impl io::Write for Buffer {
        fn write(&mut self, data: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(data);
            Ok(data.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .without_time()
        .with_max_level(tracing::Level::TRACE)
        .finish();
    tracing::subscriber::with_default(subscriber, f);
    let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    text.lines().map(String::from).collect()
}

#[test]
fn every_call_is_found_by_name_and_number() {
    for call in Sysno::ALL {
        assert_eq!(Sysno::from_name(call.name()), Some(call), "{call:?}");
        for arch in Arch::ALL {
            assert_eq!(Sysno::from_number(arch, call.number()), Some(call), "{call:?} on {arch:?}");
        }
        assert_eq!(call.arg_count(), call.args().len());
        assert_eq!(call.info().table, Table::Bsd);
    }
    for trap in MachTrap::ALL {
        assert_eq!(MachTrap::from_name(trap.name()), Some(trap));
        assert!(trap.trap_number() <= 0);
        if trap.is_available(Arch::X86_64) {
            assert_eq!(MachTrap::from_number(Arch::X86_64, trap.trap_number()), Some(trap));
        }
    }
    for call in MachdepCall::ALL {
        assert_eq!(MachdepCall::from_name(call.name()), Some(call));
        assert!(Arch::ALL.iter().any(|a| call.is_available(*a)), "{call:?} exists nowhere");
    }
    assert_eq!(Sysno::ALL.len(), 455);
    assert_eq!(bsd::SLOT_COUNT, 558);
}

#[test]
fn names_numbers_and_argument_types() {
    assert_eq!(Sysno::Read.number(), 3);
    assert_eq!(Sysno::Read.name(), "read");
    let kinds: Vec<ArgKind> = Sysno::Read.args().iter().map(|a| a.kind).collect();
    assert_eq!(kinds, [ArgKind::I32, ArgKind::Addr, ArgKind::U64]);
    assert_eq!(
        Sysno::Read.info().prototype(),
        "user_ssize_t read(int fd, user_addr_t cbuf, user_size_t nbyte)"
    );
    // `sys_close` in the master is `close` everywhere a name is shown.
    assert_eq!(Sysno::from_name("close"), Some(Sysno::Close));
    assert_eq!(Sysno::Close.info().function, "sys_close");
    assert_eq!(Sysno::from_name("sys_close"), None);
    assert_eq!(Sysno::from_number(Arch::X86_64, 8), None, "8 is `enosys` (formerly creat)");
    assert_eq!(Sysno::from_number(Arch::X86_64, 558), None);
    assert_eq!(Sysno::Recvmsg.info().condition, Some("SOCKETS"));
    assert_eq!(Sysno::Syscall.number(), 0);

    assert_eq!(MachTrap::from_number(Arch::X86_64, -26), Some(MachTrap::MachReplyPort));
    assert_eq!(MachTrap::MachReplyPort.trap_number(), -26);
    assert!(MachTrap::MachReplyPort.info().returns_port);
    assert_eq!(MachTrap::from_number(Arch::X86_64, 26), None, "Mach traps are negative");
    assert_eq!(MachTrap::from_number(Arch::X86_64, i32::MIN), None);
    assert_eq!(MachTrap::from_number(Arch::Arm64, -47), Some(MachTrap::MachMsg2Trap));
    assert_eq!(MachTrap::from_number(Arch::I386, -47), None, "no mach_msg2 for 32-bit callers");
    assert_eq!(MachTrap::MachMsgTrap.info().munger32, Some("munge_wwwwwww"));

    assert_eq!(MachdepCall::from_number(Arch::I386, 3), Some(MachdepCall::ThreadFastSetCthreadSelf));
    assert_eq!(MachdepCall::from_number(Arch::X86_64, 3), Some(MachdepCall::ThreadFastSetCthreadSelf64));
    assert_eq!(MachdepCall::from_number(Arch::X86_64, 0), Some(MachdepCall::HvTaskTrap));
    assert_eq!(MachdepCall::from_number(Arch::I386, 0), None);
    assert!(
        MachdepCall::ALL.iter().all(|c| !c.is_available(Arch::Arm64)),
        "arm64 has no machine-dependent calls"
    );
}

/// Implements a handful of calls and records what it was called with.
#[derive(Default)]
struct Handler {
    calls: Vec<String>,
}

impl BsdSyscalls for Handler {
    fn read(&mut self, fd: i32, cbuf: UserAddr, nbyte: u64) -> SyscallResult<i64> {
        self.calls.push(format!("read({fd}, {:#x}, {nbyte})", cbuf.0));
        Ok(nbyte as i64)
    }

    fn getpid(&mut self) -> SyscallResult<i32> {
        Ok(-5)
    }

    fn lseek(&mut self, fd: i32, offset: i64, whence: i32) -> SyscallResult<i64> {
        self.calls.push(format!("lseek({fd}, {offset}, {whence})"));
        Err(Errno::EINVAL)
    }
}

impl MachTraps for Handler {
    fn mach_reply_port(&mut self) -> SyscallResult<u32> {
        Ok(0x1103)
    }
}

impl MachdepCalls for Handler {}

#[test]
fn dispatch_converts_arguments_and_results() {
    let mut h = Handler::default();
    let mut args = [0u64; bsd::MAX_ARGS];
    // The high half of a 32-bit argument's slot is ignored, as XNU's structures ignore it.
    args[..3].copy_from_slice(&[0xdead_beef_0000_0007, 0x7fff_0000_1000, 64]);
    assert_eq!(bsd::dispatch(&mut h, Arch::X86_64, 3, &args), Ok(64));
    assert_eq!(h.calls, ["read(7, 0x7fff00001000, 64)"]);
    // Signed results are sign-extended into the return register.
    assert_eq!(bsd::dispatch(&mut h, Arch::X86_64, 20, &[0; 8]), Ok(-5i64 as u64));
    // Errors come back as the errno.
    let lseek = Sysno::from_name("lseek").unwrap().number();
    assert_eq!(
        bsd::dispatch(&mut h, Arch::X86_64, lseek, &[3, (-2i64) as u64, 1, 0, 0, 0, 0, 0]),
        Err(Errno::EINVAL)
    );
    assert_eq!(h.calls[1], "lseek(3, -2, 1)");
    // The indirect call: the number is the first argument.
    assert_eq!(bsd::dispatch(&mut h, Arch::X86_64, 0, &[3, 9, 0x2000, 1, 0, 0, 0, 0]), Ok(1));
    assert_eq!(h.calls[2], "read(9, 0x2000, 1)");
    assert_eq!(bsd::dispatch(&mut h, Arch::X86_64, 0, &[0; 8]), Err(Errno::ENOSYS), "syscall(0) is no call");

    let trap = mach_traps::dispatch(&mut h, Arch::X86_64, -26, &[0; mach_traps::MAX_ARGS]);
    assert_eq!(trap, Ok(0x1103));
}

#[test]
fn unimplemented_calls_are_reported_once_by_name_and_number() {
    let mut h = Handler::default();
    let lines = captured(|| {
        for _ in 0..1000 {
            // `fchmod` is not implemented by the handler: the trait's default answers.
            assert_eq!(
                bsd::dispatch(&mut h, Arch::X86_64, Sysno::Fchmod.number(), &[0; 8]),
                Err(Errno::ENOSYS)
            );
        }
    });
    assert_eq!(lines.len(), 1, "{lines:?}");
    eprintln!("1000 calls, one report: {}", lines[0]);
    assert!(lines[0].contains("unimplemented BSD system call `fchmod` (124)"), "{}", lines[0]);
    assert!(lines[0].contains("int fchmod(int fd, int mode)"), "{}", lines[0]);

    let lines = captured(|| {
        for _ in 0..1000 {
            assert_eq!(mach_traps::dispatch(&mut h, Arch::X86_64, -31, &[0; 8]), Err(Errno::ENOSYS));
        }
    });
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("`mach_msg_trap` (-31)"), "{}", lines[0]);
}

#[test]
fn placeholders_and_unknown_numbers_are_reported_by_name() {
    let mut h = Handler::default();
    let lines = captured(|| {
        for _ in 0..100 {
            assert_eq!(bsd::dispatch(&mut h, Arch::X86_64, 11, &[0; 8]), Err(Errno::ENOSYS));
            assert_eq!(mach_traps::dispatch(&mut h, Arch::X86_64, -17, &[0; 8]), Err(Errno::ENOSYS));
            assert_eq!(bsd::dispatch(&mut h, Arch::X86_64, 100_000, &[0; 8]), Err(Errno::ENOSYS));
        }
    });
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[0].contains("`#11` (BSD system call 11, enosys: formerly execv)"), "{}", lines[0]);
    assert!(lines[1].contains("`kern_invalid` (Mach trap -17, kern_invalid)"), "{}", lines[1]);
    assert!(lines[2].contains("BSD system call 100000 (not in the table)"), "{}", lines[2]);
}

#[test]
fn unknown_numbers_stop_being_reported_after_a_limit() {
    let reporter = Reporter::new();
    let lines = captured(|| {
        let reported = (0..10_000i64)
            .filter(|n| reporter.not_a_call::<Sysno>(Table::Bsd, 1_000 + n, Slot::Unknown))
            .count();
        assert_eq!(reported, MAX_UNKNOWN_REPORTS + 1);
    });
    assert_eq!(lines.len(), MAX_UNKNOWN_REPORTS + 1);
    assert!(lines.last().unwrap().contains("further unknown numbers are not reported"));
}

#[test]
fn thirty_two_bit_arguments_widen_with_the_munger() {
    // lseek(int fd, off_t offset, int whence): w, l (two words, low first), w.
    let info = Sysno::from_name("lseek").unwrap().info();
    assert_eq!(info.munger32, Some("munge_wlw"));
    assert_eq!(info.size32, 16);
    let args = info.munge32(&[3, 0x89ab_cdef, 0x0123_4567, 2]).unwrap();
    assert_eq!(&args[..3], &[3, 0x0123_4567_89ab_cdef, 2]);
    // mach_vm_allocate: w, w, l, w.
    let trap = MachTrap::from_number(Arch::I386, -10).unwrap();
    assert_eq!(trap.info().munge32(&[1, 0x1000, 0x2000, 0, 1]).unwrap()[..4], [1, 0x1000, 0x2000, 1]);
}

#[test]
fn describe_names_every_kind_of_number() {
    assert_eq!(describe(Table::Bsd, 3, bsd::slot(Arch::X86_64, 3)), "`read` (BSD system call 3)");
    assert_eq!(
        describe(Table::Bsd, 8, bsd::slot(Arch::X86_64, 8)),
        "`#8` (BSD system call 8, enosys: formerly creat)"
    );
    assert_eq!(
        describe(Table::Bsd, 600, bsd::slot(Arch::X86_64, 600)),
        "BSD system call 600 (not in the table)"
    );
    assert_eq!(
        describe(Table::MachTraps, -26, mach_traps::trap_slot(Arch::X86_64, -26)),
        "`mach_reply_port` (Mach trap -26)"
    );
}

#[test]
fn errnos_are_darwin_numbers_named_from_the_errno_tables() {
    assert_eq!((Errno::EINVAL.0, Errno::ENOSYS.0), (22, 78));
    assert_eq!(Errno::ENOSYS.to_string(), "ENOSYS (78)");
    assert_eq!(Errno(35).to_string(), "EAGAIN (35)", "every XNU errno has its name");
    assert_eq!(Errno(4242).to_string(), "errno 4242");
    assert_eq!(Errno::from_linux(38), Some(Errno::ENOSYS));
    assert_eq!(Errno::from_linux(128), None, "EKEYREVOKED has no XNU counterpart");
}
