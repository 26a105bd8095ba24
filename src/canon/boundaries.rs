//! The public/private boundaries of CAVRA's commercial services.
//!
//! `item!("canonical wording" ~ "shorter wording", …)`: the first wording is
//! what the guide renders; the others are accepted in hand-written lists.

use crate::model::Boundary;

const BILLING_SUBSCRIPTION: Boundary = Boundary {
    id: "billing-subscription",
    title: "Billing And Subscription Boundary",
    triggers: &[
        "billing provider",
        "billing integration",
        "payment provider",
        "payment data",
        "invoice",
        "subscription state",
        "subscription record",
        "subscription renewal",
        "renewal handoff",
        "renewal automation",
        "renewal workflow",
        "license renewal",
        "license key",
        "license service",
    ],
    // "Renewal" alone is too common (certificates renew too); the phrases
    // above are the ones only the billing topic uses.
    not_triggers: &["enterprise subscription"],
    notice: "CAVRA's public material describes billing and subscriptions only through public-safe \
vocabulary and operating expectations. Billing integrations, payment data, subscription records, \
the license-service implementation, renewal automation and SaaS backend code stay in private \
services.",
    may_contain: &[
        item!("boundary documentation"),
        item!("synthetic examples"),
        item!("public-safe status vocabulary"),
        item!("extension-point descriptions"),
        item!("unavailable-response guidance"),
        item!("README, roadmap and wiki references"),
    ],
    must_not_contain: &[
        item!("billing provider source code"),
        item!("payment provider credentials"),
        item!("billing provider account IDs"),
        item!("invoice records"),
        item!("customer payment data"),
        item!("customer contracts or commercial terms" ~ "customer contracts"),
        item!("subscription provider webhooks"),
        item!("license-service source code"),
        item!("license signing keys" ~ "signing material"),
        item!("license keys"),
        item!("entitlement registry records" ~ "entitlement records"),
        item!("customer subscription records"),
        item!("production provider URLs" ~ "provider URLs"),
        item!("connector credentials"),
        item!("SaaS backend implementation" ~ "SaaS backend code"),
        item!("Enterprise source code"),
    ],
    private_responsibilities: &[
        item!("billing-provider integration"),
        item!("subscription state calculation"),
        item!("plan and entitlement synchronization"),
        item!("renewal and expiration workflows" ~ "renewal handoff"),
        item!("grace-period and suspension workflows" ~ "grace-period handling"),
        item!("license-service reachability and telemetry" ~ "license-service telemetry"),
        item!("license-service revocation checks" ~ "revocation checks"),
        item!("customer-success and support owner handoff" ~ "support owner handoff"),
        item!("escalation routing"),
        item!("audit evidence for billing and license-service decisions" ~ "audit evidence"),
        item!("dashboards and reporting"),
    ],
    evidence: &[
        item!("the billing owner is missing" ~ "billing owner is missing"),
        item!("the subscription state is `unknown`, `suspended`, `expired` or `past_due`"
            ~ "subscription state is unknown, suspended, expired or past_due"),
        item!("entitlement synchronization is stale"),
        item!("license-service reachability is degraded"),
        item!("revocation checks are not available"),
        item!("the renewal handoff owner is missing" ~ "renewal handoff owner is missing"),
        item!("the support escalation owner is missing" ~ "support escalation owner is missing"),
        item!("billing-provider webhook health is unknown"),
        item!("customer-success acceptance is missing"),
    ],
    vocabularies: &["subscription", "entitlement", "readiness"],
};

