//! The CLI's error convention, checked on the real binary: bad input gets one `error: …` line on
//! stderr, a non-zero exit code, and nothing is written.

use std::path::PathBuf;
use std::process::{Command, Output};

const DEV_KEY: &str = "0xb6b15c8cb491557369f3c7d2c287b053eb229daa9c22138887752191c9520659"; // PUBLIC devnode key

fn out_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stylus-yield-cli-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn run(args: &[&str], key: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_stylus-yield"));
    cmd.args(args).env_remove("PRIVATE_KEY");
    if let Some(key) = key {
        cmd.env("PRIVATE_KEY", key);
    }
    cmd.output().expect("run stylus-yield")
}

/// Asserts a failure with exactly one stderr line starting with `prefix`; returns the line.
fn one_error_line(out: &Output, code: i32, prefix: &str) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(code), "stderr: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "expected one line, got: {stderr:?}");
    assert!(
        lines[0].starts_with(prefix),
        "{:?} does not start with {prefix:?}",
        lines[0]
    );
    assert!(
        out.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    lines[0].to_string()
}

#[test]
fn missing_key() {
    let dir = out_dir("nokey");
    let out = run(
        &[
            "deploy",
            "--rpc-url",
            "http://127.0.0.1:1",
            "--out",
            dir.to_str().unwrap(),
        ],
        None,
    );
    one_error_line(&out, 1, "error: PRIVATE_KEY is not set");
    assert!(!dir.exists());
}

#[test]
fn malformed_key_is_not_echoed() {
    let dir = out_dir("badkey");
    let secret = "0x1234567890abcdef1234567890abcdef";
    let out = run(
        &[
            "deploy",
            "--rpc-url",
            "http://127.0.0.1:1",
            "--out",
            dir.to_str().unwrap(),
        ],
        Some(secret),
    );
    let line = one_error_line(&out, 1, "error: PRIVATE_KEY is malformed");
    assert!(!line.contains("1234567890abcdef"));
    assert!(!dir.exists());
}

#[test]
fn zero_key_is_invalid() {
    let zero = format!("0x{}", "0".repeat(64));
    let out = run(&["deploy", "--rpc-url", "http://127.0.0.1:1"], Some(&zero));
    one_error_line(
        &out,
        1,
        "error: PRIVATE_KEY is not a valid secp256k1 private key",
    );
}

#[test]
fn unreachable_rpc() {
    let dir = out_dir("unreachable");
    // Port 1 on localhost: connection refused at once.
    let out = run(
        &[
            "deploy",
            "--rpc-url",
            "http://127.0.0.1:1",
            "--out",
            dir.to_str().unwrap(),
        ],
        Some(DEV_KEY),
    );
    let line = one_error_line(
        &out,
        1,
        "error: cannot reach RPC endpoint http://127.0.0.1:1/",
    );
    assert!(!line.contains(&DEV_KEY[2..]));
    assert!(!dir.exists());
}

#[test]
fn malformed_url_is_a_usage_error() {
    let out = run(&["deploy", "--rpc-url", "not a url"], Some(DEV_KEY));
    one_error_line(&out, 2, "error: invalid value 'not a url' for '--rpc-url");
}

#[test]
fn key_is_never_a_flag() {
    let out = run(
        &[
            "deploy",
            "--rpc-url",
            "http://127.0.0.1:1",
            "--private-key",
            DEV_KEY,
        ],
        None,
    );
    let line = one_error_line(&out, 2, "error: unexpected argument '--private-key'");
    assert!(!line.contains(&DEV_KEY[2..]));
}

#[test]
fn help_succeeds() {
    let out = run(&["deploy", "--help"], None);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains("--dry-run") && help.contains("PRIVATE_KEY"),
        "{help}"
    );
}
