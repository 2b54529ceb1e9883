//! The shape of the code, kept by a test: layers import only downward
//! (the table below is the one in `src/lib.rs` and the README's "Layout"),
//! no cycles between top-level modules, the command-line types only in
//! `cli/` and `cmd/`, functions of at most 80 lines, and no `unwrap` or
//! `expect` in product code without a comment saying why it cannot fail.
//!
//! It reads `src/` as text: comments, strings and `#[cfg(test)]` modules
//! are left out before anything is looked for.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first: a module may use modules of a lower rank, and
/// modules of its own rank as long as no cycle forms.
const LAYERS: [(&str, u8); 13] = [
    ("base", 0),
    ("model", 1),
    ("kolada", 2),
    ("source", 3),
    ("catalogue", 4),
    ("refdata", 4),
    ("resolve", 5),
    ("analysis", 6),
    ("output", 7),
    ("ops", 8),
    ("cli", 9),
    ("cmd", 10),
    ("bench", 11),
];

/// Where the command line may be spoken: clap, indicatif, stderr and
/// stdout prints, the global flags.
const CLI_ONLY: [&str; 8] = [
    "clap::",
    "clap_complete",
    "clap_mangen",
    "indicatif",
    "eprintln!",
    "println!",
    "GlobalArgs",
    "std::process::exit",
];

const MAX_FUNCTION_LINES: usize = 80;

struct Source {
    path: PathBuf,
    /// The module path inside the crate: ["source", "cache"]; [] for lib.rs.
    module: Vec<String>,
    /// The text with comments and literals blanked, test modules removed;
    /// line breaks kept, so line numbers stay true.
    code: String,
    /// The original lines, for the comments next to an `unwrap`.
    lines: Vec<String>,
}