const ENTITLEMENT_STATUS: Boundary = Boundary {
    id: "entitlement-status",
    title: "Entitlement Status Contract",
    triggers: &["entitlement status contract", "entitlement registry"],
    not_triggers: &[],
    notice: "The public entitlement status contract is public-safe: it defines request and response shapes and the \
status vocabulary only. Deciding which tenant may use which feature is the work of private \
Enterprise and SaaS services.",
    may_contain: &[
        item!("request builders"),
        item!("response summaries"),
        item!("schema versions"),
        item!("validation"),
        item!("tests"),
        item!("documentation"),
        item!("synthetic examples"),
    ],
    must_not_contain: &[
        item!("billing provider secrets" ~ "billing secrets"),
        item!("license keys"),
        item!("license signing material" ~ "signing material"),
        item!("customer subscription records"),
        item!("customer payment data" ~ "payment data"),
        item!("private entitlement registry data"),
        item!("SaaS backend implementation" ~ "SaaS backend source"),
        item!("Enterprise source code" ~ "Enterprise implementation details"),
    ],
    private_responsibilities: &[
        item!("billing-provider integration"),
        item!("subscription status checks"),
        item!("license signature and revocation validation"),
        item!("feature entitlement registry"),
        item!("tenant-specific feature grants"),
        item!("commercial account status"),
        item!("audit evidence for entitlement changes"),
    ],
    evidence: &[],
    vocabularies: &["entitlement", "capability-status"],
};

const TENANT_ONBOARDING: Boundary = Boundary {
    id: "tenant-onboarding",
    title: "Tenant Onboarding Contract",
    triggers: &["tenant onboarding"],
    not_triggers: &[],
    notice: "The public tenant onboarding contract is public-safe: it describes the steps and readiness vocabulary of \
bringing a tenant online. Creating, isolating and operating real tenants happens in private \
services.",
    may_contain: &[],
    must_not_contain: &[
        item!("tenant records"),
        item!("production tenant IDs"),
        item!("billing secrets"),
        item!("license keys"),
        item!("private policy packs"),
        item!("provider URLs"),
        item!("webhook secrets"),
        item!("connector credentials"),
        item!("SaaS backend implementation"),
        item!("Enterprise source code"),
    ],
    private_responsibilities: &[
        item!("tenant database creation and isolation"),
        item!("identity provider and SSO onboarding"),
        item!("license validation and entitlement binding"),
        item!("hosted policy registry enrollment"),
        item!("tenant audit-store provisioning"),
        item!("billing and subscription status checks"),
        item!("support and customer-success ownership"),
        item!("observability, incident response and operational runbooks"),
    ],
    evidence: &[],
    vocabularies: &["readiness", "deployment-model"],
};

const HOSTED_POLICY_REGISTRY: Boundary = Boundary {
    id: "hosted-policy-registry",
    title: "Hosted Policy Registry Readiness Contract",
    triggers: &["hosted policy registry", "hosted registry"],
    not_triggers: &[],
    notice: "The public hosted policy registry readiness contract is public-safe: it names the checks and states an \
operator reads before relying on the hosted registry. The registry itself, and every tenant's \
catalog, are private.",
    may_contain: &[],
    must_not_contain: &[
        item!("hosted registry source code"),
        item!("paid policy pack content"),
        item!("tenant policy catalogs"),
        item!("customer identifiers"),
        item!("customer policy metadata"),
        item!("entitlement registry records"),
        item!("provider URLs"),
        item!("connector credentials"),
        item!("license keys"),
        item!("SaaS backend implementation"),
        item!("Enterprise source code"),
    ],
    private_responsibilities: &[
        item!("hosted registry availability checks"),
        item!("tenant policy catalog storage"),
        item!("policy-pack artifact storage and delivery"),
        item!("artifact integrity verification"),
        item!("tenant entitlement lookups"),
        item!("approval workflow state"),
        item!("rollout telemetry and operating dashboards"),
        item!("evidence for readiness blockers and operator decisions"),
    ],
    evidence: &[],
    vocabularies: &["readiness"],
};

const TENANT_AUDIT_STORE: Boundary = Boundary {
    id: "tenant-audit-store",
    title: "Tenant Audit Store Operating Contract",
    triggers: &["tenant audit store", "tenant audit-store"],
    not_triggers: &[],
    notice: "The public tenant audit store operating contract is public-safe: it describes how an operator reads the \
health of a tenant's evidence archive. Archive storage, retention enforcement and the evidence \
itself stay private.",
    may_contain: &[],
    must_not_contain: &[
        item!("tenant archive storage code"),
        item!("customer evidence payloads"),
        item!("customer identifiers"),
        item!("customer retention schedules"),
        item!("production storage provider references"),
        item!("export connector credentials" ~ "connector credentials"),
        item!("provider URLs"),
        item!("license keys"),
        item!("SaaS backend implementation"),
        item!("Enterprise source code"),
    ],
    private_responsibilities: &[
        item!("tenant audit-store provisioning and health checks"),
        item!("tenant archive storage and isolation"),
        item!("retention policy enforcement"),
        item!("immutable storage verification"),
        item!("evidence freshness monitoring"),
        item!("governed evidence export jobs"),
        item!("export connector delivery"),
        item!("operating dashboard rollups and approvals"),
        item!("evidence for blockers and operator decisions"),
    ],
    evidence: &[],
    vocabularies: &["readiness", "export-format"],
};

