//! Naming: one [`Names`] record per item, and the single place Rust keywords are escaped.
//!
//! Every generator keeps the name as written in its input (`source`), as C spells it (`c`, with any
//! user or server prefix applied) and as Rust spells it (`rust`). Emitters pick a field; they never
//! re-derive a name, so the C and Rust sides cannot drift apart.

/// The spellings of one item's name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Names {
    /// As written in the input (`mach_port_allocate`, `type`).
    pub source: String,
    /// As C spells it.
    pub c: String,
    /// As Rust spells it: snake case for functions and fields, with keywords mangled.
    pub rust: String,
}

impl Names {
    /// Names for a function, field or argument: C keeps the source spelling, Rust gets a non-keyword
    /// snake-case spelling.
    pub fn snake(source: &str) -> Self {
        Names {
            source: source.to_string(),
            c: source.to_string(),
            rust: rust_ident_name(&to_snake_case(source)),
        }
    }

    /// Names for a type: Rust gets `UpperCamelCase`.
    pub fn camel(source: &str) -> Self {
        Names {
            source: source.to_string(),
            c: source.to_string(),
            rust: rust_ident_name(&to_upper_camel_case(source)),
        }
    }

    /// The same names with a different C spelling (a MIG prefix, say).
    pub fn with_c(mut self, c: impl Into<String>) -> Self {
        self.c = c.into();
        self
    }
}

/// Rust's strict and reserved keywords (2024 edition), which cannot be used as plain identifiers.
const RUST_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
    "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self",
    "static", "struct", "super", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Whether `name` is a Rust keyword.
pub fn is_rust_keyword(name: &str) -> bool {
    // Every keyword is 2 to 8 lowercase ASCII letters (or `Self`): most names are rejected without a
    // comparison.
    (2..=8).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c == 'S')
        && RUST_KEYWORDS.contains(&name)
}

/// The one function that turns a would-be identifier into a legal Rust one. Keywords are mangled into
/// readable names (`type` to `ty`, `crate` to `krate`, anything else gets a trailing underscore) rather
/// than raw identifiers, which read badly in generated code and in docs.
pub fn rust_ident_name(name: &str) -> String {
    let mut name = match name {
        "type" => "ty".to_string(),
        "crate" => "krate".to_string(),
        "self" | "Self" | "super" => format!("{name}_"),
        n if is_rust_keyword(n) => format!("{n}_"),
        n => n.to_string(),
    };
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

/// `mach_port_allocate` and `MachPortAllocate` to `mach_port_allocate`.
pub fn to_snake_case(name: &str) -> String {
    // Names from C are mostly snake case already: nothing to convert.
    if !name.bytes().any(|b| b.is_ascii_uppercase()) {
        return name.to_string();
    }
    let mut out = String::with_capacity(name.len() + 4);
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev_lower = i > 0 && (chars[i - 1].is_ascii_lowercase() || chars[i - 1].is_ascii_digit());
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            let prev_upper = i > 0 && chars[i - 1].is_ascii_uppercase();
            if i > 0 && !out.ends_with('_') && (prev_lower || (prev_upper && next_lower)) {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `mach_port_allocate` to `MachPortAllocate`.
pub fn to_upper_camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = true;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_mangled_not_raw() {
        assert_eq!(rust_ident_name("type"), "ty");
        assert_eq!(rust_ident_name("crate"), "krate");
        assert_eq!(rust_ident_name("match"), "match_");
        assert_eq!(rust_ident_name("gen"), "gen_");
        assert_eq!(rust_ident_name("port"), "port");
        assert_eq!(rust_ident_name("64bit"), "_64bit");
    }

    #[test]
    fn case_conversions() {
        assert_eq!(to_snake_case("MachPortAllocate"), "mach_port_allocate");
        assert_eq!(to_snake_case("already_snake"), "already_snake");
        assert_eq!(to_snake_case("getHTTPHeader"), "get_http_header");
        assert_eq!(to_upper_camel_case("mach_port_allocate"), "MachPortAllocate");
        assert_eq!(Names::camel("type").rust, "Type");
        assert_eq!(Names::snake("type").rust, "ty");
    }
}
