//! The dispatcher against malformed datagrams: random bytes, truncated calls, unknown numbers,
//! wrong lengths, bad bools and extra, missing or repeated descriptors. Each must be rejected with
//! an error that says what was wrong, never a panic, and never leak a descriptor.

use std::os::fd::OwnedFd;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use darling_core::rpc::server::{UidgidReply, dispatch_datagram};
use darling_core::rpc::{CallHeader, Context, DecodeError, OutgoingReply, ReplySink, Server, decode, wire};

/// Answers every call it implements; counts the calls that got through.
#[derive(Default)]
struct Counting {
    calls: AtomicUsize,
}

impl Server for Counting {
    fn uidgid(&self, ctx: Context<UidgidReply>, _new_uid: i32, _new_gid: i32) {
        self.calls.fetch_add(1, Ordering::SeqCst);
        ctx.reply_ok(UidgidReply { old_uid: 1, old_gid: 2 });
    }

    fn checkin(&self, ctx: Context<()>, _is_fork: bool, _stack_hint: u64, _pipe: Option<OwnedFd>) {
        self.calls.fetch_add(1, Ordering::SeqCst);
        ctx.reply_ok(());
    }
}

fn sink() -> (Arc<dyn ReplySink>, Arc<Mutex<Vec<OutgoingReply>>>) {
    let replies = Arc::new(Mutex::new(Vec::new()));
    let r = replies.clone();
    (Arc::new(move |reply: OutgoingReply| r.lock().unwrap().push(reply)), replies)
}

fn fds(n: usize) -> Vec<OwnedFd> {
    (0..n).map(|_| OwnedFd::from(std::fs::File::open("/dev/null").expect("/dev/null"))).collect()
}

/// Tests in this binary run on parallel threads of one process, so a count of `/proc/self/fd` is only
/// meaningful while no other test opens or closes descriptors: every test holds this lock.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map(|d| d.count()).unwrap_or(0)
}

fn call(number: u32, size: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; size];
    CallHeader { number, pid: 1, tid: 1, architecture: 2 }.write(&mut bytes);
    bytes
}

fn checkin(fd_index: i32, is_fork: u8) -> Vec<u8> {
    let info = wire::call_by_number(wire::callnum::CHECKIN).unwrap();
    let mut bytes = call(info.number, info.call_size);
    bytes[info.params[0].offset] = is_fork;
    darling_core::rpc::codec::write_i32(&mut bytes, info.params[2].offset, fd_index);
    bytes
}

fn expect_error(bytes: &[u8], fd_count: usize, fragment: &str) {
    let server = Counting::default();
    let (sink, replies) = sink();
    let err =
        dispatch_datagram(&server, bytes, fds(fd_count), &sink).expect_err("malformed datagram accepted");
    let text = err.to_string();
    assert!(text.contains(fragment), "`{fragment}` not in `{text}`");
    assert_eq!(server.calls.load(Ordering::SeqCst), 0);
    assert!(replies.lock().unwrap().is_empty());
}

#[test]
fn targeted_cases_are_rejected_with_reasons() {
    let _serial = serial();
    let before = open_fds();
    let uidgid = wire::call_by_number(wire::callnum::UIDGID).unwrap();
    expect_error(&[], 0, "shorter than the 16-byte header");
    expect_error(&[1, 2, 3], 1, "3 byte(s) is shorter");
    expect_error(&call(9999, 16), 0, "unknown call number 0x270f from 1:1");
    expect_error(&call(0x8000_0001, 16), 0, "unknown call number 0x80000001");
    expect_error(
        &call(wire::callnum::DEBUG_LIST_PROCESSES & !wire::UNMANAGED_FLAG, 16),
        0,
        "unknown call number 0x4d",
    );
    expect_error(&call(uidgid.number, uidgid.call_size - 1), 0, "`uidgid` call of 23 byte(s); expected 24");
    expect_error(&call(uidgid.number, uidgid.call_size + 8), 0, "expected 24");
    expect_error(
        &call(uidgid.number, uidgid.call_size),
        1,
        "`uidgid` call came with 1 descriptor(s), but its body names 0",
    );
    expect_error(
        &checkin(0, 0),
        0,
        "`checkin` field `lifetime_listener_pipe` names descriptor #0, but 0 descriptor(s) arrived",
    );
    expect_error(&checkin(5, 0), 1, "names descriptor #5");
    expect_error(&checkin(-1, 0), 1, "came with 1 descriptor(s), but its body names 0");
    expect_error(&checkin(0, 0), 2, "came with 2 descriptor(s), but its body names 1");
    expect_error(&checkin(0, 7), 1, "`checkin` field `is_fork` is a bool holding 7");
    let mut trailer = checkin(-1, 0);
    trailer.extend_from_slice(&[0xAA; 16]);
    expect_error(&trailer, 0, "not a protocol-hash trailer");
    expect_error(&call(wire::callnum::PUSH_REPLY, 20), 0, "`push_reply` call of 20 byte(s); expected 32");
    expect_error(&call(wire::callnum::S2C, 18), 0, "shorter than the 20-byte header");
    assert_eq!(open_fds(), before, "rejected descriptors were closed");
}

