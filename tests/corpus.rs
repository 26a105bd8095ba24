//! The benchmark's book generator (`benches/support/corpus.rs`) and its own
//! tests: the generator is deterministic, and the checker finds every
//! mistake it injects and nothing in a book without mistakes.

#[path = "../benches/support/corpus.rs"]
#[allow(dead_code, reason = "only the generator's own tests run here")]
mod corpus;
