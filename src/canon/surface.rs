//! CAVRA's product surface beyond the CLI: settings, HTTP routes, `.cavra/`
//! paths, `schema_version` strings and the fields of the public JSON
//! contracts, each with the file and commit of CAVRA's repository it comes
//! from (as `/work/shared/facts/cavra-product.md` and the contract pages
//! cite them). The guide renders these tables and the checker's
//! `unknown-setting`, `unknown-route`, `unknown-path` and `unknown-field`
//! rules judge a book against them, so a name is added here, with its
//! source, or nowhere.
//!
//! Names that CAVRA's code does not have are kept out on purpose, even
//! where an older page of ours used them: no `/v1/evaluate`, no
//! `/healthz`, no `CAVRA_CONFIG`, and no `checked_at` in the entitlement
//! summary (it belongs to the hosted policy registry summary only).

use std::sync::LazyLock;

use crate::model::{Contract, ContractField, ProductPath, Route, SchemaVersion, Setting, Surface};

const PRODUCT_MODEL: &str = "src/cavra/product_model.py@5f8a1a4d7a03e1cb8277f0477774da460d4a74af";
const API_498: &str = "src/cavra/api.py@498c013c3181d45a20aca10c811c578a16a5db2d";
const API_D42: &str = "src/cavra/api.py@d42a2737454ce0921d31d4f26ea9809b0783b669";
const API_DOC: &str = "docs/wiki/API.md@a3afd5c4aeb9a15d8e389e7bd0859eb776262e5e";
const CLI_PY: &str = "src/cavra/cli.py@2ef4643be99d85c41f858e7051475c3e507d6f81";
const SETUP_PY: &str = "src/cavra/setup.py@2ef4643be99d85c41f858e7051475c3e507d6f81";
const COMPOSE: &str = "docker-compose.yml@498c013c3181d45a20aca10c811c578a16a5db2d";
const ADMIN_DOC: &str = "docs/admin-console.md@498c013c3181d45a20aca10c811c578a16a5db2d";
const REPORT_DOC: &str =
    "docs/architecture/aispm-report-center.md@c3bc4e6341094990e36f14149f83988eae44515f";
const RUNNER: &str = "Huzefaaa2/cavra Go daemon and CI-runner scripts (named through a string search; file not pinned)";
const RUNTIME_PY: &str = "src/cavra/runtime.py@73b078805af89161b3575878c5294602aff9d6dd";
const MODES_DOC: &str = "docs/runtime-policy-modes.md@955acc215818a6cb6b8f9d18c2ca17e3d6ce24be";
const APPROVALS_PY: &str = "src/cavra/approvals.py@158bdc08ab8ea53337910d47351abf12832b791c";
const EVIDENCE_PY: &str = "src/cavra/evidence.py@4987af695f16a37a7c4f4cb9d9607c89b5ab8d2f";
const SAAS_PY: &str = "src/cavra/saas_control_plane.py@266fbd8751297b650e73f6853388c64e8614c6b7";
const SANDBOX_DOC: &str = "apps/sandbox-api/README.md@8c5540910fc48c0dcdd824c2c9a24db19d42083c";
const ENTITLEMENT_DOC: &str =
    "docs/architecture/entitlement-status-contract.md@d474818f4038b292b49545df9e2a1adb3711073b";
const ONBOARDING_DOC: &str =
    "docs/architecture/tenant-onboarding-contract.md@75ab93cecac0cf9f38a3512288c10f7ea6c3ec32";
const REGISTRY_DOC: &str = "docs/architecture/hosted-policy-registry-readiness-contract.md@32fadb973b5ec1bd3a3cf023b83eaa81385c38ab";
const AUDIT_STORE_DOC: &str = "docs/architecture/tenant-audit-store-operating-contract.md@32fadb973b5ec1bd3a3cf023b83eaa81385c38ab";
const DASHBOARD_DOC: &str = "docs/architecture/customer-operating-dashboard-support-handoff-contract.md@1774bbed82bd897a49f693f71dbe3c439fb00609";
const AUTOMATION_DOC: &str = "docs/architecture/saas-operating-automation-contract.md@10333f3d5f2e27d34a9207cd1b937b8e3e68ee13";
const CONTRACT_DOC: &str =
    "docs/architecture/saas-control-plane-contract.md@0727fb24c3b8a69f3912017df617de9625892998";

const fn env(name: &'static str, description: &'static str, source: &'static str) -> Setting {
    Setting {
        name,
        kind: "env",
        values: &[],
        vocabulary: None,
        description,
        source,
    }
}

const fn env_of(
    name: &'static str,
    values: &'static [&'static str],
    description: &'static str,
    source: &'static str,
) -> Setting {
    Setting {
        name,
        kind: "env",
        values,
        vocabulary: None,
        description,
        source,
    }
}

const fn browser(name: &'static str, description: &'static str, source: &'static str) -> Setting {
    Setting {
        name,
        kind: "browser",
        values: &[],
        vocabulary: None,
        description,
        source,
    }
}

