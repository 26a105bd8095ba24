//! `mdbook-cavra export`: the whole canon as one versioned document, for
//! CAVRA's other code (its runtime, its policy validator, its scripts).
//!
//! The export is its own set of types (`Export*`), built from the canon
//! rather than serialising the engine's types: the engine may change shape
//! while the export keeps its contract. The same types give the JSON
//! ([`to_json`]), its JSON Schema ([`schema_json`], draft 2020-12, generated
//! by `schemars`) and the Markdown reference ([`to_markdown`]).
//!
//! The contract: `schema_version` names it; everything is in the canon's own
//! order (vocabularies, terms, boundaries, items, commands), so the JSON is
//! byte-identical from run to run. A field may be added within a version; a
//! field removed, renamed or given another meaning bumps the version.

use std::fmt::Write as _;

use schemars::JsonSchema;
use serde::Serialize;

use crate::canon::OTHER_SPELLINGS;
use crate::model::{Boundary, Canon, CliCommand, CliParam, Item, SectionKind, Surface, Vocabulary};
use crate::render;

/// The version of the export's contract, as written in `schema_version`.
pub const SCHEMA_VERSION: &str = "mdbook-cavra.canon.v1";

/// The version of the export's contract. A consumer should refuse a
/// version it was not written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub enum SchemaVersion {
    #[serde(rename = "mdbook-cavra.canon.v1")]
    V1,
}

/// The CAVRA canon: every state vocabulary, public/private boundary, retired
/// product label, command-line surface and product surface (settings, routes,
/// paths, contracts) that the CAVRA guide shows and
/// mdbook-cavra enforces, written once in mdbook-cavra's `src/canon/`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(title = "CAVRA canon export")]
pub struct ExportCanon {
    /// The version of this document's shape (`mdbook-cavra.canon.v1`).
    pub schema_version: SchemaVersion,
    /// Every vocabulary (closed set of states or statuses), in canonical order.
    pub vocabularies: Vec<ExportVocabulary>,
    /// Every public/private boundary, in canonical order.
    pub boundaries: Vec<ExportBoundary>,
    /// Product labels the guide no longer uses, with what replaces each.
    pub retired_labels: Vec<ExportRetiredLabel>,
    /// The statements every boundary's own page must make.
    pub required_language: Vec<ExportRequiredLanguage>,
    /// Phrases that introduce a hand-written boundary list in prose.
    pub section_cues: Vec<ExportSectionCue>,
    /// The fixed sentences the guide writes before each boundary list.
    pub lead_ins: ExportLeadIns,
    /// Names CAVRA scans its own code for; none may appear in public material.
    pub private_markers: Vec<&'static str>,
    /// Hosts of billing and payment providers: a URL on one is production material.
    pub provider_hosts: Vec<&'static str>,
    /// The command-line surface of CAVRA's programs.
    pub cli: ExportCli,
    /// CAVRA's product surface beyond the CLI: settings, API routes,
    /// `.cavra/` paths, `schema_version` strings and public JSON contracts.
    pub surface: ExportSurface,
}

/// CAVRA's product surface beyond the CLI, each entry with its source.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExportSurface {
    /// Every `CAVRA_*` setting (environment variable or browser global).
    pub settings: Vec<ExportSetting>,
    /// Every HTTP route of CAVRA's API.
    pub routes: Vec<ExportRoute>,
    /// Every file or folder CAVRA writes under `.cavra/`.
    pub paths: Vec<ExportPath>,
    /// Every `schema_version` string CAVRA stamps.
    pub schema_versions: Vec<ExportSchemaVersion>,
    /// Every public JSON contract with its known fields.
    pub contracts: Vec<ExportContract>,
}

/// A `CAVRA_*` setting.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExportSetting {
    pub name: &'static str,
    /// `env` (environment variable) or `browser` (a console's `window.` global).
    pub kind: &'static str,
    /// The values CAVRA enumerates for it; empty when it takes any value.
    pub values: Vec<&'static str>,
    /// The vocabulary its values come from, if any.
    pub vocabulary: Option<&'static str>,
    pub description: &'static str,
    /// Where CAVRA reads or names it: `path@commit`.
    pub source: &'static str,
}

/// An HTTP route of CAVRA's API.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExportRoute {
    /// `GET`, `POST`, …; empty when the source does not name the methods.
    pub methods: Vec<&'static str>,
    /// The path template: `{name}` is one segment, a final `*` any rest.
    pub path: &'static str,
    pub area: &'static str,
    pub description: &'static str,
    pub source: &'static str,
}