const CUSTOMER_OPERATING_DASHBOARD: Boundary = Boundary {
    id: "customer-operating-dashboard",
    title: "Customer Operating Dashboard And Support Handoff Contract",
    triggers: &["customer operating dashboard", "support handoff"],
    not_triggers: &[],
    notice: "The public customer operating dashboard and support handoff contract is public-safe: it lists the \
statuses a customer's operating review reads. The dashboard data, customer records and support \
conversations stay private.",
    may_contain: &[],
    must_not_contain: &[
        item!("customer records"),
        item!("customer health scores"),
        item!("support ticket contents"),
        item!("customer-success notes"),
        item!("production dashboard URLs"),
        item!("billing-provider integration code"),
        item!("invoice data"),
        item!("license-service source code"),
        item!("license keys"),
        item!("signing material"),
        item!("provider account IDs"),
        item!("webhook URLs"),
        item!("connector credentials"),
        item!("SaaS backend implementation"),
        item!("Enterprise source code"),
    ],
    private_responsibilities: &[
        item!("customer operating dashboard data collection"),
        item!("billing and subscription observability"),
        item!("license-service telemetry"),
        item!("support queue and owner lookup"),
        item!("customer-success owner lookup"),
        item!("customer health review"),
        item!("escalation routing and on-call validation"),
        item!("release owner acceptance"),
        item!("final customer operating closeout evidence"),
        item!("dashboard persistence, reporting and access controls"),
    ],
    evidence: &[],
    vocabularies: &["readiness"],
};

const SAAS_OPERATING_AUTOMATION: Boundary = Boundary {
    id: "saas-operating-automation",
    title: "SaaS Operating Automation Contract",
    triggers: &["operating automation", "worker handoff"],
    not_triggers: &[],
    notice: "The public SaaS operating automation contract is public-safe: it names the recurring jobs, their \
statuses and how a worker hands off to private services. Schedulers, workers and the data they \
move stay private.",
    may_contain: &[],
    must_not_contain: &[
        item!("Enterprise source code"),
        item!("SaaS backend implementation"),
        item!("scheduler or automation worker implementation"),
        item!("billing-provider integration code"),
        item!("billing records or invoice data"),
        item!("license telemetry payloads"),
        item!("support ticket contents"),
        item!("customer-success notes"),
        item!("customer health scores"),
        item!("private customer identifiers"),
        item!("production dashboard URLs"),
        item!("escalation webhooks"),
        item!("provider account IDs"),
        item!("connector credentials"),
        item!("license keys or signing material"),
        item!("paid policy packs"),
        item!("customer audit payloads"),
    ],
    private_responsibilities: &[
        item!("billing monitoring"),
        item!("license telemetry sync"),
        item!("support follow-up"),
        item!("customer-success review"),
        item!("dashboard refresh automation"),
        item!("escalation drill scheduling"),
        item!("closeout retry automation"),
    ],
    evidence: &[],
    vocabularies: &[
        "automation",
        "handoff",
        "worker-mode",
        "operation",
        "response-status",
    ],
};

/// Every boundary, in the order the guide lists them.
pub static ALL: &[Boundary] = &[
    BILLING_SUBSCRIPTION,
    ENTITLEMENT_STATUS,
    TENANT_ONBOARDING,
    HOSTED_POLICY_REGISTRY,
    TENANT_AUDIT_STORE,
    CUSTOMER_OPERATING_DASHBOARD,
    SAAS_OPERATING_AUTOMATION,
];
