//! Behaviour of the public API beyond what the fixtures show: the source map through includes and
//! macros, dependencies and source names, `-D`/`-U` order, include search order, limits, and a
//! property test that arbitrary input never panics and always maps back into its files.

use std::path::{Path, PathBuf};

use codegen::Sources;
use migc_cpp::{MacroOption, Options, Output, preprocess_file, preprocess_str};
use proptest::prelude::*;

fn pp(text: &str, options: &Options) -> (Result<Output, codegen::Diagnostics>, Sources) {
    let mut sources = Sources::new();
    let result = preprocess_str("main.defs", text, options, &mut sources);
    (result, sources)
}

fn ok(text: &str) -> String {
    let (result, sources) = pp(text, &Options::new());
    match result {
        Ok(output) => output.text.split_whitespace().collect::<Vec<_>>().join(" "),
        Err(d) => panic!("{}", d.render(&sources)),
    }
}

fn errors(text: &str) -> String {
    let (result, sources) = pp(text, &Options::new());
    match result {
        Ok(output) => panic!("accepted: {}", output.text),
        Err(d) => d.items.iter().map(|d| d.render_short(&sources)).collect::<Vec<_>>().join("\n"),
    }
}

/// `file:line:col` of the first byte of `needle` (its `nth` occurrence) in the output, and the text
/// the mapped span covers.
fn locate(output: &Output, sources: &Sources, needle: &str, nth: usize) -> (String, String) {
    let offset =
        output.text.match_indices(needle).nth(nth).unwrap_or_else(|| panic!("`{needle}` not in output")).0;
    let span = output.map.span(offset..offset + needle.len()).expect("mapped");
    let (line, col) = sources.line_col(span.file, span.start);
    (format!("{}:{line}:{col}", sources.name(span.file)), sources.text(span.file)[span.range()].to_string())
}

/// A scratch directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("migc-cpp-api-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.0.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn map_points_into_included_files_and_macro_invocations() {
    let options = Options::new().include_dir("tests/data/include");
    let mut sources = Sources::new();
    let output = preprocess_file(Path::new("tests/data/ok/include.defs"), &options, &mut sources).unwrap();
    // A token inside an included header maps to the header.
    assert_eq!(
        locate(&output, &sources, "angled_t", 0),
        ("tests/data/include/sub/angled.h:1:6".into(), "angled_t".into())
    );
    // A header included from a header, found in the includer's directory.
    assert_eq!(locate(&output, &sources, "sibling_t", 0).0, "tests/data/include/sub/sibling.h:1:6");
    // Text after the includes maps back into the main file.
    assert_eq!(locate(&output, &sources, "routine uses", 0).0, "tests/data/ok/include.defs:9:1");
    // An object-like macro's expansion maps to its invocation.
    assert_eq!(
        locate(&output, &sources, "42", 1),
        ("tests/data/ok/include.defs:9:29".into(), "FROM_HEADER".into())
    );
}

#[test]
fn map_points_at_invocations_and_at_arguments_that_pass_through() {
    let text = "#define PREFIX(NAME) _kernelrpc_ ## NAME\n#define ID(x) x\n\
                routine PREFIX(vm_read)(\n    target : ID( vm_map_t ));\n";
    let (result, sources) = pp(text, &Options::new());
    let output = result.unwrap();
    // Pasted: the whole invocation, name through closing parenthesis.
    assert_eq!(
        locate(&output, &sources, "_kernelrpc_vm_read", 0),
        ("main.defs:3:9".into(), "PREFIX(vm_read)".into())
    );
    // An argument that comes out unchanged keeps its own position.
    assert_eq!(locate(&output, &sources, "vm_map_t", 0), ("main.defs:4:18".into(), "vm_map_t".into()));
    // Text around the invocations is verbatim.
    assert_eq!(locate(&output, &sources, "target", 0).0, "main.defs:4:5");
}

#[test]
fn output_keeps_the_lines_of_a_file_without_includes() {
    let text =
        "/* header\n   comment */\n#define X 1\ntype a = X;\n#if 0\nskipped\n#endif\n  type b = int;\n";
    let (result, _) = pp(text, &Options::new());
    let output = result.unwrap();
    let lines: Vec<&str> = output.text.lines().collect();
    assert_eq!(lines.len(), text.lines().count(), "{:?}", output.text);
    assert_eq!(lines[3], "type a = 1;");
    assert_eq!(lines[7], "  type b = int;");
}

