//! `-iheader FILE`: the internal header. As Apple's mig writes it, one line per routine,
//! `#define <user function> <user function>_external`: a kernel that both serves an interface and
//! calls it includes this before the user header, so that its own user stubs do not take the names
//! of the kernel functions that implement the routines.
//!
//! Apple's mig writes the file only for a `KernelServer` subsystem and gives it no guard and no
//! includes; migc writes it whenever it is asked for (the same lines), after its preamble.

use codegen::{CWriter, CommentStyle, preamble};

use super::FileNames;
use crate::model::*;

/// The internal header for `module`.
pub fn emit(module: &Module, names: &FileNames) -> String {
    let mut w = CWriter::new();
    for routine in module.real_routines() {
        let user = format!("{}{}", module.user_prefix, routine.name);
        w.directive(&format!("#define {user} {user}_external"));
    }
    w.finish(&preamble("migc", &names.source, CommentStyle::C))
}
