//! No user-visible word in the engine or the charts: every CJK character (U+3400–U+9FFF,
//! U+F900–U+FAFF, U+3000–U+303F, U+FF00–U+FFEF) in `src/engine/**` and `src/charts/**` must sit
//! in a comment, a doc comment, a `#[cfg(test)]` module or one of the input-vocabulary files
//! listed in [`INPUT_VOCABULARY`]. Words the user reads come from `src/i18n.rs`.
//!
//! The scan is a small Rust lexer: it knows line and block comments (nested), string literals
//! (with escapes), raw strings (`r#"…"#`), byte strings, char literals and lifetimes, and skips
//! the item after a `#[cfg(test)]` attribute up to its matching brace.

use std::path::{Path, PathBuf};

/// Files whose CJK literals are allowed, each with its reason in its module doc:
/// - `vocabulary.rs`: input vocabulary, words the engine *recognises* in user data (header
///   synonyms, date and number marks, quadrant names, "us" in a SWOT file), never words it shows;
/// - `rfm/default_rules.rs`: seed data, the default RFM segment table whose rules carry their
///   own English and Chinese names and actions because the user edits both and workspaces save
///   them (a rule table is data, not UI text).
const ALLOWED: [&str; 2] = [
    "src/engine/vocabulary.rs",
    "src/engine/rfm/default_rules.rs",
];

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{3000}'..='\u{303F}'
        | '\u{FF00}'..='\u{FFEF}')
}

/// The (1-based line, text of the line) of every CJK character in code or literals.
fn cjk_outside_comments_and_tests(source: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = source.chars().collect();
    let lines: Vec<&str> = source.lines().collect();
    let mut found = Vec::new();
    let mut line = 1;
    let mut i = 0;
    // Brace depth of a `#[cfg(test)]` item being skipped, and whether its body has opened.
    let mut skip: Option<(usize, bool)> = None;
    let mut depth = 0usize;
    let at = |i: usize, text: &str| {
        text.chars()
            .enumerate()
            .all(|(k, c)| chars.get(i + k) == Some(&c))
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
            continue;
        }
        // Comments.
        if at(i, "//") {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if at(i, "/*") {
            let mut nest = 0;
            while i < chars.len() {
                if at(i, "/*") {
                    nest += 1;
                    i += 2;
                } else if at(i, "*/") {
                    nest -= 1;
                    i += 2;
                    if nest == 0 {
                        break;
                    }
                } else {
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
            continue;
        }
        if skip.is_none() && (at(i, "#[cfg(test)]") || at(i, "#[cfg(all(test,")) {
            skip = Some((depth, false));
            i += "#[cfg(test)]".len();
            continue;
        }
        // Raw strings: r"…", r#"…"#, br#"…"#.
        let raw_start = if at(i, "br") {
            Some(i + 2)
        } else if c == 'r' {
            Some(i + 1)
        } else {
            None
        };
        let ident_before = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        if let (Some(mut j), false) = (raw_start, ident_before) {
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) == Some(&'"') {
                j += 1;
                let close: String = std::iter::once('"')
                    .chain(std::iter::repeat_n('#', hashes))
                    .collect();
                while j < chars.len() && !at(j, &close) {
                    if chars[j] == '\n' {
                        line += 1;
                    } else if is_cjk(chars[j]) && skip.is_none() {
                        found.push(line);
                    }
                    j += 1;
                }
                i = j + close.chars().count();
                continue;
            }
        }
        if c == '"' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '"' {
                if chars[j] == '\\' {
                    j += 1;
                }
                if chars.get(j) == Some(&'\n') {
                    line += 1;
                } else if chars.get(j).is_some_and(|&c| is_cjk(c)) && skip.is_none() {
                    found.push(line);
                }
                j += 1;
            }
            i = j + 1;
            continue;
        }
        if c == '\'' {
            // A char literal ('x', '\n', '\u{3000}') or a lifetime ('a).
            let end = if chars.get(i + 1) == Some(&'\\') {
                (i + 2..chars.len()).find(|&k| chars[k] == '\'')
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            if let Some(end) = end {
                if chars[i + 1..end].iter().any(|&c| is_cjk(c)) && skip.is_none() {
                    found.push(line);
                }
                i = end + 1;
                continue;
            }
        }
        match c {
            '{' => {
                depth += 1;
                if let Some((_, opened @ false)) = skip.as_mut() {
                    *opened = true;
                }
            }
            '}' => {
                depth = depth.saturating_sub(1);
                if let Some((d, true)) = skip {
                    if depth == d {
                        skip = None;
                    }
                }
            }
            ';' => {
                // `#[cfg(test)] use …;` or `#[cfg(test)] mod tests;` ends at its semicolon.
                if let Some((d, false)) = skip {
                    if depth == d {
                        skip = None;
                    }
                }
            }
            c if is_cjk(c) && skip.is_none() => found.push(line),
            _ => {}
        }
        i += 1;
    }
    found.dedup();
    found
        .into_iter()
        .map(|l| (l, lines.get(l - 1).unwrap_or(&"").trim().to_string()))
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Files that are `#[cfg(test)] mod name;` of their parent module (`swot/tests.rs`).
fn test_module_files(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut test_only = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(file).expect("readable source");
        let dir = if file.file_name().is_some_and(|n| n == "mod.rs") {
            file.parent().unwrap().to_path_buf()
        } else {
            file.with_extension("")
        };
        let mut rest = source.as_str();
        while let Some(at) = rest.find("#[cfg(test)]") {
            rest = &rest[at + "#[cfg(test)]".len()..];
            let item = rest.trim_start();
            if let Some(declaration) = item.strip_prefix("mod ") {
                if let Some((name, _)) = declaration.split_once(';') {
                    if !name.contains('{') {
                        test_only.push(dir.join(format!("{}.rs", name.trim())));
                    }
                }
            }
        }
    }
    test_only
}

#[test]
fn no_cjk_words_in_the_engine_or_the_charts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src/engine"), &mut files);
    rust_files(&root.join("src/charts"), &mut files);
    files.sort();
    let test_only = test_module_files(&files);
    let mut offences = Vec::new();
    for file in &files {
        let relative = file
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if ALLOWED.contains(&relative.as_str()) || test_only.contains(file) {
            continue;
        }
        let source = std::fs::read_to_string(file).expect("readable source");
        for (line, text) in cjk_outside_comments_and_tests(&source) {
            offences.push(format!("{relative}:{line}: {text}"));
        }
    }
    assert!(
        offences.is_empty(),
        "{} lines with CJK outside comments and tests (words belong in src/i18n.rs, input \
         words in the vocabulary module, see ALLOWED):\n{}",
        offences.len(),
        offences.join("\n")
    );
}