/// Every `CAVRA_*` name CAVRA reads or documents.
pub static SETTINGS: &[Setting] = &[
    env(
        "CAVRA_POLICY_DIR",
        "First place policy packs are looked up, before `./policies` and the packs next to the source tree.",
        "src/cavra/policy_registry.py@1ec180139f50ba6c1f6069e5557802bad242bffe",
    ),
    env_of(
        "CAVRA_DEPLOYMENT_MODE",
        &["community", "managed", "trial_access"],
        "Which product path the deployment runs as.",
        PRODUCT_MODEL,
    ),
    env_of(
        "CAVRA_COMMERCIAL_ENTITLEMENT",
        &["none", "enterprise_subscription", "managed"],
        "The commercial entitlement the deployment holds.",
        PRODUCT_MODEL,
    ),
    env_of(
        "CAVRA_PROVIDER_PROFILE",
        &["local", "self_hosted", "managed"],
        "Who runs the deployment's services.",
        PRODUCT_MODEL,
    ),
    env_of(
        "CAVRA_EDITION",
        &["community", "enterprise", "business", "saas", "trial"],
        "Legacy edition label, mapped to the product model with a deprecation warning; `cavra setup` also uses it for the workspace mode.",
        PRODUCT_MODEL,
    ),
    env(
        "CAVRA_CORS_ORIGINS",
        "Comma-separated browser origins the API answers.",
        API_498,
    ),
    env(
        "CAVRA_EVIDENCE_METADATA_DB",
        "Evidence metadata store of the API (default `.cavra/api/evidence-metadata.json`).",
        API_498,
    ),
    env(
        "CAVRA_EVIDENCE_METADATA_STORE",
        "Evidence metadata store of the API (default `.cavra/api/evidence-metadata.json`).",
        API_498,
    ),
    env(
        "CAVRA_EVIDENCE_ARTIFACT_ROOT",
        "Folder the evidence artifact download routes serve from.",
        API_498,
    ),
    env(
        "CAVRA_APPROVAL_DB",
        "Approval store of the API (default `.cavra/api/approvals.json`).",
        API_498,
    ),
    env(
        "CAVRA_APPROVAL_STORE",
        "Approval store of the API (default `.cavra/api/approvals.json`).",
        API_498,
    ),
    env(
        "CAVRA_APPROVAL_ROUTING_FILE",
        "Approval routing rules, JSON or YAML.",
        API_498,
    ),
    env(
        "CAVRA_APPROVAL_PROVIDER_CONFIG",
        "Configuration of outside approval providers.",
        API_498,
    ),
    env(
        "CAVRA_CONNECTOR_CONFIG",
        "Connector delivery configuration.",
        API_498,
    ),
    env(
        "CAVRA_APPROVAL_RBAC_FILE",
        "Repository role-based access policy for approvers.",
        API_498,
    ),
    env(
        "CAVRA_APPROVAL_OIDC_CONFIG",
        "OIDC issuer, audience and key set used to check approver tokens.",
        API_498,
    ),
    env(
        "CAVRA_ENTERPRISE_IDENTITY_POLICY",
        "Identity policy file.",
        API_498,
    ),
    env(
        "CAVRA_REGISTRY_DB",
        "Agent registry store of the API (default `.cavra/api/registry.json`).",
        API_498,
    ),
    env(
        "CAVRA_REGISTRY_STORE",
        "Agent registry store of the API (default `.cavra/api/registry.json`).",
        API_498,
    ),
    env(
        "CAVRA_ACTIVITY_DB",
        "Activity store of the API (default `.cavra/api/activity.json`).",
        API_498,
    ),
    env(
        "CAVRA_ACTIVITY_STORE",
        "Activity store of the API (default `.cavra/api/activity.json`).",
        API_498,
    ),
    env(
        "CAVRA_INVENTORY_DB",
        "Inventory store of the API (default `.cavra/api/inventory.json`).",
        API_498,
    ),
    env(
        "CAVRA_INVENTORY_STORE",
        "Inventory store of the API (default `.cavra/api/inventory.json`).",
        API_498,
    ),
    env(
        "CAVRA_INTEGRATION_DB",
        "Integration store of the API (default `.cavra/api/integrations.json`).",
        API_498,
    ),
    env(
        "CAVRA_INTEGRATION_STORE",
        "Integration store of the API (default `.cavra/api/integrations.json`).",
        API_498,
    ),
    env(
        "CAVRA_PILOT_INTAKE_STORE",
        "Pilot intake store of the API (default `.cavra/api/pilot-intakes.json`).",
        API_498,
    ),
    env(
        "CAVRA_PUBLIC_API_BASE_URL",
        "The API's public address, also set by the Azure static UI deployment.",
        API_498,
    ),
    env(
        "CAVRA_SETUP_STATE_STORE",
        "Where `cavra setup` keeps its state (default `.cavra/setup-state.json`).",
        SETUP_PY,
    ),
    env(
        "CAVRA_ROLLOUT_PROMOTION_SIGNING_KEY",
        "Ed25519 PEM key that signs rollout promotion requests.",
        "src/cavra/release.py@dd757bef47734aecd682657d2dfe363e7249bf54",
    ),
    env(
        "CAVRA_GO_RELEASE_SIGNING_KEY",
        "Ed25519 PEM key that signs rollout promotion requests (Go release path).",
        "src/cavra/release.py@dd757bef47734aecd682657d2dfe363e7249bf54",
    ),
    env(
        "CAVRA_RELEASE_CHANNEL_SIGNING_KEY",
        "Release channel signing key, named in a CLI option's help.",
        CLI_PY,
    ),
    env(
        "CAVRA_ADMIN_ENABLED",
        "`true` turns on the `/admin/*` routes; otherwise they answer 404.",
        ADMIN_DOC,
    ),
    env(
        "CAVRA_ADMIN_DEFAULT_ACTOR",
        "Actor recorded for admin console actions (`local-admin` in the compose file).",
        COMPOSE,
    ),
    env(
        "CAVRA_DEPLOYMENT_ENVIRONMENT",
        "Deployment context label (`local` in the compose file).",
        COMPOSE,
    ),
    env(
        "CAVRA_DEPLOYMENT_PLATFORM",
        "Deployment context label (`docker` in the compose file).",
        COMPOSE,
    ),
    env(
        "CAVRA_DEPLOYMENT_RUNTIME",
        "Deployment context label (`container` in the compose file).",
        COMPOSE,
    ),
    env(
        "CAVRA_INSTALL_TARGET",
        "Deployment context label (`community` in the compose file).",
        COMPOSE,
    ),
    env(
        "CAVRA_ORCHESTRATOR",
        "Deployment context label (`docker_desktop` in the compose file).",
        COMPOSE,
    ),
    Setting {
        name: "CAVRA_REPORT_DELIVERY_MODE",
        kind: "env",
        values: &[],
        vocabulary: Some("report-delivery"),
        description: "How the report center delivers reports.",
        source: REPORT_DOC,
    },
    env(
        "CAVRA_REPORT_FROM_ADDRESS",
        "Sender address of delivered reports.",
        REPORT_DOC,
    ),
    env(
        "CAVRA_REPORT_REPLY_TO",
        "Reply-to address of delivered reports.",
        REPORT_DOC,
    ),
    env(
        "CAVRA_REPORT_ALLOWED_RECIPIENT_DOMAINS",
        "Recipient domains reports may go to.",
        REPORT_DOC,
    ),
    env(
        "CAVRA_REPORT_DEFAULT_TIMEZONE",
        "Time zone of report schedules.",
        REPORT_DOC,
    ),
    env(
        "CAVRA_REPORT_RETENTION_DAYS",
        "How long delivered reports are kept.",
        REPORT_DOC,
    ),
    env(
        "CAVRA_REPORT_BRAND_PROFILE",
        "Branding applied to reports.",
        REPORT_DOC,
    ),
    env("CAVRA_REPORT_SMTP_HOST", "SMTP relay host.", REPORT_DOC),
    env("CAVRA_REPORT_SMTP_PORT", "SMTP relay port.", REPORT_DOC),
    env(
        "CAVRA_REPORT_SMTP_USERNAME_REF",
        "Reference to the SMTP user name in a secret store.",
        REPORT_DOC,
    ),
    env(
        "CAVRA_REPORT_SMTP_PASSWORD_REF",
        "Reference to the SMTP password in a secret store.",
        REPORT_DOC,
    ),
    env(
        "CAVRA_REPORT_PROVIDER_TOKEN_REF",
        "Reference to a delivery provider's token in a secret store.",
        REPORT_DOC,
    ),
    env(
        "CAVRA_REPORT_SMTP_PASSWORD",
        "Not a setting of its own: the default name `cavra setup smtp` stores as the password reference, where the secret is expected.",
        SETUP_PY,
    ),
    env(
        "CAVRA_EVIDENCE_SIGNING_KEY",
        "CI secret passed to `cavra evidence` as the HMAC `--key`; the Python code does not read it.",
        ".github/workflows/cavra-governance.yml@0a93b94b622d507c869a94ff10fe8896dc917620",
    ),
    env(
        "CAVRA_POLICY",
        "Written into `.mcp.json` by `cavra init claude-code`; the MCP server does not read it.",
        CLI_PY,
    ),
    env(
        "CAVRA_POLICY_SIGNING_KEY",
        "Policy signing key named by the API documentation.",
        API_DOC,
    ),
    env(
        "CAVRA_RUNNER_PROVIDER",
        "CI runner provider of the Go daemon.",
        RUNNER,
    ),
    env(
        "CAVRA_RUNNER_AUTH_HMAC_KEY",
        "HMAC key the CI runner authenticates with.",
        RUNNER,
    ),
    env(
        "CAVRA_RUNNER_OIDC_JWKS_URL",
        "Key set URL for CI runner OIDC tokens.",
        RUNNER,
    ),
    env(
        "CAVRA_RUNNER_OIDC_ISSUER",
        "Issuer of CI runner OIDC tokens.",
        RUNNER,
    ),
    env(
        "CAVRA_RUNNER_AUTH_OIDC_TOKEN",
        "OIDC token a CI runner presents.",
        RUNNER,
    ),
    env(
        "CAVRA_RUNNER_AUTH_OIDC_TOKEN_FILE",
        "File holding the OIDC token a CI runner presents.",
        RUNNER,
    ),
    env(
        "CAVRA_DAEMON_EVIDENCE_HMAC_KEY",
        "HMAC key the Go daemon signs evidence with.",
        RUNNER,
    ),
    env(
        "CAVRA_DAEMON_EVIDENCE_KEY_ID",
        "Key id of the Go daemon's evidence key.",
        RUNNER,
    ),
    env(
        "CAVRA_GO_RELEASE_BUILDER_ID",
        "Builder id recorded by the Go release build.",
        RUNNER,
    ),
    env(
        "CAVRA_TENANT_ID",
        "Tenant id in the zero-trust deployment templates.",
        "Huzefaaa2/cavra zero-trust deployment templates (file not pinned)",
    ),
    browser(
        "CAVRA_API_BASE",
        "Browser global in the sandbox UI's `config.js`: the API address.",
        "docker/sandbox-ui.config.local.js@604e50661855678a9804403f8d022cb633aadda1",
    ),
    browser(
        "CAVRA_TRIAL_API_URL",
        "Browser global in the sandbox UI's `config.js`: the trial API address.",
        "docker/sandbox-ui.config.local.js@604e50661855678a9804403f8d022cb633aadda1",
    ),
    browser(
        "CAVRA_ADMIN_API_BASE",
        "Browser global in the admin console's `config.js`: the API address.",
        "docker/admin-console.config.local.js@498c013c3181d45a20aca10c811c578a16a5db2d",
    ),
];

