//! The types the canon is written in.
//!
//! Nothing here names a CAVRA state or boundary item: this module is the
//! engine's side of the contract. `src/canon/` fills these types with data,
//! and every renderer and rule reads the data through them.

/// One term of a vocabulary, with the one-line meaning the guide renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    /// The canonical spelling, snake_case (`past_due`).
    pub name: &'static str,
    /// Raw doc text as written in the canon (`///` comments keep a leading space).
    pub doc: &'static str,
}

impl Term {
    /// The meaning, trimmed of the whitespace doc comments carry.
    pub fn meaning(&self) -> &'static str {
        self.doc.trim()
    }
}

/// Where a field name counts as naming a vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The key as written in JSON, YAML, TOML or an environment assignment.
    /// A dotted key (`evidence.level`) must sit under its parent keys.
    pub key: &'static str,
    /// When set, the key only belongs to the vocabulary inside a code block
    /// that also contains this text (a bare `status` key is everyone's).
    pub only_with: Option<&'static str>,
}

/// A closed set of states or statuses, declared once in the canon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vocabulary {
    /// Id used in directives (`subscription`).
    pub id: &'static str,
    /// How prose names it ("subscription state").
    pub label: &'static str,
    /// Other phrases prose uses for it ("subscription status").
    pub aliases: &'static [&'static str],
    /// Keys whose values must come from this vocabulary.
    pub fields: &'static [Field],
    /// Terms in canonical order.
    pub terms: &'static [Term],
    /// Name of the Rust type generated for it.
    pub rust_type: &'static str,
}

impl Vocabulary {
    /// The term with exactly this spelling.
    pub fn term(&self, name: &str) -> Option<&'static Term> {
        self.terms.iter().find(|t| t.name == name)
    }

    /// Every phrase that names this vocabulary in prose: its label first.
    pub fn names(&self) -> impl Iterator<Item = &'static str> {
        std::iter::once(self.label).chain(self.aliases.iter().copied())
    }
}

/// One item of a boundary list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    /// The canonical wording the guide renders.
    pub text: &'static str,
    /// Shorter wordings that real pages use and that count as this item.
    pub also: &'static [&'static str],
}

impl Item {
    /// The canonical wording and every accepted alternative.
    pub fn wordings(&self) -> impl Iterator<Item = &'static str> {
        std::iter::once(self.text).chain(self.also.iter().copied())
    }
}

/// The parts a boundary is made of, in the order a whole boundary renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SectionKind {
    Notice,
    MayContain,
    MustNotContain,
    PrivateResponsibilities,
    Evidence,
}

impl SectionKind {
    /// Every section, in rendering order.
    pub const ALL: [SectionKind; 5] = [
        SectionKind::Notice,
        SectionKind::MayContain,
        SectionKind::MustNotContain,
        SectionKind::PrivateResponsibilities,
        SectionKind::Evidence,
    ];

    /// The id used in `{{#cavra-boundary B SECTION}}`.
    pub fn id(self) -> &'static str {
        match self {
            SectionKind::Notice => "notice",
            SectionKind::MayContain => "may-contain",
            SectionKind::MustNotContain => "must-not-contain",
            SectionKind::PrivateResponsibilities => "private-responsibilities",
            SectionKind::Evidence => "evidence",
        }
    }

    /// Parse a section id.
    pub fn from_id(id: &str) -> Option<SectionKind> {
        SectionKind::ALL.into_iter().find(|s| s.id() == id)
    }
}

/// What the public material may hold, must never hold, what private services
/// own instead, and what evidence blocks steady-state operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Boundary {
    /// Id used in directives (`billing-subscription`).
    pub id: &'static str,
    /// The title of the boundary's own page.
    pub title: &'static str,
    /// Phrases only this boundary's topic uses; prose that says one of them
    /// must point the reader at the boundary.
    pub triggers: &'static [&'static str],
    /// Phrases that contain a trigger but are not the topic
    /// ("CAVRA Enterprise Subscription" is a product, not a billing topic).
    pub not_triggers: &'static [&'static str],
    /// The public-safe statement that opens the boundary.
    pub notice: &'static str,
    pub may_contain: &'static [Item],
    pub must_not_contain: &'static [Item],
    pub private_responsibilities: &'static [Item],
    pub evidence: &'static [Item],
    /// Vocabularies whose tables belong on the boundary's page.
    pub vocabularies: &'static [&'static str],
}

