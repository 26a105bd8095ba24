//! A deterministic synthetic CAVRA guide, for benchmarks and tests.
//!
//! [`write_book`] writes a complete mdBook (`book.toml`, `SUMMARY.md`, one
//! page per boundary and `pages` generated pages) whose content looks like
//! the real guide: headings, varied prose, lists, tables, inline code, JSON,
//! YAML, TOML and shell blocks with state fields, `{{#cavra-…}}` directives
//! and links. Everything is drawn from a hand-written PRNG seeded by the
//! caller, so the same seed always gives the same bytes, on every platform.
//!
//! Mistakes are injected at a known rate, each of a kind that one rule
//! reports exactly once ([`Mistake`]); [`CorpusStats`] says how many of each
//! were written. Apart from them the pages are meant to be clean, so a check
//! of the book reports the injected mistakes and nothing else.
//!
//! Test scaffolding, not part of the library: the benchmark and
//! `tests/corpus.rs` include this file with `#[path]`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;
use std::path::Path;

use mdbook_cavra::canon::canon;
use mdbook_cavra::model::{Canon, Vocabulary};

/// The average size of a generated page, in bytes.
pub const AVERAGE_PAGE_BYTES: usize = 6_400;

/// Generated pages per part (one folder and one SUMMARY part each).
const PAGES_PER_PART: usize = 50;

/// A mistake the generator can inject; each is reported by one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mistake {
    /// `"subscription_state": "canceled"` in a JSON block.
    MisspelledState,
    /// `decision: deny` (a retired spelling of `block`) in a YAML block.
    UndefinedDecision,
    /// `{{#cavra-state subscription.canceled}}` in prose.
    UndefinedStateReference,
    /// A retired product label such as "Community Edition" in prose.
    RetiredLabel,
    /// `{{#cavra-stats …}}`: a directive name that does not exist.
    UnknownDirective,
}

impl Mistake {
    /// Every kind, in the order the generator draws them.
    pub const ALL: [Mistake; 5] = [
        Mistake::MisspelledState,
        Mistake::UndefinedDecision,
        Mistake::UndefinedStateReference,
        Mistake::RetiredLabel,
        Mistake::UnknownDirective,
    ];

    /// The id of the rule that reports this mistake.
    pub fn rule(self) -> &'static str {
        match self {
            Mistake::MisspelledState
            | Mistake::UndefinedDecision
            | Mistake::UndefinedStateReference => "undefined-state",
            Mistake::RetiredLabel => "retired-term",
            Mistake::UnknownDirective => "unknown-directive",
        }
    }
}

/// What [`write_book`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorpusStats {
    /// Generated content pages (the `pages` argument).
    pub pages: usize,
    /// Every Markdown file written, `SUMMARY.md` and boundary pages included.
    pub files: usize,
    /// Bytes of Markdown written (all `.md` files).
    pub bytes: u64,
    /// Mistakes injected, by kind.
    pub mistakes: BTreeMap<Mistake, usize>,
}

impl CorpusStats {
    /// Total mistakes injected.
    pub fn total_mistakes(&self) -> usize {
        self.mistakes.values().sum()
    }

    /// Findings the checker must report at least, by rule.
    pub fn expected_by_rule(&self) -> BTreeMap<&'static str, usize> {
        let mut out = BTreeMap::new();
        for (m, n) in &self.mistakes {
            *out.entry(m.rule()).or_insert(0) += n;
        }
        out
    }
}