/// A file or folder CAVRA writes under `.cavra/`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExportPath {
    /// A folder ends with `/`; `*` matches within one segment.
    pub path: &'static str,
    /// A folder whose contents are not listed: anything beneath it counts.
    pub open: bool,
    pub written_by: &'static str,
    pub source: &'static str,
}

/// A `schema_version` string.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExportSchemaVersion {
    pub id: &'static str,
    pub document: &'static str,
    pub source: &'static str,
}

/// A public JSON contract.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExportContract {
    pub id: &'static str,
    pub title: &'static str,
    /// The `schema_version` value that identifies it, if it carries one.
    pub schema_version: Option<&'static str>,
    /// Phrases a heading or lead-in uses to name it.
    pub names: Vec<&'static str>,
    /// The key whose value selects the fields marked `when`.
    pub discriminator: Option<&'static str>,
    /// Every known key, as a dotted path (arrays are transparent).
    pub fields: Vec<ExportContractField>,
    /// Globs of keys whose spelling or children the canon does not know.
    pub open: Vec<&'static str>,
    pub source: &'static str,
}

/// One key of a contract.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExportContractField {
    pub path: &'static str,
    /// Only when the discriminator has this value.
    pub when: Option<&'static str>,
    pub source: &'static str,
}

/// A closed set of states or statuses.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExportVocabulary {
    /// The id used in `{{#cavra-states ID}}` (`subscription`).
    pub id: &'static str,
    /// How prose names it (`subscription state`).
    pub label: &'static str,
    /// Other phrases prose uses for it.
    pub aliases: Vec<&'static str>,
    /// The Rust enum generated for it in mdbook-cavra (`SubscriptionState`).
    pub rust_type: &'static str,
    /// Keys whose values must be terms of this vocabulary.
    pub fields: Vec<ExportField>,
    /// Every term, in canonical order.
    pub terms: Vec<ExportTerm>,
    /// Spellings used before the canon settled a term; each is wrong as a
    /// value of this vocabulary and names the term to write instead.
    pub other_spellings: Vec<ExportOtherSpelling>,
}

/// A key whose values come from a vocabulary.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExportField {
    /// The key as written in JSON, YAML, TOML or an environment assignment.
    /// A dotted key (`evidence.level`) sits under its parent keys; a key that
    /// starts with `--` is a command-line option.
    pub key: &'static str,
    /// When set, the key belongs to the vocabulary only in a document (or
    /// code block) that also contains this text: a bare `mode` key is
    /// everyone's.
    pub only_with: Option<&'static str>,
}

/// One term of a vocabulary.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExportTerm {
    /// The canonical spelling (`past_due`).
    pub name: &'static str,
    /// The one-line meaning the guide renders.
    pub meaning: &'static str,
}

/// A retired spelling of a term.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExportOtherSpelling {
    /// The retired spelling (`deny`).
    pub spelling: &'static str,
    /// The term that replaces it (`block`).
    pub term: &'static str,
}

/// What public material may hold, must never hold, what private services
/// own instead, and what evidence blocks steady-state operation.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExportBoundary {
    /// The id used in `{{#cavra-boundary ID}}` (`billing-subscription`).
    pub id: &'static str,
    /// The title of the boundary's own page.
    pub title: &'static str,
    /// Phrases only this boundary's topic uses; prose that says one should
    /// point the reader at the boundary.
    pub triggers: Vec<&'static str>,
    /// Phrases that contain a trigger but are not the topic.
    pub not_triggers: Vec<&'static str>,
    /// The public-safe statement that opens the boundary.
    pub notice: &'static str,
    /// The boundary's lists, in the order the guide renders them; a list the
    /// boundary does not define is empty.
    pub sections: ExportSections,
    /// Vocabularies (by id) whose tables belong on the boundary's page.
    pub vocabularies: Vec<&'static str>,
}

/// The list sections of a boundary, keyed by the section ids of
/// `{{#cavra-boundary ID SECTION}}`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExportSections {
    /// What the public repository and the guide may contain.
    #[serde(rename = "may-contain")]
    pub may_contain: Vec<ExportItem>,
    /// What they must never contain.
    #[serde(rename = "must-not-contain")]
    pub must_not_contain: Vec<ExportItem>,
    /// What private services must implement instead.
    #[serde(rename = "private-responsibilities")]
    pub private_responsibilities: Vec<ExportItem>,
    /// Evidence that blocks steady-state operation while it shows.
    pub evidence: Vec<ExportItem>,
}

