//! Deterministic synthetic CAVRA-like books for benchmarks and tests.