#[test]
fn dependencies_and_source_names_are_the_paths_files_were_opened_by() {
    let options = Options::new().include_dir("tests/data/include");
    let mut sources = Sources::new();
    let output = preprocess_file(Path::new("tests/data/ok/include.defs"), &options, &mut sources).unwrap();
    let expected: Vec<PathBuf> = [
        "tests/data/ok/include.defs",
        "tests/data/include/inc_quoted.h",
        "tests/data/include/sub/angled.h",
        "tests/data/include/sub/sibling.h",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    assert_eq!(output.dependencies, expected);
    // Each file is read (and added to the sources) once, however often it is included.
    assert_eq!(sources.len(), 4);
    assert_eq!(sources.name(0), "tests/data/ok/include.defs");
}

#[test]
fn preprocess_str_does_not_list_itself() {
    let (result, sources) = pp("type a = int;\n", &Options::new());
    let output = result.unwrap();
    assert!(output.dependencies.is_empty());
    assert_eq!(sources.name(0), "main.defs");
}

#[test]
fn include_dirs_come_before_the_includers_directory() {
    let tmp = TempDir::new("order");
    let main = tmp.write("src/main.defs", "#include \"x.h\"\n");
    tmp.write("src/x.h", "type from_includer_dir = int;\n");
    tmp.write("inc/x.h", "type from_include_dir = int;\n");
    let mut sources = Sources::new();
    let options = Options::new().include_dir(tmp.0.join("inc"));
    let output = preprocess_file(&main, &options, &mut sources).unwrap();
    assert!(output.text.contains("from_include_dir"), "{}", output.text);
    let output = preprocess_file(&main, &Options::new(), &mut sources).unwrap();
    assert!(output.text.contains("from_includer_dir"), "{}", output.text);
}

#[test]
fn import_includes_once() {
    let tmp = TempDir::new("import");
    let main = tmp.write("main.defs", "#import \"a.h\"\n#import \"a.h\"\n#include \"a.h\"\n");
    tmp.write("a.h", "type a = int;\n");
    let mut sources = Sources::new();
    let output = preprocess_file(&main, &Options::new(), &mut sources).unwrap();
    assert_eq!(output.text.matches("type a").count(), 2, "{}", output.text);
}

#[test]
fn file_macro_names_the_included_file() {
    let tmp = TempDir::new("file");
    let main = tmp.write("main.defs", "#include \"h.h\"\n__FILE__ __LINE__\n");
    tmp.write("h.h", "\n__FILE__ __LINE__\n");
    let mut sources = Sources::new();
    let output = preprocess_file(&main, &Options::new(), &mut sources).unwrap();
    let h = tmp.0.join("h.h").display().to_string();
    let m = main.display().to_string();
    let words: Vec<&str> = output.text.split_whitespace().collect();
    assert_eq!(words, [format!("\"{h}\""), "2".into(), format!("\"{m}\""), "2".into()]);
}

#[test]
fn command_line_macros_apply_in_order() {
    let mut options = Options::new();
    options.macros = vec![
        MacroOption::parse_define("A"),
        MacroOption::parse_define("B=2"),
        MacroOption::parse_define("F(x)=(x + B)"),
        MacroOption::parse_define("GONE=1"),
        MacroOption::Undefine("GONE".into()),
    ];
    let (result, _) = pp("A B F(3) GONE\n#ifdef GONE\nbad\n#endif\n", &options);
    let text = result.unwrap().text;
    assert_eq!(text.split_whitespace().collect::<Vec<_>>().join(" "), "1 2 (3 + 2) GONE");
}

#[test]
fn a_bad_command_line_macro_is_located_in_the_command_line() {
    let options = Options::new().define("3x", None);
    let (result, sources) = pp("", &options);
    let d = result.unwrap_err();
    assert_eq!(
        d.items[0].render_short(&sources),
        "<command line>:1:9: error: macro names must be identifiers"
    );
}

#[test]
fn painted_blue_names_follow_c() {
    // The C standard's own examples of rescanning, where nothing is recursive.
    assert_eq!(ok("#define f(a) a*g\n#define g(a) f(a)\nf(2)(9)"), "2*9*g");
    assert_eq!(ok("#define f(x) x\nf(f) f(f)"), "f f");
    assert_eq!(ok("#define AA BB\n#define BB(x) x\nAA AA(1)"), "BB 1");
}

#[test]
fn a_macro_invoked_inside_its_own_expansion_is_recursion() {
    // C prints these as `2 f(2 * (1))` and `ID(1)`: the inner invocation stays in the output.
    let e = errors("#define x 3\n#define f(a) f(x * (a))\n#undef x\n#define x 2\n#define g f\nx g(1)");
    assert_eq!(e, "main.defs:6:3: error: recursive macro `f`");
    let e = errors("#define ID(x) x\nID(ID)(1)");
    assert_eq!(e, "main.defs:2:4: error: recursive macro `ID`");
}

#[test]
fn self_reference_is_reported_once_per_site() {
    let e = errors("#define foo foo\nfoo foo\n");
    assert_eq!(e.lines().count(), 2, "{e}");
    assert!(e.starts_with("main.defs:2:1: error: recursive macro `foo`"), "{e}");
}

#[test]
fn deeply_nested_arguments_are_an_error_not_a_stack_overflow() {
    let text = format!("#define F(x) x\n{}1{}\n", "F(".repeat(300), ")".repeat(300));
    let e = errors(&text);
    assert!(e.contains("macro invocations nested too deeply in macro arguments"), "{e}");
}

#[test]
fn deeply_nested_if_expressions_are_an_error_not_a_stack_overflow() {
    let text = format!("#if {}1{}\n#endif\n", "(".repeat(5000), ")".repeat(5000));
    assert!(errors(&text).contains("expression nested too deeply"));
    let text = format!("#if {}1\n#endif\n", "!".repeat(5000));
    assert!(errors(&text).contains("expression nested too deeply"));
}

#[test]
fn skipped_groups_are_not_evaluated() {
    assert_eq!(ok("#if 0\n#if 1/0\n#elif garbage(\n#endif\n#error no\n#endif\nok"), "ok");
    assert_eq!(ok("#if 1\na\n#elif 1/0\nb\n#else\nc\n#endif"), "a");
}

#[test]
fn directives_inside_macro_arguments_run_in_order() {
    assert_eq!(ok("#define F(x) [x]\nF(a\n#define B b\nB)"), "[a b]");
    assert_eq!(ok("#define G(x) <x>\nG\n#if 1\n(yes)\n#endif"), "<yes>");
}

#[test]
fn tokens_never_run_together() {
    assert_eq!(ok("#define E\n#define P +\n-E- +P x/E/y"), "- - + + x/ /y");
    assert_eq!(ok("#define CAT(a,b) a b\nCAT(x,y)1"), "x y 1");
    let (result, _) = pp("#define CAT(a,b) a b\nCAT(x,y)1", &Options::new());
    assert!(result.unwrap().text.contains("x y 1"));
}

/// Inputs built from the pieces preprocessors trip over, so random strings reach deep paths.
fn fragments() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("#define ".to_string()),
        Just("#undef ".to_string()),
        Just("#if ".to_string()),
        Just("#ifdef ".to_string()),
        Just("#elif ".to_string()),
        Just("#else".to_string()),
        Just("#endif".to_string()),
        Just("#include ".to_string()),
        Just("#line ".to_string()),
        Just("#error ".to_string()),
        Just("\n".to_string()),
        Just("\\\n".to_string()),
        Just(" ".to_string()),
        Just("/*".to_string()),
        Just("*/".to_string()),
        Just("//".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just(",".to_string()),
        Just("#".to_string()),
        Just("##".to_string()),
        Just("...".to_string()),
        Just("__VA_ARGS__".to_string()),
        Just("defined".to_string()),
        Just("__LINE__".to_string()),
        Just("f".to_string()),
        Just("g".to_string()),
        Just("x".to_string()),
        Just("0".to_string()),
        Just("1".to_string()),
        Just("/".to_string()),
        Just("%".to_string()),
        Just("?".to_string()),
        Just(":".to_string()),
        Just("<".to_string()),
        Just(">".to_string()),
        Just("é".to_string()),
        "[a-z0-9]{1,3}".prop_map(|s| s),
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_input_never_panics_and_maps_into_its_files(text in fragments()) {
        let mut sources = Sources::new();
        match preprocess_str("fuzz.defs", &text, &Options::new(), &mut sources) {
            Ok(output) => {
                for offset in 0..output.text.len() {
                    let span = output.map.locate(offset).expect("every byte is mapped");
                    prop_assert!(span.start <= span.end && span.end <= sources.text(span.file).len() + 1,
                        "byte {offset} maps outside its file: {span:?}");
                }
            }
            Err(diagnostics) => {
                prop_assert!(diagnostics.has_errors());
                // Every error points inside its file and renders with its place.
                let problem = diagnostics.placement_problem(&sources, false);
                prop_assert!(problem.is_none(), "{}", problem.unwrap_or_default());
            }
        }
    }
}

#[test]
fn a_file_changed_between_runs_is_read_again() {
    let tmp = TempDir::new("cache");
    let main = tmp.write("main.defs", "#include \"h.h\"\n");
    tmp.write("h.h", "type before = int;\n");
    let mut sources = Sources::new();
    let first = preprocess_file(&main, &Options::new(), &mut sources).unwrap();
    assert!(first.text.contains("before"));
    tmp.write("h.h", "type after_the_change = int;\n");
    let second = preprocess_file(&main, &Options::new(), &mut sources).unwrap();
    assert!(second.text.contains("after_the_change"), "{}", second.text);
}