/// SplitMix64: tiny, fast, and the same everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// A generator for one item of a stream, independent of the others.
    fn for_item(seed: u64, stream: u64, item: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        r.0 ^= item.wrapping_mul(0xE703_7ED1_A0B4_28DB);
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

// Word lists. None of them holds a boundary trigger phrase, a retired label,
// a private marker or a near miss of a state; the trigger phrases come in
// through `TOPIC_SENTENCES` only, so the links they need can be added.

#[rustfmt::skip]
const ADJECTIVES: &[&str] = &[
    "scheduled", "nightly", "regional", "primary", "secondary", "isolated", "shared", "signed",
    "versioned", "cached", "replicated", "archived", "audited", "reviewed", "staged", "pinned",
    "bounded", "explicit", "implicit", "documented", "observable", "idempotent", "stateless",
    "long-running", "short-lived", "per-tenant", "cross-region", "read-only", "append-only",
    "governed", "rotated", "hardened", "minimal", "default", "custom", "inherited", "local",
];

#[rustfmt::skip]
const NOUNS: &[&str] = &[
    "policy pack", "agent", "runtime", "gateway", "evidence record", "approval route", "operator",
    "audit trail", "control plane", "worker", "schedule", "tenant", "dashboard", "report",
    "export bundle", "trust root", "retention window", "capability", "request", "response",
    "rule set", "queue", "checkpoint", "event log", "sidecar", "connector", "namespace",
    "webhook relay", "health probe", "rollout", "release train", "runbook", "service account",
    "policy bundle", "review board", "escalation path", "metric", "alert", "snapshot", "manifest",
    "schema", "signing step", "verification step",
];

#[rustfmt::skip]
const VERBS: &[&str] = &[
    "records", "verifies", "forwards", "rejects", "retries", "publishes", "collects", "validates",
    "summarizes", "routes", "holds", "releases", "annotates", "compares", "rotates", "archives",
    "replays", "signs", "inspects", "reconciles", "exports", "tags", "schedules", "throttles",
    "buffers", "streams", "indexes", "redacts", "emits", "checks",
];

#[rustfmt::skip]
const ADVERBS: &[&str] = &[
    "quietly", "explicitly", "eventually", "immediately", "periodically", "atomically",
    "deterministically", "conservatively", "carefully", "independently", "by default",
    "on every run", "before each release", "after a restart", "once per hour", "in order",
    "without side effects", "under load", "during a rollout", "at startup",
];

const CLAUSES: &[&str] = &[
    "the operator sees the result on the next refresh",
    "nothing leaves the tenant boundary",
    "the agent waits for an explicit answer",
    "the previous snapshot stays readable",
    "the evidence record names the policy version",
    "a reviewer can replay the decision later",
    "the worker backs off and tries again",
    "the dashboard shows the gap in amber",
    "the release train pauses until an owner signs off",
    "each step leaves a signed checkpoint",
    "the runbook points to the owning team",
    "no customer identifier appears in the output",
    "the metrics stay within their budget",
    "the schema version travels with every payload",
    "local overrides take precedence over inherited ones",
    "the health probe reports the same answer twice in a row",
    "stale entries expire on their own",
    "the queue drains before the next window opens",
    "every change is traceable to a pull request",
    "the trust root is checked before anything is loaded",
];

#[rustfmt::skip]
const OPENERS: &[&str] = &[
    "In practice,", "By design,", "For this reason,", "In most deployments,", "As a rule,",
    "During review,", "On a fresh install,", "Under normal load,", "When in doubt,",
    "In the reference setup,", "Before going further,", "At this point,", "In short,",
];

#[rustfmt::skip]
const TOPICS: &[&str] = &[
    "Worker Rollout", "Policy Packs", "Evidence Retention", "Approval Routes",
    "Runtime Health", "Control Plane Requests", "Operator Dashboards", "Audit Exports",
    "Release Closeout", "Capability Matrix", "Hybrid Setups", "Report Delivery", "Trust Roots",
    "Shadow Mode", "Break Glass Procedures", "Readiness Reviews", "Automation Jobs",
    "Escalation Drills", "Schema Versions", "Tenant Status", "Connector Setup", "Signing Evidence",
    "Queue Tuning", "Sidecar Deployment",
];

#[rustfmt::skip]
const TITLE_SUFFIXES: &[&str] = &[
    "Overview", "In Practice", "Reference", "Walkthrough", "Checklist", "Troubleshooting",
    "Design Notes", "FAQ", "Migration Guide", "Operating Notes", "Examples", "Internals",
];

#[rustfmt::skip]
const SECTION_HEADINGS: &[&str] = &[
    "How it works", "Configuration", "Operating notes", "Failure modes", "Examples",
    "What the operator sees", "Limits", "Rollout plan", "Verification", "Edge cases",
    "Observability", "Known gaps", "Recovery", "Background", "Checklist", "Next steps",
];

#[rustfmt::skip]
const PLAIN_FIELDS: &[&str] = &[
    "tenant_id", "request_id", "policy_version", "schema_version", "owner", "updated_at", "region",
    "window_minutes", "retry_limit", "checkpoint", "trace_id", "job_name",
];

const TERMINAL_COMMANDS: &[&str] = &[
    "mdbook-cavra check",
    "mdbook-cavra export > canon.json",
    "mdbook-cavra explain undefined-state",
    "cavra policy validate ./policies",
    "cavra evidence verify ./export --trust-root trust-roots.json",
    "cavra approval list --state pending --limit 20",
    "cavra version",
    "mdbook build",
];

/// Sentences that bring in a boundary's topic (each holds a trigger phrase);
/// the page then links to the boundary's page, as a real page must.
const TOPIC_SENTENCES: &[&str] = &[
    "The billing provider is never called from public code; a private service owns that path.",
    "A renewal that is still pending shows up as a readiness gap, not as an outage.",
    "Nothing in this guide reads an invoice or a license key; examples use placeholders.",
    "The entitlement registry answers which features a tenant may use.",
    "Tenant onboarding finishes only when every readiness check has an owner.",
    "The hosted policy registry serves signed packs to every runtime.",
    "The tenant audit store keeps evidence for as long as the retention policy says.",
    "The customer operating dashboard summarizes the same evidence operators see.",
    "A support handoff carries the readiness state and the owning team.",
];

const RETIRED_SENTENCES: &[&str] = &[
    "Older notes still call this path the Community Edition.",
    "This capability used to ship with the Enterprise Edition only.",
    "Some screenshots still show the Trial Edition banner.",
];

const FAKE_DIRECTIVES: &[&str] = &["cavra-stats", "cavra-statez", "cavra-boundry", "cavra-list"];

/// Vocabularies whose terms may appear as values in prose and code: those
/// with a plain field (no dotted key, no `only_with` condition).
fn plain_vocabularies(canon: &'static Canon) -> Vec<(&'static Vocabulary, &'static str)> {
    canon
        .vocabularies
        .iter()
        .filter_map(|v| {
            v.fields
                .iter()
                .find(|f| f.only_with.is_none() && !f.key.contains('.'))
                .map(|f| (v, f.key))
        })
        .collect()
}

/// The title of generated page `i` (0-based), the same wherever it is needed.
pub fn page_title(seed: u64, i: usize) -> String {
    let mut r = Rng::for_item(seed, 1, i as u64);
    format!("{} {} {}", r.pick(TOPICS), r.pick(TITLE_SUFFIXES), i + 1)
}

/// The path of generated page `i`, relative to the source folder.
pub fn page_path(i: usize) -> String {
    format!("part-{:02}/page-{:05}.md", i / PAGES_PER_PART + 1, i + 1)
}

fn boundary_path(id: &str) -> String {
    format!("boundaries/{id}.md")
}

/// Write a whole book under `dir` (created if missing; existing generated
/// files are overwritten).
pub fn write_book(
    dir: &Path,
    pages: usize,
    seed: u64,
    mistake_rate_per_page: f64,
) -> io::Result<CorpusStats> {
    let canon = canon();
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("boundaries"))?;
    std::fs::write(dir.join("book.toml"), book_toml(seed))?;
    let mut stats = CorpusStats {
        pages,
        ..CorpusStats::default()
    };
    let mut write_md = |rel: &str, text: &str| -> io::Result<()> {
        let path = src.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
        stats.files += 1;
        stats.bytes += text.len() as u64;
        Ok(())
    };
    write_md("SUMMARY.md", &summary(canon, pages, seed))?;
    write_md("introduction.md", &introduction(pages))?;
    for b in canon.boundaries {
        write_md(&boundary_path(b.id), &boundary_page(b))?;
    }
    let mut mistakes: BTreeMap<Mistake, usize> = BTreeMap::new();
    let mut buf = String::with_capacity(4 * AVERAGE_PAGE_BYTES);
    for i in 0..pages {
        buf.clear();
        let injected = generate_page(&mut buf, seed, i, pages, mistake_rate_per_page);
        for m in injected {
            *mistakes.entry(m).or_insert(0) += 1;
        }
        write_md(&page_path(i), &buf)?;
    }
    stats.mistakes = mistakes;
    Ok(stats)
}