/// One item of a boundary list.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExportItem {
    /// The canonical wording the guide renders.
    pub text: &'static str,
    /// Shorter wordings that also count as this item in a hand-written list.
    pub accepted_wordings: Vec<&'static str>,
}

/// A section of a boundary, by its id in `{{#cavra-boundary ID SECTION}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ExportSectionId {
    Notice,
    MayContain,
    MustNotContain,
    PrivateResponsibilities,
    Evidence,
}

impl From<SectionKind> for ExportSectionId {
    fn from(k: SectionKind) -> Self {
        match k {
            SectionKind::Notice => ExportSectionId::Notice,
            SectionKind::MayContain => ExportSectionId::MayContain,
            SectionKind::MustNotContain => ExportSectionId::MustNotContain,
            SectionKind::PrivateResponsibilities => ExportSectionId::PrivateResponsibilities,
            SectionKind::Evidence => ExportSectionId::Evidence,
        }
    }
}

/// A product label that is no longer used.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExportRetiredLabel {
    /// The label as prose writes it (matched case-insensitively on word boundaries).
    pub phrase: &'static str,
    /// What to write instead.
    pub replacement: &'static str,
}

/// A statement every boundary's own page must make.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExportRequiredLanguage {
    /// What the statement is (`must-not-contain statement`).
    pub what: &'static str,
    /// Wordings, any of which makes the statement (matched case-insensitively).
    pub phrases: Vec<&'static str>,
    /// The boundary section whose directive makes the statement, if any.
    pub provided_by: Option<ExportSectionId>,
}

/// Phrases that introduce a hand-written list of one boundary section.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExportSectionCue {
    pub section: ExportSectionId,
    pub phrases: Vec<&'static str>,
}

/// The sentences the guide writes before each boundary list, and the
/// synthetic-examples statement that closes a whole boundary.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExportLeadIns {
    #[serde(rename = "may-contain")]
    pub may_contain: &'static str,
    #[serde(rename = "must-not-contain")]
    pub must_not_contain: &'static str,
    #[serde(rename = "private-responsibilities")]
    pub private_responsibilities: &'static str,
    pub evidence: &'static str,
    pub synthetic: &'static str,
}

/// The command-line surface of CAVRA's programs.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExportCli {
    /// The programs (`cavra`, `cavra-mcp-server`).
    pub programs: Vec<&'static str>,
    /// Every command, in the order of CAVRA's source.
    pub commands: Vec<ExportCommand>,
}

/// One command a user can run.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExportCommand {
    /// The program it belongs to (`cavra`).
    pub program: &'static str,
    /// The words after the program (`["policy", "validate"]`); empty when the
    /// program is itself the command.
    pub path: Vec<&'static str>,
    /// `policy validate`, or the program's name when `path` is empty.
    pub name: &'static str,
    /// The command group: the first word of `path`, or the program.
    pub group: &'static str,
    /// The usage line (`cavra evaluate [OPTIONS] ACTION_TYPE TARGET`).
    pub usage: String,
    /// What it does, in the guide's words.
    pub description: &'static str,
    /// A remark on how it behaves, if any.
    pub note: Option<&'static str>,
    /// Where CAVRA's source declares it: `path:line@commit`.
    pub source: &'static str,
    /// Positional arguments, in order.
    pub arguments: Vec<ExportParam>,
    /// Options, in declaration order.
    pub options: Vec<ExportParam>,
}

/// A positional argument or an option of a command.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExportParam {
    /// As CAVRA declares it (`TARGET`, `--policy-mode`).
    pub name: &'static str,
    /// Every spelling accepted on a command line; empty for an argument.
    pub spellings: Vec<&'static str>,
    /// `TEXT`, `PATH`, `INTEGER`, `FLOAT` or `FLAG`.
    pub value_type: &'static str,
    /// Whether it reads a value.
    pub takes_value: bool,
    pub required: bool,
    /// Whether it may be given more than once.
    pub multiple: bool,
    /// The default as CAVRA's source writes it (`'enforce'`, `2555`).
    pub default: Option<&'static str>,
    /// The values CAVRA documents for it, when it has such a list.
    pub choices: Option<Vec<&'static str>>,
    /// A remark on how it behaves, if any.
    pub note: Option<&'static str>,
    /// What it is, in the guide's words.
    pub description: &'static str,
    /// Where CAVRA's source declares it: `path:line@commit`.
    pub source: &'static str,
}

