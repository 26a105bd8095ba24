//! Command-line cases: `tests/cmd/*.toml`, each with its expected stdout,
//! stderr and exit code. Refresh with `TRYCMD=overwrite cargo test --test cli`.

#[test]
fn cli() {
    trycmd::TestCases::new()
        .env("NO_COLOR", "1")
        .case("tests/cmd/*.toml");
}