fn book_toml(seed: u64) -> String {
    format!(
        "[book]\ntitle = \"CAVRA Guide (synthetic corpus, seed {seed})\"\nauthors = [\"mdbook-cavra corpus generator\"]\nlanguage = \"en\"\nsrc = \"src\"\n\n[preprocessor.cavra]\nbefore = [\"links\"]\n"
    )
}

fn summary(canon: &Canon, pages: usize, seed: u64) -> String {
    let mut s = String::from("# Summary\n\n[Introduction](introduction.md)\n\n# Boundaries\n\n");
    for b in canon.boundaries {
        let _ = writeln!(s, "- [{}]({})", b.title, boundary_path(b.id));
    }
    for i in 0..pages {
        if i % PAGES_PER_PART == 0 {
            let _ = write!(s, "\n# Part {}\n\n", i / PAGES_PER_PART + 1);
        }
        let _ = writeln!(s, "- [{}]({})", page_title(seed, i), page_path(i));
    }
    s
}

fn introduction(pages: usize) -> String {
    format!(
        "# Introduction\n\nThis is a synthetic CAVRA guide of {pages} generated pages, written by \
`mdbook_cavra::corpus` for benchmarks. Its examples are synthetic: it carries no customer, \
account or provider data.\n\nThe decision vocabulary:\n\n{{{{#cavra-states decision}}}}\n"
    )
}