const fn route(
    methods: &'static [&'static str],
    path: &'static str,
    area: &'static str,
    description: &'static str,
    source: &'static str,
) -> Route {
    Route {
        methods,
        path,
        area,
        description,
        source,
    }
}

const G: &[&str] = &["GET"];
const P: &[&str] = &["POST"];
const GP: &[&str] = &["GET", "POST"];
/// The source names the path but not its methods.
const ANY: &[&str] = &[];

/// Every route of CAVRA's API the sources name.
pub static ROUTES: &[Route] = &[
    route(
        G,
        "/health",
        "service",
        "Liveness: `{\"status\":\"ok\",\"product\":\"CAVRA\"}`.",
        API_DOC,
    ),
    route(
        G,
        "/version",
        "service",
        "The server's name and version.",
        API_498,
    ),
    route(
        G,
        "/console/config",
        "service",
        "Configuration the consoles read.",
        API_498,
    ),
    route(
        G,
        "/console/security-boundary",
        "service",
        "The public/private boundary the consoles show.",
        API_498,
    ),
    route(
        G,
        "/console/session",
        "service",
        "The console's session.",
        API_498,
    ),
    route(
        GP,
        "/sessions",
        "sessions",
        "List or open sessions.",
        API_DOC,
    ),
    route(G, "/sessions/{id}", "sessions", "One session.", API_DOC),
    route(
        GP,
        "/decisions",
        "sessions",
        "List decisions; POST evaluates an action and stores the decision.",
        API_D42,
    ),
    route(G, "/decisions/{id}", "sessions", "One decision.", API_DOC),
    route(
        G,
        "/policy-pack-catalog",
        "policy",
        "The policy pack catalog.",
        API_498,
    ),
    route(
        P,
        "/policy-packs/draft",
        "policy",
        "Draft a policy pack.",
        API_498,
    ),
    route(
        P,
        "/policy-packs/publish-plan",
        "policy",
        "Plan a pack publication.",
        API_498,
    ),
    route(
        P,
        "/policy-packs/publish-request",
        "policy",
        "Request a pack publication.",
        API_498,
    ),
    route(
        P,
        "/policy-packs/publish",
        "policy",
        "Publish a pack.",
        API_498,
    ),
    route(
        ANY,
        "/repositories",
        "policy",
        "Repositories under policy.",
        API_498,
    ),
    route(
        GP,
        "/policy-rollouts",
        "policy",
        "Policy rollouts.",
        API_498,
    ),
    route(
        ANY,
        "/policy-rollouts/change-plan",
        "policy",
        "Plan a rollout change.",
        API_498,
    ),
    route(
        ANY,
        "/policy-rollouts/apply-change",
        "policy",
        "Apply a rollout change.",
        API_498,
    ),
    route(
        ANY,
        "/policy-rollout-details/{id}",
        "policy",
        "One rollout in detail.",
        API_498,
    ),
    route(GP, "/agents", "agents", "The agent registry.", API_498),
    route(GP, "/agents/profiles", "agents", "Agent profiles.", API_498),
    route(
        GP,
        "/agents/{id}",
        "agents",
        "One registered agent.",
        API_498,
    ),
    route(
        ANY,
        "/mcp/servers",
        "agents",
        "Registered MCP servers.",
        API_498,
    ),
    route(
        ANY,
        "/mcp/tool-classifications",
        "agents",
        "MCP tool classifications.",
        API_498,
    ),
    route(G, "/mcp/trust", "agents", "MCP trust summary.", API_498),
    route(GP, "/evidence", "evidence", "Evidence records.", API_498),
    route(
        GP,
        "/evidence/{session_id}",
        "evidence",
        "A session's evidence.",
        API_498,
    ),
    route(
        ANY,
        "/evidence/{session_id}/artifacts",
        "evidence",
        "A session's evidence artifacts.",
        API_498,
    ),
    route(
        ANY,
        "/evidence/{session_id}/artifacts/{name}",
        "evidence",
        "One evidence artifact.",
        API_498,
    ),
    route(
        ANY,
        "/evidence/{session_id}/artifact-bundle",
        "evidence",
        "A session's artifacts as one bundle.",
        API_498,
    ),
    route(
        P,
        "/evidence/{session_id}/promotion-request",
        "evidence",
        "Request promotion of evidence.",
        API_498,
    ),
    route(
        P,
        "/evidence/{session_id}/promotion-execution",
        "evidence",
        "Carry out an evidence promotion.",
        API_498,
    ),
    route(
        GP,
        "/approvals",
        "approvals",
        "List or create approval requests.",
        API_DOC,
    ),
    route(
        G,
        "/approvals/{id}",
        "approvals",
        "One approval request.",
        API_DOC,
    ),
    route(
        P,
        "/approvals/{id}/approve",
        "approvals",
        "Approve a pending request.",
        API_DOC,
    ),
    route(
        P,
        "/approvals/{id}/deny",
        "approvals",
        "Deny a pending request.",
        API_DOC,
    ),
    route(
        P,
        "/approvals/{id}/expire",
        "approvals",
        "Expire a pending request.",
        API_DOC,
    ),
    route(
        P,
        "/approvals/{id}/deliver",
        "approvals",
        "Deliver a request to its provider.",
        API_DOC,
    ),
    route(
        P,
        "/approvals/{id}/attach-decision",
        "approvals",
        "Attach a decision to a request.",
        API_DOC,
    ),
    route(
        P,
        "/approvals/break-glass",
        "approvals",
        "Open a break-glass record.",
        API_DOC,
    ),
    route(ANY, "/integrations", "operations", "Integrations.", API_498),
    route(
        ANY,
        "/integrations/{id}/deliver",
        "operations",
        "Deliver through an integration.",
        API_498,
    ),
    route(
        G,
        "/operations/stores",
        "operations",
        "The API's stores.",
        API_498,
    ),
    route(
        G,
        "/operations/retention-plan",
        "operations",
        "The retention plan.",
        API_498,
    ),
    route(
        G,
        "/deployment/production-readiness",
        "operations",
        "Production readiness of the deployment.",
        API_498,
    ),
    route(
        ANY,
        "/runtime/go-pilot/*",
        "operations",
        "The Go runtime pilot.",
        API_498,
    ),
    route(
        G,
        "/api/sandbox/scenarios",
        "sandbox",
        "Sandbox scenarios.",
        SANDBOX_DOC,
    ),
    route(
        P,
        "/api/sandbox/run",
        "sandbox",
        "Run a sandbox scenario.",
        SANDBOX_DOC,
    ),
    route(
        G,
        "/api/sandbox/runs/{run_id}",
        "sandbox",
        "One sandbox run.",
        SANDBOX_DOC,
    ),
    route(
        G,
        "/api/sandbox/runs/{run_id}/events",
        "sandbox",
        "A run's events.",
        SANDBOX_DOC,
    ),
    route(
        G,
        "/api/sandbox/runs/{run_id}/evidence",
        "sandbox",
        "A run's evidence.",
        SANDBOX_DOC,
    ),
    route(
        G,
        "/api/sandbox/runs/{run_id}/attestation",
        "sandbox",
        "A run's attestation.",
        SANDBOX_DOC,
    ),
    route(
        G,
        "/api/sandbox/runs/{run_id}/compliance",
        "sandbox",
        "A run's compliance mapping.",
        SANDBOX_DOC,
    ),
    route(
        G,
        "/admin/status",
        "admin",
        "Admin status (needs `CAVRA_ADMIN_ENABLED=true`).",
        ADMIN_DOC,
    ),
    route(
        G,
        "/admin/readiness",
        "admin",
        "Deployment readiness.",
        ADMIN_DOC,
    ),
    route(G, "/admin/stores", "admin", "Store inventory.", ADMIN_DOC),
    route(
        G,
        "/admin/policy-packs",
        "admin",
        "Policy pack lifecycle.",
        ADMIN_DOC,
    ),
    route(
        P,
        "/admin/backups/plan",
        "admin",
        "Plan a backup.",
        ADMIN_DOC,
    ),
    route(
        P,
        "/admin/backups/run",
        "admin",
        "Run a backup (confirm with `BACKUP`).",
        ADMIN_DOC,
    ),
    route(
        P,
        "/admin/retention-plan",
        "admin",
        "Plan retention.",
        ADMIN_DOC,
    ),
    route(
        P,
        "/admin/policy-packs/upload",
        "admin",
        "Upload a policy pack.",
        ADMIN_DOC,
    ),
    route(
        P,
        "/admin/policy-packs/publish-plan",
        "admin",
        "Plan a pack publication.",
        ADMIN_DOC,
    ),
    route(
        P,
        "/admin/policy-packs/publish-request",
        "admin",
        "Request a pack publication.",
        ADMIN_DOC,
    ),
    route(
        P,
        "/admin/policy-packs/publish",
        "admin",
        "Publish a pack.",
        ADMIN_DOC,
    ),
    route(G, "/setup/status", "setup", "Setup state.", API_DOC),
    route(G, "/setup/defaults", "setup", "Setup defaults.", API_DOC),
    route(
        P,
        "/setup/bootstrap",
        "setup",
        "Bootstrap a workspace.",
        API_DOC,
    ),
    route(
        P,
        "/setup/demo-workspace",
        "setup",
        "Create the demo workspace.",
        API_DOC,
    ),
    route(
        P,
        "/setup/smtp/test",
        "setup",
        "Test SMTP delivery.",
        API_DOC,
    ),
    route(
        P,
        "/setup/validate",
        "setup",
        "Validate the setup.",
        API_DOC,
    ),
    route(
        P,
        "/setup/complete",
        "setup",
        "Mark setup complete.",
        API_DOC,
    ),
    route(
        GP,
        "/policy-action-catalog",
        "setup",
        "The policy action catalog.",
        API_DOC,
    ),
    route(
        &["PATCH", "DELETE"],
        "/policy-action-catalog/{entry_id}",
        "setup",
        "Change or remove a catalog entry.",
        API_DOC,
    ),
    route(
        P,
        "/policy-action-catalog/test",
        "setup",
        "Test a catalog entry.",
        API_DOC,
    ),
    route(
        G,
        "/saas/control-plane/contract",
        "saas",
        "The public control-plane contract.",
        API_498,
    ),
    route(
        P,
        "/saas/operating-automation",
        "saas",
        "An operating-automation request and response.",
        API_498,
    ),
    route(
        P,
        "/saas/operating-automation/worker-handoff",
        "saas",
        "A worker-handoff request and response.",
        API_498,
    ),
];

