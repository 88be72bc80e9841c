//! Widening a 32-bit caller's arguments to the 64-bit slots the tables use.
//!
//! An i386 program passes a call's arguments as consecutive 32-bit words; a 64-bit value takes two
//! (low word first). XNU names the conversion after the argument list, one letter per argument: `w` a
//! word zero-extended, `s` a word sign-extended, `l` two words combined (`munge_wwl`). The same strings
//! are in every [`super::CallInfo`].

/// The most arguments a call has.
pub const MAX_ARGS: usize = 8;

/// The 64-bit arguments for `munger` (`munge_wwl`, or `munge_` for none) from `words`. `None` when the
/// munger names an unknown letter, more than [`MAX_ARGS`] arguments, or more words than were passed.
pub fn munge32(munger: &str, words: &[u32]) -> Option<[u64; MAX_ARGS]> {
    let letters = munger.strip_prefix("munge_")?;
    let mut args = [0u64; MAX_ARGS];
    let mut next = 0;
    for (i, letter) in letters.chars().enumerate() {
        let slot = args.get_mut(i)?;
        *slot = match letter {
            'w' => u64::from(*words.get(next)?),
            's' => i64::from(*words.get(next)? as i32) as u64,
            'l' => {
                let low = u64::from(*words.get(next)?);
                let high = u64::from(*words.get(next + 1)?);
                next += 1;
                (high << 32) | low
            }
            _ => return None,
        };
        next += 1;
    }
    Some(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_sign_extension_and_longs() {
        let args = munge32("munge_wsl", &[7, 0xffff_fffe, 0x89ab_cdef, 0x0123_4567]).unwrap();
        assert_eq!(&args[..3], &[7, (-2i64) as u64, 0x0123_4567_89ab_cdef]);
        assert_eq!(munge32("munge_", &[]), Some([0; MAX_ARGS]));
        assert_eq!(munge32("munge_wl", &[1, 2]), None);
        assert_eq!(munge32("munge_x", &[1]), None);
        assert_eq!(munge32("wl", &[1, 2, 3]), None);
        assert_eq!(munge32("munge_wwwwwwwww", &[0; 9]), None);
    }
}