/// Files of `src/present` that still hold words of their own, each until the move named here:
/// `report.rs` keeps the RFM and SWOT sentences and notes (`rfm_and_swot_sentences`,
/// `rfm_and_swot_notes`) until they move to `present/rfm.rs` and `present/swot.rs` (issue 12).
const PRESENT_PENDING: [&str; 1] = ["src/present/report.rs"];

#[test]
fn no_cjk_words_in_the_presentation_layer() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src/present"), &mut files);
    files.sort();
    let mut offences = Vec::new();
    for file in &files {
        let relative = file
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if PRESENT_PENDING.contains(&relative.as_str()) {
            continue;
        }
        let source = std::fs::read_to_string(file).expect("readable source");
        for (line, text) in cjk_outside_comments_and_tests(&source) {
            offences.push(format!("{relative}:{line}: {text}"));
        }
    }
    assert!(
        offences.is_empty(),
        "{} lines with CJK outside comments and tests in src/present (words belong in \
         src/i18n.rs):\n{}",
        offences.len(),
        offences.join("\n")
    );
}

#[test]
fn the_scanner_sees_literals_and_skips_comments_and_tests() {
    let cases: [(&str, &[usize]); 9] = [
        ("#[cfg(all(test, not(x)))]\nmod props { const A: &str = \"甲\"; }", &[]),
        ("let a = \"优势\";", &[1]),
        ("// 优势\nlet a = 1;", &[]),
        ("/// 优势\n/** 劣势 */ fn f() {}", &[]),
        ("let c = '优';\nlet l: &'a str = x;", &[1]),
        ("let r = r#\"a \"quoted\" 机会\"#;", &[1]),
        ("#[cfg(test)]\nmod tests {\n    const X: &str = \"威胁\";\n}\nconst Y: &str = \"威胁\";", &[5]),
        ("let s = \"a\\\"b\";\nlet t = \"（\";", &[2]),
        ("#[cfg(test)]\nuse x::y;\nconst Z: &str = \"，\";", &[3]),
    ];
    for (source, lines) in cases {
        let found: Vec<usize> = cjk_outside_comments_and_tests(source)
            .into_iter()
            .map(|(l, _)| l)
            .collect();
        assert_eq!(found, lines, "{source}");
    }
}