const fn path(path: &'static str, written_by: &'static str, source: &'static str) -> ProductPath {
    ProductPath {
        path,
        open: false,
        written_by,
        source,
    }
}

const fn folder(path: &'static str, written_by: &'static str, source: &'static str) -> ProductPath {
    ProductPath {
        path,
        open: true,
        written_by,
        source,
    }
}

/// Files and folders under `.cavra/` the fact sheet names (the CLI's own
/// defaults are added by [`paths`]).
pub static PATHS: &[ProductPath] = &[
    path(
        ".cavra/policy.yaml",
        "`cavra policy init`, `cavra init claude-code`",
        CLI_PY,
    ),
    folder(".cavra/session/", "`cavra init claude-code`", CLI_PY),
    path(
        ".cavra/approvals.json",
        "`cavra approval` commands (`--store`)",
        CLI_PY,
    ),
    folder(
        ".cavra/approvals/",
        "approval notification, provider-request and delivery exports",
        CLI_PY,
    ),
    path(".cavra/registry.json", "`cavra registry` commands", CLI_PY),
    path(
        ".cavra/evidence/latest/",
        "`cavra evidence bundle`",
        EVIDENCE_PY,
    ),
    path(
        ".cavra/evidence/latest/evidence.json",
        "`cavra evidence bundle`",
        EVIDENCE_PY,
    ),
    path(
        ".cavra/evidence/latest/pr-attestation.md",
        "`cavra evidence bundle`",
        EVIDENCE_PY,
    ),
    path(
        ".cavra/evidence/latest/compliance-mapping.md",
        "`cavra evidence bundle`",
        EVIDENCE_PY,
    ),
    path(
        ".cavra/evidence/latest/siem-event.json",
        "`cavra evidence bundle`",
        EVIDENCE_PY,
    ),
    path(
        ".cavra/evidence/latest/sandbox-run-summary.json",
        "`cavra evidence bundle`",
        EVIDENCE_PY,
    ),
    path(
        ".cavra/evidence/latest/retention-policy.json",
        "`cavra evidence bundle`",
        EVIDENCE_PY,
    ),
    path(
        ".cavra/evidence/latest/manifest.json",
        "`cavra evidence bundle`",
        EVIDENCE_PY,
    ),
    path(
        ".cavra/keys/evidence-ed25519-private.pem",
        "`cavra evidence generate-keypair`",
        CLI_PY,
    ),
    path(
        ".cavra/keys/evidence-ed25519-public.pem",
        "`cavra evidence generate-keypair`",
        CLI_PY,
    ),
    path(
        ".cavra/keys/evidence-trust-root.json",
        "`cavra evidence trust-root`",
        CLI_PY,
    ),
    path(
        ".cavra/keys/evidence-trust-roots.json",
        "`cavra evidence trust-bundle`",
        CLI_PY,
    ),
    path(
        ".cavra/policy-signing/local-policy-signing-key.private.pem",
        "`cavra policy keygen`",
        CLI_PY,
    ),
    path(
        ".cavra/policy-signing/local-policy-signing-key.public.pem",
        "`cavra policy keygen`",
        CLI_PY,
    ),
    path(
        ".cavra/policy.yaml.sig.json",
        "`cavra policy sign` (beside the signed file)",
        "src/cavra/policy_engine.py@955acc215818a6cb6b8f9d18c2ca17e3d6ce24be",
    ),
    folder(".cavra/backups/latest/", "`cavra ops backup`", CLI_PY),
    path(".cavra/setup-state.json", "`cavra setup init`", SETUP_PY),
    path(".cavra/demo-workspace/", "`cavra setup demo-env`", SETUP_PY),
    path(
        ".cavra/demo-workspace/.env",
        "`cavra setup demo-env`",
        SETUP_PY,
    ),
    path(
        ".cavra/demo-workspace/README.md",
        "`cavra setup demo-env`",
        SETUP_PY,
    ),
    path(
        ".cavra/demo-workspace/safe-notes.md",
        "`cavra setup demo-env`",
        SETUP_PY,
    ),
    path(
        ".cavra/demo-workspace/fake.env",
        "`cavra setup demo-env`",
        SETUP_PY,
    ),
    path(
        ".cavra/demo-workspace/iam/admin-role.tf",
        "`cavra setup demo-env`",
        SETUP_PY,
    ),
    path(
        ".cavra/demo-workspace/terraform/main.tf",
        "`cavra setup demo-env`",
        SETUP_PY,
    ),
    path(
        ".cavra/demo-workspace/kubernetes/delete-prod.yaml",
        "`cavra setup demo-env`",
        SETUP_PY,
    ),
    path(
        ".cavra/demo-workspace/scripts/deploy.sh",
        "`cavra setup demo-env`",
        SETUP_PY,
    ),
    path(".cavra/api/*.json", "the API's default stores", API_498),
];

