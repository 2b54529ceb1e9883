//! The shape of the code, kept by a test: layers import only downward
//! (the table below is the one in `src/lib.rs` and docs/development.md, "Layout"),
//! no cycles between top-level modules, and none between files in any
//! folder (a `mod.rs` that re-exports a file counts as importing it), the
//! command-line types only in `cli/` and `cmd/`, functions of at most 80
//! lines, and no `unwrap` or `expect` in product code without a comment
//! saying why it cannot fail.
//!
//! It reads `src/` as text: comments, strings and `#[cfg(test)]` modules
//! are left out before anything is looked for.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first: a module may use modules of a lower rank, and
/// modules of its own rank as long as no cycle forms.
const LAYERS: [(&str, u8); 14] = [
    ("base", 0),
    ("model", 1),
    ("kolada", 2),
    ("source", 3),
    ("catalogue", 4),
    ("refdata", 4),
    ("resolve", 5),
    ("analysis", 6),
    ("document", 7),
    ("render", 8),
    ("ops", 9),
    ("cli", 10),
    ("cmd", 11),
    ("bench", 12),
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
                "{}: the module '{top}' is in no layer; add it to the table in src/lib.rs, docs/development.md and this test",
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

/// The paths of a `use` tree or a path in code, starting at `chars[*at]`:
/// `a::{b, c::d}` gives `a::b` and `a::c::d`; `self` in a group is the
/// path before it.
fn path_tree(chars: &[char], at: &mut usize) -> Vec<Vec<String>> {
    let skip = |at: &mut usize| {
        while chars.get(*at).is_some_and(|c| c.is_whitespace()) {
            *at += 1;
        }
    };
    skip(at);
    if chars.get(*at) == Some(&'{') {
        *at += 1;
        let mut out = Vec::new();
        while *at < chars.len() {
            skip(at);
            match chars.get(*at) {
                Some('}') => {
                    *at += 1;
                    break;
                }
                Some(',') => *at += 1,
                _ => {
                    let before = *at;
                    out.extend(path_tree(chars, at));
                    if *at == before {
                        *at += 1;
                    }
                }
            }
        }
        return out;
    }
    let mut name = String::new();
    while let Some(&c) = chars.get(*at) {
        if c.is_alphanumeric() || c == '_' {
            name.push(c);
            *at += 1;
        } else {
            break;
        }
    }
    if name.is_empty() {
        return vec![Vec::new()];
    }
    let name = if name == "self" {
        Vec::new()
    } else {
        vec![name]
    };
    let mut probe = *at;
    skip(&mut probe);
    if chars.get(probe) == Some(&':') && chars.get(probe + 1) == Some(&':') {
        *at = probe + 2;
        return path_tree(chars, at)
            .into_iter()
            .map(|rest| name.iter().cloned().chain(rest).collect())
            .collect();
    }
    // `name as alias`: the alias is no part of the path.
    if chars[probe..].starts_with(&['a', 's'])
        && chars.get(probe + 2).is_some_and(|c| c.is_whitespace())
    {
        *at = probe + 2;
        skip(at);
        while chars
            .get(*at)
            .is_some_and(|c| c.is_alphanumeric() || *c == '_')
        {
            *at += 1;
        }
    }
    vec![name]
}

/// Every module path a file names: `crate::…`, `super::…` and, in `use`
/// declarations, paths that begin with a child module of its own.
fn named_paths(source: &Source, modules: &BTreeSet<Vec<String>>) -> Vec<Vec<String>> {
    let chars: Vec<char> = source.code.chars().collect();
    let text: String = chars.iter().collect();
    let mut out = Vec::new();
    let starts = |word: &str| -> Vec<usize> {
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(pos) = text[from..].find(word) {
            let at = from + pos;
            from = at + word.len();
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            found.push(text[..at].chars().count());
        }
        found
    };
    for at in starts("crate::") {
        let mut i = at + "crate::".len();
        out.extend(path_tree(&chars, &mut i));
    }
    for at in starts("super::") {
        let mut i = at;
        let mut base = source.module.clone();
        while chars[i..].starts_with(&['s', 'u', 'p', 'e', 'r', ':', ':']) {
            base.pop();
            i += "super::".len();
        }
        for rest in path_tree(&chars, &mut i) {
            out.push(base.iter().cloned().chain(rest).collect());
        }
    }
    // A path that begins with a child module of the file's own: in a `use`
    // (`use bars::Bars;`, `use lines::{a, b}`) or in code (`years::sheet(…)`).
    let children = modules
        .iter()
        .filter(|m| m.len() == source.module.len() + 1 && m.starts_with(&source.module))
        .filter_map(|m| m.last());
    for child in children {
        for at in starts(&format!("{child}::")) {
            let mut i = at;
            for path in path_tree(&chars, &mut i) {
                out.push(source.module.iter().cloned().chain(path).collect());
            }
        }
    }
    for at in starts("use ") {
        let mut i = at + "use ".len();
        for path in path_tree(&chars, &mut i) {
            let mut child = source.module.clone();
            child.extend(path.first().cloned());
            if !path.is_empty() && modules.contains(&child) {
                out.push(source.module.iter().cloned().chain(path).collect());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Files by what they import: an edge to the module file that defines the
/// longest prefix of each path a file names.
fn file_graph() -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    let sources = sources();
    let by_module: BTreeMap<Vec<String>, PathBuf> = sources
        .iter()
        .map(|s| (s.module.clone(), s.path.clone()))
        .collect();
    let modules: BTreeSet<Vec<String>> = by_module.keys().cloned().collect();
    let mut graph: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    for source in &sources {
        let edges = graph.entry(source.path.clone()).or_default();
        for path in named_paths(source, &modules) {
            let Some(target) = (1..=path.len())
                .rev()
                .find_map(|n| by_module.get(&path[..n]))
            else {
                continue;
            };
            if *target != source.path {
                edges.insert(target.clone());
            }
        }
    }
    graph
}

/// The groups of files that import each other, round and round (the
/// strongly connected components of more than one file).
fn file_cycles(graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Vec<Vec<PathBuf>> {
    let reaches = |from: &PathBuf| -> BTreeSet<PathBuf> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(node) = todo.pop() {
            for next in graph.get(&node).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let reach: BTreeMap<&PathBuf, BTreeSet<PathBuf>> =
        graph.keys().map(|node| (node, reaches(node))).collect();
    let mut cycles: Vec<Vec<PathBuf>> = Vec::new();
    for (node, from_node) in &reach {
        if cycles.iter().any(|c| c.contains(node)) {
            continue;
        }
        let together: Vec<PathBuf> = from_node
            .iter()
            .filter(|other| reach.get(other).is_some_and(|r| r.contains(*node)))
            .cloned()
            .collect();
        if together.len() > 1 {
            cycles.push(together);
        }
    }
    cycles
}

#[test]
fn no_file_imports_a_file_that_imports_it_back() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let cycles: Vec<String> = file_cycles(&file_graph())
        .into_iter()
        .map(|files| {
            files
                .iter()
                .map(|f| f.strip_prefix(&root).unwrap_or(f).display().to_string())
                .collect::<Vec<_>>()
                .join(" ↔ ")
        })
        .collect();
    assert!(
        cycles.is_empty(),
        "files that import each other (move what both need into a file of its own):\n{}",
        cycles.join("\n")
    );
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
    let mut at = 0;
    let tree: Vec<char> = "a::{b, c::{self, d}}, e".chars().collect();
    assert_eq!(
        path_tree(&tree, &mut at),
        [vec!["a", "b"], vec!["a", "c"], vec!["a", "c", "d"]]
    );
    // A file that names a sibling through `super::`, a child through
    // `use`, and one that re-exports it back: found as a cycle.
    let modules: BTreeSet<Vec<String>> = [vec!["out"], vec!["out", "a"], vec!["out", "b"]]
        .into_iter()
        .map(|m| m.into_iter().map(String::from).collect())
        .collect();
    let file = |module: &[&str], code: &str| Source {
        path: PathBuf::from(module.join("/")),
        module: module.iter().map(|m| m.to_string()).collect(),
        code: blank(code),
        lines: Vec::new(),
    };
    let a = file(
        &["out", "a"],
        "use super::b::{x, y as z};\nfn f() { super::f(); }\n",
    );
    let parent = file(
        &["out"],
        "mod a;\nmod b;\npub(crate) use a::x;\nfn g() { b::h() }\n",
    );
    let paths = |list: &[&[&str]]| -> Vec<Vec<String>> {
        list.iter()
            .map(|p| p.iter().map(|s| s.to_string()).collect())
            .collect()
    };
    assert_eq!(
        named_paths(&a, &modules),
        paths(&[&["out", "b", "x"], &["out", "b", "y"], &["out", "f"]])
    );
    assert_eq!(
        named_paths(&parent, &modules),
        paths(&[&["out", "a", "x"], &["out", "b", "h"]])
    );
    let graph: BTreeMap<PathBuf, BTreeSet<PathBuf>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(from, to)| {
        (
            PathBuf::from(from),
            to.into_iter().map(PathBuf::from).collect(),
        )
    })
    .collect();
    assert_eq!(
        file_cycles(&graph),
        [vec![
            PathBuf::from("a"),
            PathBuf::from("b"),
            PathBuf::from("c")
        ]]
    );
    let tested = without_tests("fn a() {}\n#[cfg(test)]\nmod tests {\n fn b() { x.unwrap() }\n}\n");
    assert!(!tested.contains("unwrap"));
    assert_eq!(functions("fn f() {\n  1\n}\n"), [("f".to_string(), 1, 3)]);
}