/// The export of a canon.
pub fn build(canon: &Canon) -> ExportCanon {
    ExportCanon {
        schema_version: SchemaVersion::V1,
        vocabularies: canon.vocabularies.iter().map(vocabulary).collect(),
        boundaries: canon.boundaries.iter().map(boundary).collect(),
        retired_labels: canon
            .retired
            .iter()
            .map(|r| ExportRetiredLabel {
                phrase: r.phrase,
                replacement: r.replacement,
            })
            .collect(),
        required_language: canon
            .required_language
            .iter()
            .map(|r| ExportRequiredLanguage {
                what: r.what,
                phrases: r.phrases.to_vec(),
                provided_by: r.provided_by.map(Into::into),
            })
            .collect(),
        section_cues: canon
            .section_cues
            .iter()
            .map(|c| ExportSectionCue {
                section: c.kind.into(),
                phrases: c.phrases.to_vec(),
            })
            .collect(),
        lead_ins: ExportLeadIns {
            may_contain: canon.lead_ins.may_contain,
            must_not_contain: canon.lead_ins.must_not_contain,
            private_responsibilities: canon.lead_ins.private_responsibilities,
            evidence: canon.lead_ins.evidence,
            synthetic: canon.lead_ins.synthetic,
        },
        private_markers: canon.private_markers.to_vec(),
        provider_hosts: canon.provider_hosts.to_vec(),
        cli: ExportCli {
            programs: canon.cli.programs.to_vec(),
            commands: canon.cli.commands.iter().map(command).collect(),
        },
        surface: surface(canon.surface),
    }
}

fn surface(s: &Surface) -> ExportSurface {
    ExportSurface {
        settings: s
            .settings
            .iter()
            .map(|x| ExportSetting {
                name: x.name,
                kind: x.kind,
                values: x.values.to_vec(),
                vocabulary: x.vocabulary,
                description: x.description,
                source: x.source,
            })
            .collect(),
        routes: s
            .routes
            .iter()
            .map(|r| ExportRoute {
                methods: r.methods.to_vec(),
                path: r.path,
                area: r.area,
                description: r.description,
                source: r.source,
            })
            .collect(),
        paths: crate::canon::surface::paths()
            .iter()
            .map(|p| ExportPath {
                path: p.path,
                open: p.open,
                written_by: p.written_by,
                source: p.source,
            })
            .collect(),
        schema_versions: s
            .schema_versions
            .iter()
            .map(|v| ExportSchemaVersion {
                id: v.id,
                document: v.document,
                source: v.source,
            })
            .collect(),
        contracts: s
            .contracts
            .iter()
            .map(|c| ExportContract {
                id: c.id,
                title: c.title,
                schema_version: c.schema_version,
                names: c.names.to_vec(),
                discriminator: c.discriminator,
                fields: c
                    .fields
                    .iter()
                    .map(|f| ExportContractField {
                        path: f.path,
                        when: f.when,
                        source: f.source,
                    })
                    .collect(),
                open: c.open.to_vec(),
                source: c.source,
            })
            .collect(),
    }
}

fn vocabulary(v: &Vocabulary) -> ExportVocabulary {
    ExportVocabulary {
        id: v.id,
        label: v.label,
        aliases: v.aliases.to_vec(),
        rust_type: v.rust_type,
        fields: v
            .fields
            .iter()
            .map(|f| ExportField {
                key: f.key,
                only_with: f.only_with,
            })
            .collect(),
        terms: v
            .terms
            .iter()
            .map(|t| ExportTerm {
                name: t.name,
                meaning: t.meaning(),
            })
            .collect(),
        other_spellings: OTHER_SPELLINGS
            .iter()
            .filter(|o| o.vocabulary == v.id)
            .map(|o| ExportOtherSpelling {
                spelling: o.spelling,
                term: o.term,
            })
            .collect(),
    }
}

fn items(items: &[Item]) -> Vec<ExportItem> {
    items
        .iter()
        .map(|i| ExportItem {
            text: i.text,
            accepted_wordings: i.also.to_vec(),
        })
        .collect()
}