/// Every `.cavra/` path: [`PATHS`], then each default of a CLI option or
/// argument that lies under `.cavra/` (a default without a file extension
/// is a folder whose contents the canon does not list).
pub fn paths() -> &'static [ProductPath] {
    static ALL: LazyLock<Vec<ProductPath>> = LazyLock::new(|| {
        let mut out: Vec<ProductPath> = PATHS.to_vec();
        for c in crate::canon::cli().commands {
            for p in c.args.iter().chain(c.options) {
                let Some(d) = p.default_value() else { continue };
                if !(d == ".cavra" || d.starts_with(".cavra/")) {
                    continue;
                }
                let trimmed = d.trim_end_matches('/');
                if out.iter().any(|e| e.trimmed() == trimmed) {
                    continue;
                }
                let last = trimmed.rsplit('/').next().unwrap_or(trimmed);
                let is_folder = !last.contains('.') || trimmed == ".cavra";
                let path: &'static str = if is_folder {
                    Box::leak(format!("{trimmed}/").into_boxed_str())
                } else {
                    Box::leak(trimmed.to_string().into_boxed_str())
                };
                out.push(ProductPath {
                    path,
                    // The bare `.cavra` audit folder is not open: every path
                    // under it would pass.
                    open: is_folder && trimmed != ".cavra",
                    written_by: c.line,
                    source: p.source,
                });
            }
        }
        out
    });
    &ALL
}

