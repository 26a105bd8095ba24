//! `unknown-route`: a method and path of CAVRA's API that the API does not
//! serve.

use super::Rule;
use crate::check::facts::PageFacts;
use crate::check::facts::surface;
use crate::diagnostic::{Level, RuleDoc, RuleMeta, RuleOut};
use crate::model::Surface;
use crate::suggest;

pub static META: RuleMeta = RuleMeta {
    id: "unknown-route",
    default: Level::Deny,
    doc: RuleDoc {
        what: "An HTTP method and path (`POST /v1/evaluate`, `GET/POST /approvals`), or a URL on \
CAVRA's API (`http://localhost:8000/…`, `127.0.0.1:8000`, or a `$…API_BASE…` variable, with the \
method of the `curl` line it is on), whose path the canon's route table lacks, or whose method the \
path does not take. `{id}`, `<id>`, `:id` and `$ID` stand for any segment. URLs of other hosts are \
never judged, nor are routes the text declares a private service's (its sentence, section \
heading, table column or lead-in says \"private\": the Enterprise API a contract page describes).",
        why: "A reader who calls an invented route gets a 404 or a 405, and an invented route in an \
architecture page teaches a model of the product that is not there (CAVRA has no `/v1/evaluate`: \
`POST /decisions` evaluates and stores). The canon lists every route the API and its documentation \
name, each with its source.",
        example: "```console\n$ curl -X POST http://localhost:8000/v1/evaluate -d @request.json\n```\n\nCheck liveness with `GET /healthz`.",
        fix: "Use the route the hint names, or `{{#cavra-routes}}` for the table. When a real route \
is missing, add it to `src/canon/surface.rs` with its source.",
    },
};

pub struct UnknownRoute;

impl Rule for UnknownRoute {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, facts: &PageFacts<'_, '_>, out: &mut RuleOut<'_>) {
        let s = facts.canon.surface;
        surface::each_text(facts.page, |kind, text, at| {
            let routes = surface::routes(text);
            if routes.is_empty() || surface::declared_private(facts.page, kind) {
                return;
            }
            for m in routes {
                if let Some((message, help)) = judge(s, &m.methods, m.path) {
                    out.report(at(m.range.start)..at(m.range.end), message).help = Some(help);
                }
            }
        });
    }
}

/// What is wrong with `methods path`, if anything: the message and the help.
pub fn judge(s: &Surface, methods: &[&str], path: &str) -> Option<(String, String)> {
    let matching: Vec<_> = s.routes.iter().filter(|r| r.matches_path(path)).collect();
    let shown = if methods.is_empty() {
        path.to_string()
    } else {
        format!("{} {}", methods.join("/"), path)
    };
    if matching.is_empty() {
        let help = match suggest::closest(path, s.routes.iter().map(|r| r.path)) {
            Some(c) => {
                let r = s.routes.iter().find(|r| r.path == c).expect("a route");
                format!("did you mean `{}`?", r.display())
            }
            None => "`{{#cavra-routes}}` lists every route of CAVRA's API".to_string(),
        };
        return Some((
            format!("`{}` is not a route of CAVRA's API", suggest::shown(&shown)),
            help,
        ));
    }
    let documented: Vec<&str> = matching
        .iter()
        .flat_map(|r| r.methods.iter().copied())
        .collect();
    if matching.iter().any(|r| r.methods.is_empty()) {
        return None;
    }
    let wrong: Vec<&str> = methods
        .iter()
        .copied()
        .filter(|m| !documented.contains(m))
        .collect();
    if wrong.is_empty() {
        return None;
    }
    Some((
        format!(
            "CAVRA's API does not take `{} {}`",
            wrong.join("/"),
            suggest::shown(path)
        ),
        format!("`{}` takes {}", matching[0].path, suggest::list(documented)),
    ))
}