fn boundary_page(b: &mdbook_cavra::model::Boundary) -> String {
    format!(
        "# {}\n\nThis page is the single source for the boundary; every example on it is synthetic.\n\n{{{{#cavra-boundary {}}}}}\n\n## Vocabularies\n\n{}",
        b.title,
        b.id,
        b.vocabularies
            .iter()
            .map(|v| format!("{{{{#cavra-states {v}}}}}\n\n"))
            .collect::<String>()
    )
}

/// Generate page `i` into `out`; return the mistakes injected.
fn generate_page(out: &mut String, seed: u64, i: usize, pages: usize, rate: f64) -> Vec<Mistake> {
    let canon = canon();
    let vocabs = plain_vocabularies(canon);
    let mut r = Rng::for_item(seed, 2, i as u64);
    // Size: uniform in 0.4x..1.6x of the average (the last section overshoots a little).
    let target = (AVERAGE_PAGE_BYTES as f64 * (0.4 + 1.2 * r.unit())) as usize - 300;
    // Mistakes: the integer part always, the fraction by chance.
    let n_mistakes = rate.floor() as usize + usize::from(r.chance(rate.fract()));
    let mistakes: Vec<Mistake> = (0..n_mistakes).map(|_| r.pick(&Mistake::ALL)).collect();
    let mut pending = mistakes.clone();

    let _ = write!(out, "# {}\n\n", page_title(seed, i));
    let n = 2 + r.below(3);
    paragraph(out, &mut r, &vocabs, n);
    let mut sections = 0;
    while out.len() < target || !pending.is_empty() {
        if sections > 0 && r.chance(0.35) {
            let _ = write!(out, "## {}\n\n", r.pick(SECTION_HEADINGS));
        }
        sections += 1;
        match r.below(14) {
            0..=3 => {
                let n = 3 + r.below(5);
                paragraph(out, &mut r, &vocabs, n);
            }
            4 => bullet_list(out, &mut r, &vocabs),
            5 => field_table(out, &mut r, &vocabs),
            6 => json_block(out, &mut r, &vocabs, None),
            7 => yaml_block(out, &mut r, &vocabs, None),
            8 => other_code_block(out, &mut r, &vocabs),
            9 => directive_block(out, &mut r, canon),
            10 => {
                out.push_str(r.pick(TOPIC_SENTENCES));
                out.push(' ');
                let n = 1 + r.below(3);
                paragraph(out, &mut r, &vocabs, n);
            }
            11 => links_paragraph(out, &mut r, seed, i, pages),
            12 => quote(out, &mut r, &vocabs),
            _ => numbered_steps(out, &mut r),
        }
        // Place pending mistakes at random points, at least one section in.
        if !pending.is_empty() && (out.len() >= target || r.chance(0.2)) {
            let m = pending.pop().expect("not empty");
            mistake(out, &mut r, m, &vocabs);
        }
    }
    // A page on a boundary's topic points the reader at the boundary.
    let lower = out.to_ascii_lowercase();
    let mut see_also = true;
    for b in canon.boundaries {
        if b.triggers.iter().any(|t| lower.contains(t)) {
            if see_also {
                out.push_str("## See also\n\n");
                see_also = false;
            }
            let _ = writeln!(out, "- [{}](../{})", b.title, boundary_path(b.id));
        }
    }
    if !see_also {
        out.push('\n');
    }
    mistakes
}