const fn schema(id: &'static str, document: &'static str, source: &'static str) -> SchemaVersion {
    SchemaVersion {
        id,
        document,
        source,
    }
}

/// Every `schema_version` string the sources name.
pub static SCHEMA_VERSIONS: &[SchemaVersion] = &[
    schema("cavra.approval.v1", "approval record", APPROVALS_PY),
    schema(
        "cavra.evidence.bundle.v1",
        "evidence bundle manifest (`manifest.json`)",
        EVIDENCE_PY,
    ),
    schema(
        "cavra.evidence.retention.v1",
        "evidence retention policy (`retention-policy.json`)",
        EVIDENCE_PY,
    ),
    schema(
        "cavra.evidence.trust-root.v1",
        "evidence trust root",
        CLI_PY,
    ),
    schema(
        "cavra.evidence.trust-root-bundle.v1",
        "bundle of evidence trust roots",
        CLI_PY,
    ),
    schema(
        "cavra.evidence.trust-root-distribution.v1",
        "trust root distribution manifest",
        CLI_PY,
    ),
    schema(
        "cavra.evidence.metadata.v1",
        "evidence index metadata",
        CLI_PY,
    ),
    schema(
        "cavra.webhook.evidence.v1",
        "evidence webhook payload (`webhook-payload.json`)",
        CLI_PY,
    ),
    schema(
        "cavra.immutable-storage-plan.v1",
        "immutable storage plan",
        CLI_PY,
    ),
    schema(
        "cavra.saas_control_plane.contract.v1",
        "public SaaS control-plane contract",
        SAAS_PY,
    ),
    schema(
        "cavra.saas_control_plane.request.v1",
        "SaaS control-plane request",
        SAAS_PY,
    ),
    schema(
        "cavra.saas_control_plane.response.v1",
        "SaaS control-plane response",
        SAAS_PY,
    ),
    schema(
        "cavra.policy_pack.catalog.v1",
        "policy pack catalog of the API",
        SETUP_PY,
    ),
    schema("cavra.policy_pack.draft.v1", "policy pack draft", SETUP_PY),
    schema(
        "cavra.policy-signature.v1",
        "policy signature file (`<policy>.sig.json`)",
        "src/cavra/policy_engine.py@955acc215818a6cb6b8f9d18c2ca17e3d6ce24be",
    ),
    schema(
        "cavra.policy-action-catalog.v1",
        "policy action catalog",
        SETUP_PY,
    ),
    schema(
        "cavra.policy-action-change-plan.v1",
        "policy action change plan",
        SETUP_PY,
    ),
    schema(
        "cavra.policy-action-test.v1",
        "policy action test",
        SETUP_PY,
    ),
    schema(
        "cavra.api.v1",
        "the API's public contract (`x-cavra-api-versioning.public_contract` in OpenAPI)",
        API_498,
    ),
];

macro_rules! fields {
    ($source:expr; $($path:literal),* $(,)?) => {
        &[$(ContractField { path: $path, when: None, source: $source }),*]
    };
}

/// The keys of the decision record, `ActionDecision.to_dict`.
macro_rules! decision_keys {
    ($prefix:literal) => {
        [
            concat!($prefix, "decision_id"),
            concat!($prefix, "session_id"),
            concat!($prefix, "agent_id"),
            concat!($prefix, "actor"),
            concat!($prefix, "action_type"),
            concat!($prefix, "target"),
            concat!($prefix, "requested_operation"),
            concat!($prefix, "policy_pack"),
            concat!($prefix, "policy_id"),
            concat!($prefix, "rule_id"),
            concat!($prefix, "decision"),
            concat!($prefix, "severity"),
            concat!($prefix, "reason"),
            concat!($prefix, "evidence_refs"),
            concat!($prefix, "approver_group"),
            concat!($prefix, "timestamp"),
            concat!($prefix, "correlation_id"),
        ]
    };
}