fn sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let relative = path.strip_prefix(&root).unwrap();
            let mut module: Vec<String> = relative
                .iter()
                .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
                .collect();
            if matches!(
                module.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                module.pop();
            }
            Source {
                code: without_tests(&blank(&text)),
                lines: text.lines().map(str::to_string).collect(),
                path,
                module,
            }
        })
        .collect()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Comments, strings and character literals replaced by spaces (line
/// breaks kept).
fn blank(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let keep = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(keep(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !ident_before(&chars, i) {
            let mut hashes = 0;
            let mut j = i + 1;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            out.push('"');
            for _ in i + 1..=j {
                out.push(' ');
            }
            i = j + 1;
            while i < chars.len() {
                let closes =
                    chars[i] == '"' && (0..hashes).all(|h| chars.get(i + 1 + h) == Some(&'#'));
                if closes {
                    out.push('"');
                    for _ in 0..hashes {
                        out.push(' ');
                    }
                    i += 1 + hashes;
                    break;
                }
                out.push(keep(chars[i]));
                i += 1;
            }
        } else if c == '"' {
            out.push('"');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(keep(chars[i]));
                    i += 1;
                }
            }
            out.push('"');
            i += 1;
        } else if c == '\'' && (chars.get(i + 2) == Some(&'\'') || next == Some('\\')) {
            // A character literal ('a', '\n', '\u{a0}'); a lifetime has no closing quote.
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                out.push(' ');
                i += 1;
            }
            out.push(' ');
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_before(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

/// The text without `#[cfg(test)]` items (their lines kept empty).
fn without_tests(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let Some(open) = after.find('{') else {
            out.push_str(after);
            return out;
        };
        let mut depth = 0;
        let mut end = after.len();
        for (i, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.extend(
            after[..end]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' }),
        );
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

fn rank(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, r)| *r)
}

/// The top-level modules a file uses: `crate::x`, `crate::{x, y::z}`, and
/// `super::` paths that climb to the crate root.
fn uses(source: &Source) -> BTreeSet<String> {
    let code = &source.code;
    let mut found = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in code.match_indices("crate::") {
        let before = code.as_bytes()[..at].last().copied().unwrap_or(b' ');
        if before.is_ascii_alphanumeric() || before == b'_' || before == b'$' {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            let mut depth = 0;
            let mut item = String::new();
            for c in inner.chars().chain([',']) {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        let name = ident(item.trim());
                        if !name.is_empty() && name != "self" {
                            found.insert(name);
                        }
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
        } else {
            found.insert(ident(rest));
        }
    }
    // super:: from a file's own module, climbing as many levels as it names.
    for (at, _) in code.match_indices("super::") {
        if code[..at].ends_with("super::") {
            continue;
        }
        let mut rest = &code[at..];
        let mut levels = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            levels += 1;
            rest = r;
        }
        if levels == source.module.len() {
            let name = ident(rest);
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found.retain(|m| rank(m).is_some());
    found
}

fn line_of(code: &str, at: usize) -> usize {
    code[..at].matches('\n').count() + 1
}

#[test]
fn every_top_level_module_is_in_the_layer_table() {
    for source in sources() {
        if let Some(top) = source.module.first() {
            assert!(
                rank(top).is_some(),
                "{}: the module '{top}' is in no layer; add it to the table in src/lib.rs, the README and this test",
                source.path.display()
            );
        }
    }
}

#[test]
fn layers_import_only_downward_and_form_no_cycle() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut wrong = Vec::new();
    for source in sources() {
        let Some(top) = source.module.first() else {
            continue;
        };
        let Some(own) = rank(top) else { continue };
        for used in uses(&source) {
            if used == *top {
                continue;
            }
            let theirs = rank(&used).unwrap_or(0);
            if theirs > own {
                wrong.push(format!(
                    "{} ({top}, layer {own}) uses {used} (layer {theirs})",
                    source.path.display()
                ));
            }
            graph.entry(top.clone()).or_default().insert(used);
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that point up:\n{}",
        wrong.join("\n")
    );
    // Depth-first search for a cycle among the top-level modules.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(cycle) = visit(node, &graph, &mut Vec::new(), &mut done) {
            panic!("an import cycle: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn command_line_types_live_only_in_cli_and_cmd() {
    let mut wrong = Vec::new();
    for source in sources() {
        let allowed = match source.module.first().map(String::as_str) {
            None | Some("cli" | "cmd" | "bench") => true,
            Some(_) => false,
        };
        if allowed {
            continue;
        }
        for word in CLI_ONLY {
            for (at, _) in source.code.match_indices(word) {
                wrong.push(format!(
                    "{}:{}: {word}",
                    source.path.display(),
                    line_of(&source.code, at)
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "command-line types outside cli/ and cmd/ (lower layers report through base::progress and return notes):\n{}",
        wrong.join("\n")
    );
}

/// Each `fn` with a body: (name, first line, number of lines).
fn functions(code: &str) -> Vec<(String, usize, usize)> {
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    for (at, _) in code.match_indices("fn ") {
        if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
            continue;
        }
        let name: String = code[at + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue;
        }
        // The body opens at the first `{` before any `;` (a declaration
        // without a body, as in a trait, ends at `;`).
        let rest = &code[at..];
        let (Some(open), semi) = (rest.find('{'), rest.find(';')) else {
            continue;
        };
        if semi.is_some_and(|s| s < open) {
            continue;
        }
        let mut depth = 0;
        for (i, c) in rest[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        let first = line_of(code, at);
                        let last = line_of(code, at + open + i);
                        out.push((name, first, last - first + 1));
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    out
}

#[test]
fn no_function_is_longer_than_80_lines() {
    let mut long = Vec::new();
    for source in sources() {
        for (name, line, lines) in functions(&source.code) {
            if lines > MAX_FUNCTION_LINES {
                long.push(format!(
                    "{}:{line}: fn {name} has {lines} lines",
                    source.path.display()
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FUNCTION_LINES} lines (split them where the steps are):\n{}",
        long.join("\n")
    );
}

#[test]
fn every_unwrap_in_product_code_says_why_it_cannot_fail() {
    let mut unexplained = Vec::new();
    for source in sources() {
        for pattern in [".unwrap()", ".expect("] {
            for (at, _) in source.code.match_indices(pattern) {
                let line = line_of(&source.code, at);
                // The reason, in a comment on the line or just above it.
                let explained = (line.saturating_sub(3)..line).any(|l| {
                    source
                        .lines
                        .get(l)
                        .is_some_and(|text| text.contains("cannot fail"))
                });
                if !explained {
                    unexplained.push(format!("{}:{line}", source.path.display()));
                }
            }
        }
    }
    assert!(
        unexplained.is_empty(),
        "unwrap/expect without a comment saying why it cannot fail (\"cannot fail: …\"):\n{}",
        unexplained.join("\n")
    );
}

#[test]
fn the_scanner_sees_code_not_comments_or_strings() {
    let code = blank("let a = \"crate::cli\"; // crate::cmd\nuse crate::{model, base::text};\n");
    assert!(!code.contains("cli") && !code.contains("cmd"));
    let source = Source {
        path: PathBuf::from("x.rs"),
        module: vec!["output".into()],
        code: without_tests(&code),
        lines: Vec::new(),
    };
    assert_eq!(
        uses(&source).into_iter().collect::<Vec<_>>(),
        ["base", "model"]
    );
    let tested = without_tests("fn a() {}\n#[cfg(test)]\nmod tests {\n fn b() { x.unwrap() }\n}\n");
    assert!(!tested.contains("unwrap"));
    assert_eq!(functions("fn f() {\n  1\n}\n"), [("f".to_string(), 1, 3)]);
}