fn sentence(out: &mut String, r: &mut Rng, vocabs: &[(&'static Vocabulary, &'static str)]) {
    match r.below(9) {
        0 => {
            let _ = write!(
                out,
                "{} the {} {} {} {}.",
                r.pick(OPENERS),
                r.pick(ADJECTIVES),
                r.pick(NOUNS),
                r.pick(VERBS),
                r.pick(ADVERBS)
            );
        }
        1 => {
            let _ = write!(
                out,
                "Each {} {} the {} {} {}, so {}.",
                r.pick(NOUNS),
                r.pick(VERBS),
                r.pick(ADJECTIVES),
                r.pick(NOUNS),
                r.pick(ADVERBS),
                r.pick(CLAUSES)
            );
        }
        2 => {
            // A value tied to its vocabulary by the sentence.
            let (v, _) = r.pick(vocabs);
            let t = r.pick(v.terms).name;
            let _ = write!(out, "When the {} is `{t}`, {}.", v.label, r.pick(CLAUSES));
        }
        3 => {
            let (_, field) = r.pick(vocabs);
            let _ = write!(
                out,
                "The `{field}` field {} the {} and {} the {} {}.",
                r.pick(VERBS),
                r.pick(NOUNS),
                r.pick(VERBS),
                r.pick(ADJECTIVES),
                r.pick(NOUNS)
            );
        }
        4 => {
            let _ = write!(
                out,
                "If the {} {} a {} {}, {}.",
                r.pick(NOUNS),
                r.pick(VERBS),
                r.pick(ADJECTIVES),
                r.pick(NOUNS),
                r.pick(CLAUSES)
            );
        }
        5 => {
            let _ = write!(
                out,
                "Set `{}` to a {} value; the {} {} it {}.",
                r.pick(PLAIN_FIELDS),
                r.pick(ADJECTIVES),
                r.pick(NOUNS),
                r.pick(VERBS),
                r.pick(ADVERBS)
            );
        }
        6 => {
            let (v, _) = r.pick(vocabs);
            let a = r.pick(v.terms).name;
            let b = r.pick(v.terms).name;
            let _ = write!(
                out,
                "The {} moves from `{a}` to `{b}` once {}.",
                v.label,
                r.pick(CLAUSES)
            );
        }
        7 => {
            let _ = write!(
                out,
                "{} the {} keeps *{}* {}s and **{}** {}s {}.",
                r.pick(OPENERS),
                r.pick(NOUNS),
                r.pick(ADJECTIVES),
                r.pick(NOUNS),
                r.pick(ADJECTIVES),
                r.pick(NOUNS),
                r.pick(ADVERBS)
            );
        }
        _ => {
            let _ = write!(
                out,
                "Run `{}` to see how the {} {} the {} {}.",
                r.pick(TERMINAL_COMMANDS),
                r.pick(NOUNS),
                r.pick(VERBS),
                r.pick(ADJECTIVES),
                r.pick(NOUNS)
            );
        }
    }
}