fn boundary(b: &Boundary) -> ExportBoundary {
    ExportBoundary {
        id: b.id,
        title: b.title,
        triggers: b.triggers.to_vec(),
        not_triggers: b.not_triggers.to_vec(),
        notice: b.notice,
        sections: ExportSections {
            may_contain: items(b.may_contain),
            must_not_contain: items(b.must_not_contain),
            private_responsibilities: items(b.private_responsibilities),
            evidence: items(b.evidence),
        },
        vocabularies: b.vocabularies.to_vec(),
    }
}

fn command(c: &CliCommand) -> ExportCommand {
    ExportCommand {
        program: c.program,
        path: c.path.to_vec(),
        name: c.name,
        group: c.group,
        usage: c.usage(),
        description: c.description,
        note: c.note,
        source: c.source,
        arguments: c.args.iter().map(param).collect(),
        options: c.options.iter().map(param).collect(),
    }
}

fn param(p: &CliParam) -> ExportParam {
    ExportParam {
        name: p.name,
        spellings: p.spellings.to_vec(),
        value_type: p.value_type,
        takes_value: p.takes_value,
        required: p.required,
        multiple: p.multiple,
        default: p.default,
        choices: p.choices.map(<[_]>::to_vec),
        note: p.note,
        description: p.description,
        source: p.source,
    }
}

/// The export as pretty-printed JSON with a final newline: the bytes
/// `mdbook-cavra export` prints.
pub fn to_json(canon: &Canon) -> String {
    let mut out = serde_json::to_string_pretty(&build(canon)).expect("the export serializes");
    out.push('\n');
    out
}

/// The JSON Schema (draft 2020-12) of [`ExportCanon`], generated from the
/// types above, with a final newline.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(ExportCanon);
    let mut out = serde_json::to_string_pretty(&schema).expect("the schema serializes");
    out.push('\n');
    out
}