const fn keys<const N: usize>(
    paths: [&'static str; N],
    source: &'static str,
) -> [ContractField; N] {
    let mut out = [ContractField {
        path: "",
        when: None,
        source: "",
    }; N];
    let mut i = 0;
    while i < N {
        out[i] = ContractField {
            path: paths[i],
            when: None,
            source,
        };
        i += 1;
    }
    out
}

const fn when<const N: usize>(
    operation: &'static str,
    paths: [&'static str; N],
    source: &'static str,
) -> [ContractField; N] {
    let mut out = keys(paths, source);
    let mut i = 0;
    while i < N {
        out[i].when = Some(operation);
        i += 1;
    }
    out
}

/// Concatenate arrays of fields into one static slice.
macro_rules! concat_fields {
    ($($part:expr),+ $(,)?) => {{
        const PARTS: &[&[ContractField]] = &[$(&$part),+];
        const LEN: usize = {
            let mut n = 0;
            let mut i = 0;
            while i < PARTS.len() {
                n += PARTS[i].len();
                i += 1;
            }
            n
        };
        const OUT: [ContractField; LEN] = {
            let mut out = [ContractField { path: "", when: None, source: "" }; LEN];
            let mut k = 0;
            let mut i = 0;
            while i < PARTS.len() {
                let mut j = 0;
                while j < PARTS[i].len() {
                    out[k] = PARTS[i][j];
                    k += 1;
                    j += 1;
                }
                i += 1;
            }
            out
        };
        &OUT
    }};
}

const DECISION: [ContractField; 17] = keys(decision_keys!(""), RUNTIME_PY);

/// The public JSON contracts and every key the canon knows of each.
pub static CONTRACTS: &[Contract] = &[
    Contract {
        id: "decision",
        title: "Decision record",
        schema_version: None,
        names: &["decision record", "decision object"],
        discriminator: None,
        fields: &DECISION,
        open: &[],
        source: RUNTIME_PY,
    },
    Contract {
        id: "policy-mode-summary",
        title: "Policy-mode summary (`cavra evaluate --json`)",
        schema_version: None,
        names: &["policy-mode summary", "mode summary", "evaluate --json"],
        discriminator: None,
        fields: concat_fields!(
            keys(
                [
                    "schema_version",
                    "mode",
                    "base_decision",
                    "effective_decision",
                    "mode_reason",
                    "evidence_required"
                ],
                MODES_DOC
            ),
            keys(decision_keys!("base_decision."), RUNTIME_PY),
        ),
        // The summary carries the break-glass actor and reason "when
        // applicable", under keys the stored sources do not spell out.
        open: &["break_glass*"],
        source: MODES_DOC,
    },
    Contract {
        id: "approval-record",
        title: "Approval record",
        schema_version: Some("cavra.approval.v1"),
        names: &["approval record", "approval request record"],
        discriminator: None,
        fields: concat_fields!(
            keys(
                [
                    "schema_version",
                    "approval_id",
                    "decision_id",
                    "session_id",
                    "correlation_id",
                    "state",
                    "approver_group",
                    "requested_by",
                    "requested_at",
                    "expires_at",
                    "decision",
                    "history",
                    "history.event",
                    "history.actor",
                    "history.timestamp",
                    "history.reason",
                    "history.external_ref",
                    "evidence_refs",
                    "decided_by",
                    "decided_at",
                    "decision_reason",
                    "external_ref",
                    "break_glass",
                    "break_glass_reason",
                ],
                APPROVALS_PY
            ),
            keys(decision_keys!("decision."), RUNTIME_PY),
        ),
        open: &[],
        source: APPROVALS_PY,
    },
    Contract {
        id: "evidence-manifest",
        title: "Evidence bundle manifest (`manifest.json`)",
        schema_version: Some("cavra.evidence.bundle.v1"),
        names: &["manifest.json", "evidence manifest", "bundle manifest"],
        discriminator: None,
        fields: fields!(EVIDENCE_PY;
            "schema_version", "created_at", "signer", "files", "files.path", "files.sha256",
            "files.bytes", "signature", "signature.algorithm", "signature.value",
        ),
        // The fact sheet lists the signature's algorithm and value, then "…".
        open: &["signature"],
        source: EVIDENCE_PY,
    },
    Contract {
        id: "evidence-json",
        title: "Evidence bundle record (`evidence.json`)",
        schema_version: None,
        names: &["evidence.json"],
        discriminator: None,
        fields: concat_fields!(
            keys(
                [
                    "product",
                    "tagline",
                    "session_id",
                    "created_at",
                    "decisions"
                ],
                EVIDENCE_PY
            ),
            keys(decision_keys!("decisions."), RUNTIME_PY),
        ),
        open: &[],
        source: EVIDENCE_PY,
    },
    Contract {
        id: "siem-event",
        title: "SIEM event (`siem-event.json`)",
        schema_version: None,
        names: &["siem-event.json"],
        discriminator: None,
        fields: concat_fields!(
            keys(
                [
                    "event_type",
                    "decision_count",
                    "blocked_count",
                    "approval_required_count",
                    "max_severity",
                    "decisions"
                ],
                EVIDENCE_PY
            ),
            keys(decision_keys!("decisions."), RUNTIME_PY),
        ),
        open: &[],
        source: EVIDENCE_PY,
    },
    Contract {
        id: "retention-policy",
        title: "Evidence retention policy (`retention-policy.json`)",
        schema_version: Some("cavra.evidence.retention.v1"),
        names: &["retention-policy.json", "retention policy file"],
        discriminator: None,
        fields: fields!(EVIDENCE_PY;
            "schema_version", "retention_days", "retain_until", "classification", "legal_hold",
            "delete_protection", "disposition",
        ),
        open: &[],
        source: EVIDENCE_PY,
    },
    Contract {
        id: "saas-contract",
        title: "Public SaaS control-plane contract (`cavra saas contract`)",
        schema_version: Some("cavra.saas_control_plane.contract.v1"),
        names: &["cavra saas contract"],
        discriminator: None,
        fields: fields!(SAAS_PY;
            "schema_version", "product", "public_repository_boundary",
            "public_repository_boundary.contains_saas_backend",
            "public_repository_boundary.contains_license_service",
            "public_repository_boundary.contains_customer_records",
            "public_repository_boundary.purpose", "operations", "operations.name",
            "operations.request", "operations.response",
        ),
        // Newer contract modules add operations the stored one lacks.
        open: &["operations"],
        source: SAAS_PY,
    },
    Contract {
        id: "saas-request",
        title: "SaaS control-plane request envelope",
        schema_version: Some("cavra.saas_control_plane.request.v1"),
        names: &["control-plane request"],
        discriminator: Some("operation"),
        fields: concat_fields!(
            keys(
                [
                    "schema_version",
                    "operation",
                    "tenant_id",
                    "requested_by",
                    "correlation_id",
                    "private_implementation_required",
                    "payload"
                ],
                SAAS_PY
            ),
            when(
                "tenant_status",
                [
                    "payload.requested_capabilities",
                    "payload.public_client_boundary"
                ],
                SAAS_PY
            ),
            when(
                "license_validation",
                [
                    "payload.local_validation_report",
                    "payload.requested_checks",
                    "payload.server_boundary"
                ],
                SAAS_PY
            ),
            when(
                "policy_registry_lookup",
                [
                    "payload.policy_refs",
                    "payload.labels",
                    "payload.resolution_boundary"
                ],
                SAAS_PY
            ),
            when(
                "evidence_export",
                [
                    "payload.evidence_refs",
                    "payload.export_format",
                    "payload.retention_profile",
                    "payload.export_boundary"
                ],
                SAAS_PY
            ),
            when(
                "entitlement_status",
                [
                    "payload.feature_names",
                    "payload.requested_checks",
                    "payload.entitlement_boundary"
                ],
                ENTITLEMENT_DOC
            ),
            when(
                "tenant_onboarding",
                [
                    "payload.organization_name",
                    "payload.deployment_model",
                    "payload.region",
                    "payload.requirements",
                    "payload.contacts",
                    "payload.activation_boundary"
                ],
                ONBOARDING_DOC
            ),
            when(
                "policy_registry_readiness",
                [
                    "payload.policy_pack_refs",
                    "payload.catalog_scope",
                    "payload.required_checks",
                    "payload.readiness_boundary"
                ],
                REGISTRY_DOC
            ),
            when(
                "tenant_audit_store_operating",
                [
                    "payload.retention_profile",
                    "payload.evidence_window",
                    "payload.required_checks",
                    "payload.operating_boundary"
                ],
                AUDIT_STORE_DOC
            ),
            when(
                "customer_operating_dashboard",
                [
                    "payload.dashboard_scope",
                    "payload.evidence_window",
                    "payload.required_checks",
                    "payload.dashboard_boundary"
                ],
                DASHBOARD_DOC
            ),
            when(
                "support_handoff_readiness",
                [
                    "payload.handoff_scope",
                    "payload.support_tier",
                    "payload.required_checks",
                    "payload.handoff_boundary"
                ],
                DASHBOARD_DOC
            ),
            when(
                "saas_operating_automation",
                [
                    "payload.automation_scope",
                    "payload.automation_cadence",
                    "payload.required_checks",
                    "payload.automation_boundary"
                ],
                AUTOMATION_DOC
            ),
        ),
        // The contacts of an onboarding request and the local validation
        // report are free-form.
        open: &[
            "payload.contacts",
            "payload.local_validation_report",
            "payload.labels",
        ],
        source: SAAS_PY,
    },
    Contract {
        id: "saas-response",
        title: "SaaS control-plane response envelope",
        schema_version: Some("cavra.saas_control_plane.response.v1"),
        names: &["control-plane response"],
        discriminator: Some("operation"),
        fields: concat_fields!(
            keys(
                [
                    "schema_version",
                    "operation",
                    "status",
                    "message",
                    "correlation_id",
                    "private_implementation_required",
                    "payload"
                ],
                SAAS_PY
            ),
            keys(["payload.tenant_id", "payload.next_step"], SAAS_PY),
            keys(
                ["payload.summary", "payload.private_modules_required"],
                CONTRACT_DOC
            ),
            when(
                "entitlement_status",
                [
                    "payload.summary.tenant_id",
                    "payload.summary.entitlement_status",
                    "payload.summary.subscription_plan",
                    "payload.summary.license_status",
                    "payload.summary.enabled_features",
                    "payload.summary.locked_features",
                    "payload.summary.expires_at",
                    "payload.summary.private_validation_required",
                    "payload.summary.billing_boundary"
                ],
                ENTITLEMENT_DOC
            ),
            when(
                "policy_registry_readiness",
                [
                    "payload.summary.tenant_id",
                    "payload.summary.readiness_status",
                    "payload.summary.catalog_status",
                    "payload.summary.latest_catalog_version",
                    "payload.summary.policy_pack_count",
                    "payload.summary.checked_at",
                    "payload.summary.blockers",
                    "payload.summary.private_validation_required",
                    "payload.summary.registry_boundary"
                ],
                REGISTRY_DOC
            ),
            when(
                "tenant_audit_store_operating",
                [
                    "payload.summary.tenant_id",
                    "payload.summary.health_status",
                    "payload.summary.retention_status",
                    "payload.summary.evidence_freshness_status",
                    "payload.summary.export_status",
                    "payload.summary.latest_evidence_at",
                    "payload.summary.retention_profile",
                    "payload.summary.supported_export_formats",
                    "payload.summary.blockers",
                    "payload.summary.private_validation_required",
                    "payload.summary.audit_store_boundary"
                ],
                AUDIT_STORE_DOC
            ),
            when(
                "customer_operating_dashboard",
                [
                    "payload.summary.tenant_id",
                    "payload.summary.dashboard_status",
                    "payload.summary.billing_status",
                    "payload.summary.license_service_status",
                    "payload.summary.support_handoff_status",
                    "payload.summary.customer_success_status",
                    "payload.summary.escalation_status",
                    "payload.summary.release_closeout_status",
                    "payload.summary.latest_dashboard_at",
                    "payload.summary.dashboard_scope",
                    "payload.summary.blockers",
                    "payload.summary.private_validation_required"
                ],
                DASHBOARD_DOC
            ),
            when(
                "support_handoff_readiness",
                [
                    "payload.summary.tenant_id",
                    "payload.summary.support_status",
                    "payload.summary.customer_success_status",
                    "payload.summary.escalation_status",
                    "payload.summary.health_review_status",
                    "payload.summary.dashboard_status",
                    "payload.summary.support_tier",
                    "payload.summary.handoff_scope",
                    "payload.summary.blockers",
                    "payload.summary.private_validation_required"
                ],
                DASHBOARD_DOC
            ),
            when(
                "saas_operating_automation",
                [
                    "payload.summary.tenant_id",
                    "payload.summary.automation_status",
                    "payload.summary.billing_monitoring_status",
                    "payload.summary.license_telemetry_status",
                    "payload.summary.support_followup_status",
                    "payload.summary.customer_success_review_status",
                    "payload.summary.dashboard_refresh_status",
                    "payload.summary.escalation_drill_status",
                    "payload.summary.closeout_retry_status",
                    "payload.summary.automation_scope",
                    "payload.summary.automation_cadence",
                    "payload.summary.blockers",
                    "payload.summary.private_validation_required",
                    "payload.summary.automation_boundary"
                ],
                AUTOMATION_DOC
            ),
            when(
                "saas_operating_automation_worker_handoff",
                [
                    "payload.summary.tenant_id",
                    "payload.summary.handoff_status",
                    "payload.summary.deployment_environment",
                    "payload.summary.scheduler_ref",
                    "payload.summary.evidence_sink_ref",
                    "payload.summary.retry_policy_ref",
                    "payload.summary.worker_owner",
                    "payload.summary.worker_mode",
                    "payload.summary.required_checks",
                    "payload.summary.worker_targets",
                    "payload.summary.blockers"
                ],
                API_498
            ),
        ),
        open: &[],
        source: SAAS_PY,
    },
];

/// The whole surface.
pub static SURFACE: Surface = Surface {
    settings: SETTINGS,
    routes: ROUTES,
    paths: PATHS,
    schema_versions: SCHEMA_VERSIONS,
    contracts: CONTRACTS,
};