fn paragraph(
    out: &mut String,
    r: &mut Rng,
    vocabs: &[(&'static Vocabulary, &'static str)],
    n: usize,
) {
    for k in 0..n {
        if k > 0 {
            // Some paragraphs wrap their lines, as hand-written Markdown does.
            out.push(if r.chance(0.3) { '\n' } else { ' ' });
        }
        sentence(out, r, vocabs);
    }
    out.push_str("\n\n");
}

fn bullet_list(out: &mut String, r: &mut Rng, vocabs: &[(&'static Vocabulary, &'static str)]) {
    let _ = write!(
        out,
        "The {} {} the following:\n\n",
        r.pick(NOUNS),
        r.pick(VERBS)
    );
    for _ in 0..3 + r.below(4) {
        out.push_str("- ");
        sentence(out, r, vocabs);
        out.push('\n');
    }
    out.push('\n');
}

fn numbered_steps(out: &mut String, r: &mut Rng) {
    out.push_str("To roll out a change:\n\n");
    for k in 1..=3 + r.below(4) {
        let _ = writeln!(
            out,
            "{k}. {} the {} {} and confirm that {}.",
            capitalize(r.pick(VERBS)),
            r.pick(ADJECTIVES),
            r.pick(NOUNS),
            r.pick(CLAUSES)
        );
    }
    out.push('\n');
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn field_table(out: &mut String, r: &mut Rng, vocabs: &[(&'static Vocabulary, &'static str)]) {
    let _ = write!(
        out,
        "The {} {} uses these fields:\n\n| Field | Meaning | Example |\n|---|---|---|\n",
        r.pick(ADJECTIVES),
        r.pick(NOUNS)
    );
    for row in 0..3 + r.below(4) {
        // The first row is never a state, so the Example column is not read
        // as a hand-written list of one vocabulary.
        if row > 0 && r.chance(0.5) {
            let (v, field) = r.pick(vocabs);
            let _ = writeln!(
                out,
                "| `{field}` | the {} of the {} | `{}` |",
                v.label,
                r.pick(NOUNS),
                r.pick(v.terms).name
            );
        } else {
            let _ = writeln!(
                out,
                "| `{}` | the {} {} | {} |",
                r.pick(PLAIN_FIELDS),
                r.pick(ADJECTIVES),
                r.pick(NOUNS),
                r.below(10_000)
            );
        }
    }
    out.push('\n');
}

fn json_block(
    out: &mut String,
    r: &mut Rng,
    vocabs: &[(&'static Vocabulary, &'static str)],
    wrong: Option<(&str, &str)>,
) {
    out.push_str("```json\n{\n");
    let _ = writeln!(
        out,
        "  \"schema_version\": \"example.summary.v{}\",\n  \"tenant_id\": \"tenant-{:04x}\",",
        1 + r.below(3),
        r.below(65_536)
    );
    if r.chance(0.3) {
        let ops = canon()
            .vocabulary("operation")
            .expect("operation vocabulary");
        let st = canon()
            .vocabulary("response-status")
            .expect("response-status vocabulary");
        let _ = writeln!(
            out,
            "  \"response\": {{\n    \"schema\": \"cavra.saas_control_plane.response.v1\",\n    \"operation\": \"{}\",\n    \"status\": \"{}\"\n  }},",
            r.pick(ops.terms).name,
            r.pick(st.terms).name
        );
    }
    if r.chance(0.3) {
        let lv = canon()
            .vocabulary("evidence-level")
            .expect("evidence-level vocabulary");
        let _ = writeln!(
            out,
            "  \"evidence\": {{ \"level\": \"{}\", \"retained_days\": {} }},",
            r.pick(lv.terms).name,
            30 * (1 + r.below(12))
        );
    }
    if let Some((k, v)) = wrong {
        let _ = writeln!(out, "  \"{k}\": \"{v}\",");
    }
    for _ in 0..2 + r.below(4) {
        let (v, field) = r.pick(vocabs);
        let _ = writeln!(out, "  \"{field}\": \"{}\",", r.pick(v.terms).name);
    }
    let _ = writeln!(out, "  \"{}\": {}", r.pick(PLAIN_FIELDS), r.below(1000));
    out.push_str("}\n```\n\n");
}

fn yaml_block(
    out: &mut String,
    r: &mut Rng,
    vocabs: &[(&'static Vocabulary, &'static str)],
    wrong: Option<(&str, &str)>,
) {
    let _ = write!(
        out,
        "```yaml\n# {} {}\n{}:\n",
        r.pick(ADJECTIVES),
        r.pick(NOUNS),
        ["worker", "policy", "tenant", "runtime", "review"][r.below(5)]
    );
    let _ = writeln!(out, "  name: {}-{}", r.pick(ADJECTIVES), r.below(100));
    if let Some((k, v)) = wrong {
        let _ = writeln!(out, "  {k}: {v}");
    }
    for _ in 0..2 + r.below(4) {
        let (v, field) = r.pick(vocabs);
        let _ = writeln!(out, "  {field}: {}", r.pick(v.terms).name);
    }
    if r.chance(0.4) {
        let (v, field) = r.pick(vocabs);
        let _ = writeln!(out, "  allowed:\n    {field}:");
        for _ in 0..2 {
            let _ = writeln!(out, "      - {}", r.pick(v.terms).name);
        }
    }
    let _ = writeln!(out, "  {}: {}", r.pick(PLAIN_FIELDS), r.below(500));
    out.push_str("```\n\n");
}

fn other_code_block(out: &mut String, r: &mut Rng, vocabs: &[(&'static Vocabulary, &'static str)]) {
    if r.chance(0.5) {
        let delivery = canon()
            .vocabulary("report-delivery")
            .expect("report-delivery vocabulary");
        let _ = write!(
            out,
            "```bash\nexport CAVRA_REPORT_DELIVERY_MODE={}\nexport CAVRA_PUBLIC_API_BASE_URL=https://cavra.example.com/{}\n{}\n```\n\n",
            r.pick(delivery.terms).name,
            r.below(100),
            r.pick(TERMINAL_COMMANDS)
        );
    } else {
        let (v, field) = r.pick(vocabs);
        let _ = write!(
            out,
            "```toml\n[{}]\n{field} = \"{}\"\n{} = {}\n```\n\n",
            ["worker", "runtime", "review"][r.below(3)],
            r.pick(v.terms).name,
            r.pick(PLAIN_FIELDS),
            r.below(100)
        );
    }
}

fn directive_block(out: &mut String, r: &mut Rng, canon: &'static Canon) {
    match r.below(3) {
        0 => {
            let v = r.pick(canon.vocabularies);
            let _ = write!(
                out,
                "Every {} the runtime knows:\n\n{{{{#cavra-states {}}}}}\n\n",
                v.label, v.id
            );
        }
        1 => {
            let v = r.pick(canon.vocabularies);
            let t = r.pick(v.terms);
            let _ = write!(
                out,
                "A {} {} may report {{{{#cavra-state {}.{}}}}} while {}.\n\n",
                r.pick(ADJECTIVES),
                r.pick(NOUNS),
                v.id,
                t.name,
                r.pick(CLAUSES)
            );
        }
        _ => {
            let b = r.pick(canon.boundaries);
            let _ = write!(out, "{{{{#cavra-boundary {} notice}}}}\n\n", b.id);
        }
    }
}

fn links_paragraph(out: &mut String, r: &mut Rng, seed: u64, i: usize, pages: usize) {
    let a = r.below(pages);
    let b = r.below(pages);
    let _ = write!(
        out,
        "For the {} side, see [{}](../{}) and [{}](../{}); the [public docs](https://docs.example.com/cavra/{}) cover the {} {}.\n\n",
        r.pick(NOUNS),
        page_title(seed, a),
        page_path(a),
        page_title(seed, b),
        page_path(b),
        i % 97,
        r.pick(ADJECTIVES),
        r.pick(NOUNS)
    );
}

fn quote(out: &mut String, r: &mut Rng, vocabs: &[(&'static Vocabulary, &'static str)]) {
    out.push_str("> **Note:** ");
    sentence(out, r, vocabs);
    out.push(' ');
    sentence(out, r, vocabs);
    out.push_str("\n\n");
}

fn mistake(
    out: &mut String,
    r: &mut Rng,
    m: Mistake,
    vocabs: &[(&'static Vocabulary, &'static str)],
) {
    match m {
        Mistake::MisspelledState => {
            json_block(out, r, vocabs, Some(("subscription_state", "canceled")));
        }
        Mistake::UndefinedDecision => {
            yaml_block(out, r, vocabs, Some(("decision", "deny")));
        }
        Mistake::UndefinedStateReference => {
            let _ = write!(
                out,
                "The {} {} stops once the tenant is {{{{#cavra-state subscription.canceled}}}}.\n\n",
                r.pick(ADJECTIVES),
                r.pick(NOUNS)
            );
        }
        Mistake::RetiredLabel => {
            out.push_str(r.pick(RETIRED_SENTENCES));
            out.push(' ');
            paragraph(out, r, vocabs, 1);
        }
        Mistake::UnknownDirective => {
            let _ = write!(
                out,
                "{{{{#{} {}}}}}\n\n",
                r.pick(FAKE_DIRECTIVES),
                r.pick(canon().vocabularies).id
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).expect("under dir");
                (
                    rel.to_string_lossy().into_owned(),
                    std::fs::read(e.path()).expect("readable"),
                )
            })
            .collect()
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let c = tempfile::tempdir().unwrap();
        let sa = write_book(a.path(), 40, 7, 0.5).unwrap();
        let sb = write_book(b.path(), 40, 7, 0.5).unwrap();
        write_book(c.path(), 40, 8, 0.5).unwrap();
        assert_eq!(sa, sb);
        assert_eq!(files(a.path()), files(b.path()));
        assert_ne!(files(a.path()), files(c.path()));
        assert_eq!(sa.pages, 40);
        assert_eq!(sa.files, 40 + 2 + canon().boundaries.len());
        let avg = sa.bytes as f64 / sa.files as f64;
        assert!(
            (3_000.0..10_000.0).contains(&avg),
            "average page {avg} bytes"
        );
    }

    #[test]
    fn prng_is_splitmix64() {
        // Reference values of SplitMix64 seeded with 0.
        let mut r = Rng::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn the_checker_finds_every_injected_mistake() {
        let dir = tempfile::tempdir().unwrap();
        let stats = write_book(dir.path(), 60, 42, 1.5).unwrap();
        assert!(stats.total_mistakes() >= 60, "{stats:?}");
        for m in Mistake::ALL {
            assert!(
                stats.mistakes.get(&m).copied().unwrap_or(0) > 0,
                "{m:?} never injected"
            );
        }
        let outcome = mdbook_cavra::session::Session::load(dir.path())
            .unwrap()
            .run(mdbook_cavra::session::Source::Disk)
            .unwrap();
        assert_eq!(outcome.files, stats.files);
        let mut found: BTreeMap<&str, usize> = BTreeMap::new();
        for f in &outcome.findings {
            *found.entry(f.rule.id).or_insert(0) += 1;
        }
        for (rule, want) in stats.expected_by_rule() {
            let got = found.get(&rule).copied().unwrap_or(0);
            assert!(got >= want, "{rule}: found {got}, injected {want}");
        }
    }

    #[test]
    fn a_book_without_mistakes_is_clean() {
        let dir = tempfile::tempdir().unwrap();
        let stats = write_book(dir.path(), 30, 3, 0.0).unwrap();
        assert_eq!(stats.total_mistakes(), 0);
        let outcome = mdbook_cavra::session::Session::load(dir.path())
            .unwrap()
            .run(mdbook_cavra::session::Source::Disk)
            .unwrap();
        let shown: Vec<String> = outcome
            .findings
            .iter()
            .take(5)
            .map(|f| format!("{}:{} {} {}", f.at.path, f.at.line, f.rule.id, f.message))
            .collect();
        assert!(outcome.findings.is_empty(), "{shown:#?}");
    }
}