impl Boundary {
    /// The items of a list section; `Notice` has none.
    pub fn items(&self, kind: SectionKind) -> &'static [Item] {
        match kind {
            SectionKind::Notice => &[],
            SectionKind::MayContain => self.may_contain,
            SectionKind::MustNotContain => self.must_not_contain,
            SectionKind::PrivateResponsibilities => self.private_responsibilities,
            SectionKind::Evidence => self.evidence,
        }
    }

    /// Whether the boundary defines this section.
    pub fn has(&self, kind: SectionKind) -> bool {
        match kind {
            SectionKind::Notice => !self.notice.trim().is_empty(),
            other => !self.items(other).is_empty(),
        }
    }

    /// The section ids this boundary defines.
    pub fn sections(&self) -> impl Iterator<Item = SectionKind> + '_ {
        SectionKind::ALL.into_iter().filter(|k| self.has(*k))
    }
}

/// A product label the guide no longer uses, with what replaces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetiredTerm {
    /// The phrase as prose writes it (matched case-insensitively on word boundaries).
    pub phrase: &'static str,
    /// What to write instead.
    pub replacement: &'static str,
}

/// The lead-in wordings that count as each piece of required boundary language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequiredLanguage {
    /// What the piece is, for messages ("a must-not-contain statement").
    pub what: &'static str,
    /// Phrases, any of which satisfies it (matched case-insensitively).
    pub phrases: &'static [&'static str],
    /// The section whose directive provides it, when embedded.
    pub provided_by: Option<SectionKind>,
    /// Required only on a page that has examples (a statement about
    /// examples makes no sense where there are none).
    pub only_with_examples: bool,
}

/// Phrases that tell a hand-written list is a given boundary section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionCue {
    pub kind: SectionKind,
    pub phrases: &'static [&'static str],
}

/// The whole canon: what every consumer reads.
#[derive(Debug, Clone, Copy)]
pub struct Canon {
    pub vocabularies: &'static [Vocabulary],
    pub boundaries: &'static [Boundary],
    pub retired: &'static [RetiredTerm],
    pub private_markers: &'static [&'static str],
    pub required_language: &'static [RequiredLanguage],
    /// Phrases that introduce a hand-written boundary list in prose.
    pub section_cues: &'static [SectionCue],
    /// Hosts of billing and payment providers; a URL on one is production material.
    pub provider_hosts: &'static [&'static str],
    /// Fixed sentences the renderer writes around boundary lists.
    pub lead_ins: LeadIns,
    /// The product's command-line surface.
    pub cli: &'static Cli,
    /// Settings, routes, `.cavra/` paths, schema versions and contracts.
    pub surface: &'static Surface,
}

/// The sentences that introduce each rendered boundary section. They are
/// data (not renderer code) because the checker must recognise them too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeadIns {
    pub may_contain: &'static str,
    pub must_not_contain: &'static str,
    pub private_responsibilities: &'static str,
    pub evidence: &'static str,
    pub synthetic: &'static str,
}

impl Canon {
    pub fn vocabulary(&self, id: &str) -> Option<&'static Vocabulary> {
        self.vocabularies.iter().find(|v| v.id == id)
    }

    pub fn boundary(&self, id: &str) -> Option<&'static Boundary> {
        self.boundaries.iter().find(|b| b.id == id)
    }

    /// The lead-in sentence for a list section.
    pub fn lead_in(&self, kind: SectionKind) -> &'static str {
        match kind {
            SectionKind::Notice => "",
            SectionKind::MayContain => self.lead_ins.may_contain,
            SectionKind::MustNotContain => self.lead_ins.must_not_contain,
            SectionKind::PrivateResponsibilities => self.lead_ins.private_responsibilities,
            SectionKind::Evidence => self.lead_ins.evidence,
        }
    }
}

/// The command-line surface of a product: its programs and every command,
/// argument and option they accept. Written in `src/canon/cli.tsv` and
/// generated into static tables at build time.
#[derive(Debug, Clone, Copy)]
pub struct Cli {
    /// The programs, in data-file order (`cavra`, `cavra-mcp-server`).
    pub programs: &'static [&'static str],
    /// Every command, in data-file order (the order of the product's source).
    pub commands: &'static [CliCommand],
}

