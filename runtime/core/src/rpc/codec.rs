//! Reading and writing wire fields at fixed offsets, in native byte order, without panicking.
//!
//! Generated code calls these with offsets rpc-gen computed from the C layout. Lengths are
//! checked before any field is read, so an out-of-range read cannot happen; should one ever be
//! asked for, it yields zero rather than a panic, because the server must survive any input.

use std::os::fd::OwnedFd;

macro_rules! int_codec {
    ($($read:ident $write:ident $ty:ty;)*) => {$(
        #[doc = concat!("Reads a `", stringify!($ty), "` at `offset`.")]
        pub fn $read(bytes: &[u8], offset: usize) -> $ty {
            const N: usize = std::mem::size_of::<$ty>();
            bytes
                .get(offset..offset + N)
                .and_then(|b| <[u8; N]>::try_from(b).ok())
                .map(<$ty>::from_ne_bytes)
                .unwrap_or_default()
        }

        #[doc = concat!("Writes a `", stringify!($ty), "` at `offset`.")]
        pub fn $write(bytes: &mut [u8], offset: usize, value: $ty) {
            const N: usize = std::mem::size_of::<$ty>();
            if let Some(b) = bytes.get_mut(offset..offset + N) {
                b.copy_from_slice(&value.to_ne_bytes());
            }
        }
    )*};
}

int_codec! {
    read_i8 write_i8 i8;
    read_u8 write_u8 u8;
    read_i16 write_i16 i16;
    read_u16 write_u16 u16;
    read_i32 write_i32 i32;
    read_u32 write_u32 u32;
    read_i64 write_i64 i64;
    read_u64 write_u64 u64;
}

/// Reads a C `bool` that was already validated (see [`read_bool_checked`]).
pub fn read_bool(bytes: &[u8], offset: usize) -> bool {
    read_u8(bytes, offset) != 0
}

/// Reads a C `bool`, `None` unless the byte is 0 or 1 (all a C compiler ever stores).
pub fn read_bool_checked(bytes: &[u8], offset: usize) -> Option<bool> {
    match read_u8(bytes, offset) {
        0 => Some(false),
        1 => Some(true),
        _ => None,
    }
}

/// Writes a C `bool`.
pub fn write_bool(bytes: &mut [u8], offset: usize, value: bool) {
    write_u8(bytes, offset, u8::from(value));
}

/// Queues `fd` for `SCM_RIGHTS` and returns the index to put on the wire (-1 for none), as the C
/// wrappers do.
pub fn push_fd(fds: &mut Vec<OwnedFd>, fd: Option<OwnedFd>) -> i32 {
    match fd {
        Some(fd) => {
            fds.push(fd);
            i32::try_from(fds.len() - 1).unwrap_or(-1)
        }
        None => -1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_never_panics_out_of_range() {
        let mut b = [0u8; 16];
        write_i32(&mut b, 4, -2);
        write_u64(&mut b, 8, 0x1122_3344_5566_7788);
        assert_eq!(read_i32(&b, 4), -2);
        assert_eq!(read_u64(&b, 8), 0x1122_3344_5566_7788);
        assert_eq!(read_u64(&b, 12), 0);
        write_u64(&mut b, 100, 1);
        assert_eq!(read_bool_checked(&[2], 0), None);
    }
}
