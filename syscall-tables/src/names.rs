//! The names an entry goes by in each output, decided in one place so that check and lower agree.

use codegen::names::{rust_ident_name, to_snake_case, to_upper_camel_case};

/// The name the names table, `SYS_` defines and argument structures use: the function without a
/// `sys_` prefix (XNU names kernel functions `sys_close` where `close` would clash).
pub fn table_name(function: &str) -> String {
    function.strip_prefix("sys_").filter(|rest| !rest.is_empty()).unwrap_or(function).to_string()
}

/// The Rust method and enum variant for a call whose table name is `name`. Leading underscores
/// (`__pthread_kill`) are dropped: they mark private libc entry points in C and mean "unused" in Rust.
pub fn rust_names(name: &str) -> (String, String) {
    let trimmed = name.trim_start_matches('_');
    let trimmed = if trimmed.is_empty() { name } else { trimmed };
    let method = rust_ident_name(&to_snake_case(trimmed));
    let variant = rust_ident_name(&to_upper_camel_case(trimmed));
    (method, variant)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_per_output() {
        assert_eq!(table_name("sys_close"), "close");
        assert_eq!(table_name("read"), "read");
        assert_eq!(table_name("sys_"), "sys_");
        assert_eq!(rust_names("__pthread_kill"), ("pthread_kill".to_string(), "PthreadKill".to_string()));
        assert_eq!(rust_names("_kernelrpc_mach_vm_map_trap").1, "KernelrpcMachVmMapTrap");
        assert_eq!(rust_names("wait4"), ("wait4".to_string(), "Wait4".to_string()));
    }
}