/// One command a user can run: a leaf of a program's command tree, or a
/// program that has no subcommands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CliCommand {
    /// The program it belongs to (`cavra`).
    pub program: &'static str,
    /// The words after the program (`["policy", "validate"]`); empty for a
    /// program that is itself the command.
    pub path: &'static [&'static str],
    /// `policy validate`; the program's name when `path` is empty.
    pub name: &'static str,
    /// The whole invocation prefix: `cavra policy validate`.
    pub line: &'static str,
    /// The command group: the first word of `path`, or the program.
    pub group: &'static str,
    /// One line in the guide's own words.
    pub description: &'static str,
    /// A remark on how the command behaves, when the facts carry one.
    pub note: Option<&'static str>,
    /// Where the command is declared: `path:line@commit`.
    pub source: &'static str,
    /// Positional arguments, in order.
    pub args: &'static [CliParam],
    /// Options, in declaration order.
    pub options: &'static [CliParam],
}

/// A positional argument or an option of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CliParam {
    /// As the product declares it: `TARGET`, `--policy-mode`,
    /// `--legal-hold/--no-legal-hold`.
    pub name: &'static str,
    /// Every spelling accepted on a command line (`--legal-hold`,
    /// `--no-legal-hold`, `-h`); empty for a positional argument.
    pub spellings: &'static [&'static str],
    /// `TEXT`, `PATH`, `INTEGER`, `FLOAT` or `FLAG`.
    pub value_type: &'static str,
    /// Whether an option reads a value (every argument does).
    pub takes_value: bool,
    pub required: bool,
    /// Whether it may be given more than once (an argument: takes the rest).
    pub multiple: bool,
    /// The default, as the product's source writes it (`'enforce'`, `2555`).
    pub default: Option<&'static str>,
    /// The values the product documents for it, when it has such a list.
    pub choices: Option<&'static [&'static str]>,
    /// A remark on how it behaves, when the facts carry one.
    pub note: Option<&'static str>,
    /// One line in the guide's own words.
    pub description: &'static str,
    /// Where it is declared: `path:line@commit`.
    pub source: &'static str,
}

impl CliParam {
    /// Long spellings (`--json`).
    pub fn longs(&self) -> impl Iterator<Item = &'static str> {
        self.spellings
            .iter()
            .copied()
            .filter(|s| s.starts_with("--"))
    }

    /// Short spellings (`-h`).
    pub fn shorts(&self) -> impl Iterator<Item = &'static str> {
        self.spellings
            .iter()
            .copied()
            .filter(|s| !s.starts_with("--"))
    }

    /// Whether `word` names this option.
    pub fn is_spelled(&self, word: &str) -> bool {
        self.spellings.contains(&word)
    }

    /// The default without the quotes Python writes around a string; `None`
    /// when there is no meaningful default.
    pub fn default_value(&self) -> Option<&'static str> {
        let d = self.default?;
        Some(
            d.strip_prefix('\'')
                .and_then(|d| d.strip_suffix('\''))
                .unwrap_or(d),
        )
    }
}

impl CliCommand {
    /// The option spelled `word` (`--policy-mode`, `-h`).
    pub fn option(&self, word: &str) -> Option<&'static CliParam> {
        self.options.iter().find(|o| o.is_spelled(word))
    }

    /// The usage line: `cavra evaluate [OPTIONS] ACTION_TYPE TARGET`, with
    /// required options spelled out.
    pub fn usage(&self) -> String {
        let mut out = self.line.to_string();
        for o in self.options.iter().filter(|o| o.required) {
            out.push(' ');
            out.push_str(o.longs().next().unwrap_or(o.name));
            if o.takes_value {
                out.push(' ');
                out.push_str(o.value_type);
            }
        }
        if self.options.iter().any(|o| !o.required) {
            out.push_str(" [OPTIONS]");
        }
        for a in self.args {
            out.push(' ');
            let name = a.name.trim_end_matches("...");
            let dots = if a.multiple { "..." } else { "" };
            if a.required {
                out.push_str(&format!("{name}{dots}"));
            } else {
                out.push_str(&format!("[{name}{dots}]"));
            }
        }
        out
    }
}