#[test]
fn well_formed_calls_still_go_through() {
    let _serial = serial();
    let server = Counting::default();
    let (sink, replies) = sink();
    dispatch_datagram(&server, &checkin(0, 1), fds(1), &sink).expect("checkin with its descriptor");
    let mut with_hash = checkin(-1, 0);
    let mut trailer = [0u8; 16];
    trailer[..8].copy_from_slice(&wire::PROTOCOL_HASH_MAGIC.to_ne_bytes());
    trailer[8..].copy_from_slice(&wire::PROTOCOL_HASH.to_ne_bytes());
    with_hash.extend_from_slice(&trailer);
    dispatch_datagram(&server, &with_hash, Vec::new(), &sink).expect("checkin with the protocol hash");
    let uidgid = wire::call_by_number(wire::callnum::UIDGID).unwrap();
    dispatch_datagram(&server, &call(uidgid.number, uidgid.call_size), Vec::new(), &sink).expect("uidgid");
    assert_eq!(server.calls.load(Ordering::SeqCst), 3);
    let replies = replies.lock().unwrap();
    assert_eq!(replies.len(), 3);
    assert_eq!(replies[2].describe(), "1:1 uidgid(new_uid=0, new_gid=0) -> 0 (old_uid=1, old_gid=2)");
    let decoded = decode::reply(&replies[2].bytes).expect("decoding the reply");
    assert_eq!(decoded.to_string(), "-> 0 (old_uid=1, old_gid=2)");
}

#[test]
fn unimplemented_calls_answer_enosys_and_dropped_contexts_answer() {
    let _serial = serial();
    let server = Counting::default();
    let (sink, replies) = sink();
    let info = wire::call_by_number(wire::callnum::STARTED_SUSPENDED).unwrap();
    dispatch_datagram(&server, &call(info.number, info.call_size), Vec::new(), &sink).expect("dispatch");
    let replies = replies.lock().unwrap();
    assert_eq!(replies[0].code, -nix::libc::ENOSYS);
    assert_eq!(replies[0].describe(), "1:1 started_suspended() -> -ENOSYS (-38) (suspended=false)");
}

/// A small deterministic generator, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn random_datagrams_never_panic_or_leak() {
    let _serial = serial();
    let before = open_fds();
    let server = Counting::default();
    let (sink, _replies) = sink();
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut rejected = 0;
    let cases = 20_000;
    for i in 0..cases {
        let len = (rng.next() % 120) as usize;
        let mut bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        // Half the cases start with a real call number, so the body checks get exercised too.
        if i % 2 == 0 && len >= 4 {
            let info = &wire::CALLS[(rng.next() % wire::CALLS.len() as u64) as usize];
            bytes[..4].copy_from_slice(&info.number.to_ne_bytes());
            if i % 4 == 0 {
                bytes.resize(info.call_size, 0);
            }
        }
        let fd_count = (rng.next() % 4) as usize;
        // The decoder must not panic on anything either.
        let _ = decode::call(&bytes);
        let _ = decode::reply(&bytes);
        match dispatch_datagram(&server, &bytes, fds(fd_count), &sink) {
            Ok(()) => {}
            Err(e) => {
                assert!(!e.to_string().is_empty());
                rejected += 1;
            }
        }
    }
    eprintln!("{cases} random datagrams: {rejected} rejected, {} dispatched", cases - rejected);
    assert!(rejected > cases / 2);
    drop(_replies);
    assert_eq!(open_fds(), before, "no descriptor leaked");
}

#[test]
fn decode_errors_are_values() {
    let _serial = serial();
    let e = DecodeError::UnknownCall { number: 5, pid: 1, tid: 2 };
    assert_eq!(e.to_string(), "unknown call number 0x5 from 1:2");
}
