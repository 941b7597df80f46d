//! What the pandas oracle tests share: the repository root, the test venv's Python and the
//! comparison of an engine figure with the oracle's JSON.
//!
//! The oracle (a venv in `target/test-venv`) is installed by `scripts/setup.sh --test`. Without
//! it a test fails in CI (`CI` set) or when `VALUELENS_REQUIRE_ORACLE` is set, and elsewhere
//! says loudly that it was skipped.

// Each test crate includes this module and uses what it needs of it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

/// The repository.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The test venv's Python when it imports `modules` (`"pandas"`, `"pandas, scipy"`); `None`
/// (skipped, said on stderr) when it does not and the oracle is not required.
pub fn python(modules: &str) -> Option<PathBuf> {
    let python = root().join("target/test-venv/bin/python");
    let ready = python.exists()
        && Command::new(&python)
            .args(["-c", &format!("import {modules}")])
            .status()
            .is_ok_and(|s| s.success());
    if ready {
        return Some(python);
    }
    let required = std::env::var_os("CI").is_some_and(|v| !v.is_empty())
        || std::env::var_os("VALUELENS_REQUIRE_ORACLE").is_some();
    assert!(
        !required,
        "the oracle ({modules}) is missing ({}): run ./scripts/setup.sh --test",
        python.display()
    );
    eprintln!(
        "SKIPPED: the oracle ({modules}) is missing; run ./scripts/setup.sh --test (in CI this fails)"
    );
    None
}

/// Asserts the engine's `a` equals the oracle's `b` within `tolerance`, relative (absolute
/// below 1).
pub fn close_to(a: f64, b: &Value, what: &str, tolerance: f64) {
    let b = b.as_f64().unwrap_or(f64::NAN);
    assert!(
        (a - b).abs() <= tolerance * b.abs().max(1.0),
        "{what}: engine {a}, oracle {b}"
    );
}

/// [`close_to`] within `1e-6`: sums of money read from text, added in another order.
pub fn close(a: f64, b: &Value, what: &str) {
    close_to(a, b, what, 1e-6);
}