impl Cli {
    /// The command with this name (`policy validate`), line (`cavra policy
    /// validate`) or program name (`cavra-mcp-server`). Runs of whitespace
    /// count as one space.
    pub fn command(&self, name: &str) -> Option<&'static CliCommand> {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        self.commands
            .iter()
            .find(|c| c.name == name || c.line == name)
    }

    /// The commands of a group, in order.
    pub fn group(&self, group: &str) -> impl Iterator<Item = &'static CliCommand> + use<> {
        let commands = self.commands;
        let group = group.to_string();
        commands.iter().filter(move |c| c.group == group)
    }

    /// Every group, in order of first appearance.
    pub fn groups(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for c in self.commands {
            if !out.contains(&c.group) {
                out.push(c.group);
            }
        }
        out
    }

    /// The words that may follow `program` and `prefix` on a command line:
    /// the next subcommand names, sorted and unique. Empty when `prefix` is
    /// a whole command (or unknown).
    pub fn children(&self, program: &str, prefix: &[&str]) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = self
            .commands
            .iter()
            .filter(|c| c.program == program && c.path.len() > prefix.len())
            .filter(|c| c.path[..prefix.len()] == *prefix)
            .map(|c| c.path[prefix.len()])
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The command whose path is exactly `path` under `program`.
    pub fn exact(&self, program: &str, path: &[&str]) -> Option<&'static CliCommand> {
        self.commands
            .iter()
            .find(|c| c.program == program && c.path == path)
    }
}

/// CAVRA's product surface beyond the CLI: the settings it reads, the HTTP
/// routes it serves, the files it writes under `.cavra/`, the
/// `schema_version` strings it stamps and the fields of its public JSON
/// contracts. Written in `src/canon/surface.rs`; every entry names its
/// source in CAVRA's repository.
#[derive(Debug, Clone, Copy)]
pub struct Surface {
    pub settings: &'static [Setting],
    pub routes: &'static [Route],
    pub paths: &'static [ProductPath],
    pub schema_versions: &'static [SchemaVersion],
    pub contracts: &'static [Contract],
}

/// A `CAVRA_*` name: an environment variable, or a browser-side config global.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    pub name: &'static str,
    /// `env` (an environment variable) or `browser` (a `window.` global a
    /// console's `config.js` sets).
    pub kind: &'static str,
    /// The values it accepts, when CAVRA enumerates them.
    pub values: &'static [&'static str],
    /// The vocabulary its values come from (checked by `undefined-state`).
    pub vocabulary: Option<&'static str>,
    pub description: &'static str,
    /// Where CAVRA reads or names it: `path@commit`.
    pub source: &'static str,
}

/// An HTTP route of CAVRA's API (`cavra.api:app`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// `GET`, `POST`, …; empty when the source names the path without its methods.
    pub methods: &'static [&'static str],
    /// The path template: `{name}` stands for one segment, a final `*` for
    /// any rest.
    pub path: &'static str,
    /// The area of the API (`approvals`, `admin`, …) the routes table groups by.
    pub area: &'static str,
    pub description: &'static str,
    pub source: &'static str,
}

impl Route {
    /// Whether a written path (`/approvals/apr_0123/approve`, placeholders
    /// allowed) is this route's path.
    pub fn matches_path(&self, written: &str) -> bool {
        let mut want = self.path.trim_end_matches('/').split('/');
        let mut got = written.trim_end_matches('/').split('/');
        loop {
            match (want.next(), got.next()) {
                (None, None) => return true,
                (Some("*"), _) => return true,
                (Some(w), Some(g)) => {
                    let param = w.starts_with('{') && w.ends_with('}');
                    if !(param || w == g || is_path_placeholder(g) && !g.is_empty()) {
                        return false;
                    }
                }
                _ => return false,
            }
        }
    }

    /// `GET|POST /path`, or the path alone when the methods are not documented.
    pub fn display(&self) -> String {
        if self.methods.is_empty() {
            self.path.to_string()
        } else {
            format!("{} {}", self.methods.join("|"), self.path)
        }
    }
}

/// A segment a writer put in for the reader to fill in: `{id}`, `<id>`,
/// `:id`, `$ID`, `${ID}`, `ID`, `…`.
pub fn is_path_placeholder(segment: &str) -> bool {
    let s = segment;
    (s.starts_with('{') && s.ends_with('}'))
        || (s.starts_with('<') && s.ends_with('>'))
        || s.starts_with(':')
        || s.starts_with('$')
        || s == "…"
        || s == "..."
        || (s.len() > 1
            && s.chars()
                .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
            && s.chars().any(|c| c.is_ascii_uppercase()))
}