/// The whole canon as a readable Markdown reference.
pub fn to_markdown(canon: &Canon) -> String {
    let e = build(canon);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# The CAVRA canon\n\nSchema `{SCHEMA_VERSION}`. Generated by `mdbook-cavra export --format markdown`; \
the same data as `mdbook-cavra export` (JSON).\n"
    );

    out.push_str("## Vocabularies\n\n| Vocabulary | Label | Terms |\n| --- | --- | --- |\n");
    for v in &e.vocabularies {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} |",
            v.id,
            v.label,
            codes(v.terms.iter().map(|t| t.name))
        );
    }
    for (v, model) in e.vocabularies.iter().zip(canon.vocabularies) {
        let _ = writeln!(out, "\n### `{}`: {}\n", v.id, v.label);
        let _ = writeln!(out, "- Label: {}", v.label);
        if !v.aliases.is_empty() {
            let _ = writeln!(out, "- Also called: {}", v.aliases.join(", "));
        }
        let fields: Vec<String> = v
            .fields
            .iter()
            .map(|f| match f.only_with {
                Some(w) => format!("`{}` (only with `{w}`)", f.key),
                None => format!("`{}`", f.key),
            })
            .collect();
        let _ = writeln!(out, "- Fields: {}", fields.join(", "));
        let _ = writeln!(out, "- Rust type: `{}`", v.rust_type);
        if !v.other_spellings.is_empty() {
            let others: Vec<String> = v
                .other_spellings
                .iter()
                .map(|o| format!("`{}` → `{}`", o.spelling, o.term))
                .collect();
            let _ = writeln!(out, "- Retired spellings: {}", others.join(", "));
        }
        let _ = writeln!(out, "\n{}", render::states_table(model));
    }

    out.push_str("\n## Boundaries\n");
    for b in &e.boundaries {
        let _ = writeln!(out, "\n### {} (`{}`)\n", b.title, b.id);
        let _ = writeln!(out, "> {}\n", b.notice);
        let _ = writeln!(out, "- Topic phrases: {}", quoted(&b.triggers));
        if !b.not_triggers.is_empty() {
            let _ = writeln!(out, "- Not the topic: {}", quoted(&b.not_triggers));
        }
        if !b.vocabularies.is_empty() {
            let _ = writeln!(
                out,
                "- Vocabularies on its page: {}",
                codes(b.vocabularies.iter().copied())
            );
        }
        let sections = [
            ("May contain", &b.sections.may_contain),
            ("Must not contain", &b.sections.must_not_contain),
            (
                "Private services must implement",
                &b.sections.private_responsibilities,
            ),
            (
                "Evidence that blocks steady-state operation",
                &b.sections.evidence,
            ),
        ];
        for (name, list) in sections {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{name}:\n");
            for i in list.iter() {
                if i.accepted_wordings.is_empty() {
                    let _ = writeln!(out, "- {}", i.text);
                } else {
                    let _ = writeln!(
                        out,
                        "- {} (also accepted: {})",
                        i.text,
                        quoted(&i.accepted_wordings)
                    );
                }
            }
        }
    }

    out.push_str("\n## Retired labels\n\n| Label | Write instead |\n| --- | --- |\n");
    for r in &e.retired_labels {
        let _ = writeln!(out, "| {} | {} |", r.phrase, cell(r.replacement));
    }

    out.push_str(
        "\n## Required boundary language\n\nEvery boundary's own page must make each statement.\n\n\
| Statement | Wordings that count | Made by the directive section |\n| --- | --- | --- |\n",
    );
    for r in &e.required_language {
        let by = r
            .provided_by
            .map(|k| format!("`{}`", section_id(k)))
            .unwrap_or_else(|| "(none: write it)".to_string());
        let _ = writeln!(out, "| {} | {} | {by} |", cell(r.what), quoted(&r.phrases));
    }

    out.push_str("\n## Boundary list cues\n\n| Section | Phrases that introduce a hand-written list |\n| --- | --- |\n");
    for c in &e.section_cues {
        let _ = writeln!(
            out,
            "| `{}` | {} |",
            section_id(c.section),
            quoted(&c.phrases)
        );
    }

    out.push_str("\n## Lead-in sentences\n\n");
    let l = &e.lead_ins;
    for (id, text) in [
        ("may-contain", l.may_contain),
        ("must-not-contain", l.must_not_contain),
        ("private-responsibilities", l.private_responsibilities),
        ("evidence", l.evidence),
        ("synthetic", l.synthetic),
    ] {
        let _ = writeln!(out, "- `{id}`: {text}");
    }

    let _ = writeln!(
        out,
        "\n## Private markers\n\nNone of these names may appear in public material: {}.",
        codes(e.private_markers.iter().copied())
    );
    let _ = writeln!(
        out,
        "\n## Provider hosts\n\nA URL on one of these hosts is production billing or payment material: {}.",
        codes(e.provider_hosts.iter().copied())
    );

    let _ = writeln!(
        out,
        "\n## Command line\n\nPrograms: {}.",
        codes(e.cli.programs.iter().copied())
    );
    for group in canon.cli.groups() {
        let _ = writeln!(out, "\n### `{group}`\n");
        for c in canon.cli.group(group) {
            let _ = writeln!(
                out,
                "#### `{}`\n\n{}\n",
                c.line,
                render::command_reference(c)
            );
        }
    }

    let _ = writeln!(
        out,
        "\n## Settings\n\n{}\n\n## API routes\n\n{}\n\n## Paths under `.cavra/`\n\n{}\n\n## Schema versions\n",
        render::settings_table(canon),
        render::routes_table(canon.surface, None),
        render::paths_table(crate::canon::surface::paths()),
    );
    for v in canon.surface.schema_versions {
        let _ = writeln!(out, "- `{}`: {} (`{}`)", v.id, v.document, v.source);
    }
    out.push_str("\n## Contracts\n");
    for c in canon.surface.contracts {
        let _ = writeln!(out, "\n### `{}`\n\n{}", c.id, render::contract_table(c));
    }
    out
}

fn section_id(k: ExportSectionId) -> &'static str {
    match k {
        ExportSectionId::Notice => "notice",
        ExportSectionId::MayContain => "may-contain",
        ExportSectionId::MustNotContain => "must-not-contain",
        ExportSectionId::PrivateResponsibilities => "private-responsibilities",
        ExportSectionId::Evidence => "evidence",
    }
}

fn codes<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn quoted(phrases: &[&str]) -> String {
    phrases
        .iter()
        .map(|p| format!("\"{}\"", cell(p)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canon::canon;

    #[test]
    fn the_version_constant_is_what_the_json_says() {
        let json: serde_json::Value = serde_json::from_str(&to_json(canon())).unwrap();
        assert_eq!(json["schema_version"], SCHEMA_VERSION);
    }

    #[test]
    fn section_ids_match_the_directive_ids() {
        for k in SectionKind::ALL {
            assert_eq!(section_id(k.into()), k.id());
        }
    }

    #[test]
    fn the_schema_is_draft_2020_12() {
        let schema: serde_json::Value = serde_json::from_str(&schema_json()).unwrap();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
    }
}
