//! placeholder
use super::FileNames;
use crate::model::Module;
pub fn emit(_m: &Module, _n: &FileNames) -> String {
    String::new()
}