/// A file or folder CAVRA writes under `.cavra/` (or a glob of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProductPath {
    /// `.cavra/policy.yaml`; a folder ends with `/`; `*` matches within a segment.
    pub path: &'static str,
    /// A folder whose contents the canon does not list: anything beneath it is
    /// written by the same command.
    pub open: bool,
    /// What writes it.
    pub written_by: &'static str,
    pub source: &'static str,
}

impl ProductPath {
    /// The path without a trailing `/`.
    pub fn trimmed(&self) -> &'static str {
        self.path.trim_end_matches('/')
    }

    /// Whether `written` (no trailing `/`) is this path, matches its glob,
    /// lies beneath it when it is open, or is a folder on the way to it. A
    /// placeholder segment of `written` (`<name>`, `{id}`, `*`, `…`)
    /// matches any segment.
    pub fn covers(&self, written: &str) -> bool {
        let mut own = self.trimmed().split('/');
        let mut got = written.trim_end_matches('/').split('/');
        loop {
            match (own.next(), got.next()) {
                (_, None) => return true,
                (None, Some(_)) => return self.open,
                (Some(o), Some(g)) => {
                    if !(g == "*" || is_path_placeholder(g) || glob_match(o, g)) {
                        return false;
                    }
                }
            }
        }
    }
}

/// `*` matches any run of characters other than `/`.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => {
            let Some(rest) = text.strip_prefix(head) else {
                return false;
            };
            (0..=rest.len())
                .take_while(|&i| i == 0 || !rest[..i].contains('/'))
                .filter(|&i| rest.is_char_boundary(i))
                .any(|i| glob_match(tail, &rest[i..]))
        }
    }
}

/// A `schema_version` string CAVRA stamps on a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemaVersion {
    pub id: &'static str,
    /// The document that carries it.
    pub document: &'static str,
    pub source: &'static str,
}

/// A public JSON document CAVRA writes or accepts, with every key the canon
/// knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contract {
    /// Id used in directives (`approval-record`).
    pub id: &'static str,
    pub title: &'static str,
    /// The `schema_version` value that identifies it, when it carries one.
    pub schema_version: Option<&'static str>,
    /// Phrases a heading or a lead-in sentence uses to name it.
    pub names: &'static [&'static str],
    /// The key whose value selects the fields marked `when` (`operation`).
    pub discriminator: Option<&'static str>,
    /// Every known key, as a dotted path from the top (`payload.summary.tenant_id`);
    /// arrays are transparent (`files.sha256` is a key of each item of `files`).
    pub fields: &'static [ContractField],
    /// Keys the canon knows exist but not by their exact spelling or
    /// children: globs over dotted paths (`signature`, `break_glass*`); a key
    /// matching one, and everything beneath it, is accepted.
    pub open: &'static [&'static str],
    pub source: &'static str,
}

/// One key of a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContractField {
    pub path: &'static str,
    /// Only in documents whose discriminator has this value.
    pub when: Option<&'static str>,
    pub source: &'static str,
}

impl Contract {
    /// The fields that apply to a document whose discriminator is `selector`.
    pub fn applicable(
        &self,
        selector: Option<&str>,
    ) -> impl Iterator<Item = &'static ContractField> {
        let selector = selector.map(str::to_string);
        self.fields
            .iter()
            .filter(move |f| f.when.is_none() || f.when == selector.as_deref())
    }

    /// The operations (discriminator values) the contract has variants for.
    pub fn variants(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for w in self.fields.iter().filter_map(|f| f.when) {
            if !out.contains(&w) {
                out.push(w);
            }
        }
        out
    }
}

impl Surface {
    pub fn setting(&self, name: &str) -> Option<&'static Setting> {
        self.settings.iter().find(|s| s.name == name)
    }

    pub fn contract(&self, id: &str) -> Option<&'static Contract> {
        self.contracts.iter().find(|c| c.id == id)
    }

    /// The contract a `schema_version` value identifies.
    pub fn contract_for_schema(&self, schema: &str) -> Option<&'static Contract> {
        self.contracts
            .iter()
            .find(|c| c.schema_version == Some(schema))
    }

    /// The route areas, in table order.
    pub fn areas(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for r in self.routes {
            if !out.contains(&r.area) {
                out.push(r.area);
            }
        }
        out
    }
}
