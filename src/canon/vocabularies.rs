//! Every CAVRA state and status set. One declaration each; see `macros.rs`.

use crate::model::Vocabulary;

vocabulary! {
    /// Where a tenant's paid subscription stands.
    SubscriptionState {
        id: "subscription",
        label: "subscription state",
        aliases: ["subscription status", "subscription states", "subscription statuses"],
        fields: [field!("subscription_state"), field!("subscription_status")],
        terms: {
            /// Evaluation period before a paid plan starts.
            Trial = "trial",
            /// Paid and in good standing.
            Active = "active",
            /// A payment is overdue; service continues for now.
            PastDue = "past_due",
            /// Renewal or payment is pending inside a limited window of continued service.
            GracePeriod = "grace_period",
            /// Service is paused by the private billing service.
            Suspended = "suspended",
            /// The term ended and was not renewed.
            Expired = "expired",
            /// Ended by the customer or by the operator.
            Cancelled = "cancelled",
            /// The state could not be determined; this blocks steady-state operation.
            Unknown = "unknown",
        }
    }
}

vocabulary! {
    /// Whether a tenant is entitled to the features it asks for.
    EntitlementState {
        id: "entitlement",
        label: "entitlement state",
        aliases: ["entitlement status", "entitlement states", "entitlement statuses"],
        fields: [field!("entitlement_status"), field!("entitlement_state")],
        terms: {
            /// The entitlement is current and its features may be used.
            Active = "active",
            /// Granted for an evaluation period only.
            Trial = "trial",
            /// Paused by the private entitlement service.
            Suspended = "suspended",
            /// The entitlement's term has ended.
            Expired = "expired",
            /// No entitlement record exists for the tenant.
            Missing = "missing",
            /// The entitlement could not be determined.
            Unknown = "unknown",
        }
    }
}

vocabulary! {
    /// The readiness of a contract or service, shared by every operating contract.
    ReadinessState {
        id: "readiness",
        label: "readiness state",
        aliases: [
            "readiness status", "readiness states", "readiness statuses",
            "operating state", "operating states", "operating status",
        ],
        fields: [
            field!("readiness_status"), field!("catalog_status"), field!("health_status"),
            field!("retention_status"), field!("evidence_freshness_status"),
            field!("export_status"), field!("dashboard_status"), field!("billing_status"),
            field!("license_service_status"), field!("entitlement_sync_status"),
            field!("support_handoff_status"), field!("customer_success_status"),
            field!("escalation_status"), field!("release_closeout_status"),
            field!("support_status"), field!("health_review_status"),
        ],
        terms: {
            /// Every required check passed; steady-state operation may proceed.
            Ready = "ready",
            /// Running with a known gap that an owner must close.
            Degraded = "degraded",
            /// A required check failed; steady-state operation must not proceed.
            Blocked = "blocked",
            /// The state could not be determined, which counts as not ready.
            Unknown = "unknown",
        }
    }
}

vocabulary! {
    /// The status of a SaaS operating-automation job.
    AutomationStatus {
        id: "automation",
        label: "automation status",
        aliases: ["automation state", "automation statuses", "operating-automation status"],
        fields: [
            field!("automation_status"), field!("billing_monitoring_status"),
            field!("license_telemetry_status"), field!("support_followup_status"),
            field!("customer_success_review_status"), field!("dashboard_refresh_status"),
            field!("escalation_drill_status"), field!("closeout_retry_status"),
        ],
        terms: {
            /// The job is defined and may be scheduled.
            Ready = "ready",
            /// The job has a schedule but has not run yet.
            Scheduled = "scheduled",
            /// The job is switched on and runs on its schedule.
            Enabled = "enabled",
            /// The job runs unattended and records its own evidence.
            Automated = "automated",
            /// The job cannot run until a blocker is cleared.
            Blocked = "blocked",
            /// The job's status could not be determined.
            Unknown = "unknown",
        }
    }
}

vocabulary! {
    /// How far an automation worker's handoff to a private service has come.
    HandoffStatus {
        id: "handoff",
        label: "handoff status",
        aliases: ["handoff state", "worker handoff status", "handoff statuses"],
        fields: [field!("handoff_status")],
        terms: {
            /// The handoff is designed but not yet wired.
            Planned = "planned",
            /// The receiving side is in place and accepts work.
            Ready = "ready",
            /// The handoff cannot proceed until a blocker is cleared.
            Blocked = "blocked",
            /// Only a private Enterprise or SaaS service can complete it.
            RequiresPrivateService = "requires_private_service",
            /// The handoff's status could not be determined.
            Unknown = "unknown",
        }
    }
}

vocabulary! {
    /// How an automation worker acts on what it finds.
    WorkerMode {
        id: "worker-mode",
        label: "worker mode",
        aliases: ["worker modes"],
        fields: [field!("worker_mode")],
        terms: {
            /// Reports what it would do and changes nothing.
            DryRun = "dry_run",
            /// Runs beside the live path and records results without acting.
            Shadow = "shadow",
            /// Acts for real.
            Live = "live",
            /// The mode could not be determined; treat it as not live.
            Unknown = "unknown",
        }
    }
}

vocabulary! {
    /// The status of a SaaS control-plane response.
    ResponseStatus {
        id: "response-status",
        label: "response status",
        aliases: ["control-plane response status", "response statuses"],
        fields: [field!("status" if "cavra.saas_control_plane.response")],
        terms: {
            /// The request was taken by a service that can answer it.
            Accepted = "accepted",
            /// No service is available to answer right now.
            Unavailable = "unavailable",
            /// The public build cannot answer; a private service must.
            RequiresPrivateService = "requires_private_service",
        }
    }
}

vocabulary! {
    /// The operation a SaaS control-plane request asks for.
    Operation {
        id: "operation",
        label: "control-plane operation",
        aliases: ["control-plane operations", "control plane operation"],
        fields: [field!("operation" if "cavra.saas_control_plane")],
        terms: {
            /// Look up a tenant's overall status.
            TenantStatus = "tenant_status",
            /// Validate a tenant's license.
            LicenseValidation = "license_validation",
            /// Look up a policy pack in the hosted registry.
            PolicyRegistryLookup = "policy_registry_lookup",
            /// Export governed evidence.
            EvidenceExport = "evidence_export",
            /// Read a tenant's entitlement status.
            EntitlementStatus = "entitlement_status",
            /// Onboard a new tenant.
            TenantOnboarding = "tenant_onboarding",
            /// Report hosted policy registry readiness.
            PolicyRegistryReadiness = "policy_registry_readiness",
            /// Report the tenant audit store's operating state.
            TenantAuditStoreOperating = "tenant_audit_store_operating",
            /// Read the customer operating dashboard.
            CustomerOperatingDashboard = "customer_operating_dashboard",
            /// Report support handoff readiness.
            SupportHandoffReadiness = "support_handoff_readiness",
            /// Report SaaS operating automation.
            SaasOperatingAutomation = "saas_operating_automation",
            /// Report an automation worker's handoff to a private service.
            SaasOperatingAutomationWorkerHandoff = "saas_operating_automation_worker_handoff",
        }
    }
}

vocabulary! {
    /// Where a tenant's CAVRA runs.
    DeploymentModel {
        id: "deployment-model",
        label: "deployment model",
        aliases: ["deployment models"],
        fields: [field!("deployment_model")],
        terms: {
            /// Run by CAVRA as a hosted service.
            HostedSaas = "hosted_saas",
            /// Run by the customer on its own infrastructure under an Enterprise Subscription.
            SelfHostedEnterprise = "self_hosted_enterprise",
            /// Split between hosted services and customer infrastructure.
            Hybrid = "hybrid",
        }
    }
}

vocabulary! {
    /// What CAVRA answers when an agent asks to act: the values its runtime
    /// emits and its decision schema enumerates.
    Decision {
        id: "decision",
        label: "decision",
        aliases: ["decisions", "runtime decision", "runtime decisions", "policy decision"],
        fields: [field!("decision"), field!("effective_decision"), field!("expect")],
        terms: {
            /// The action goes ahead, and the decision is kept as evidence.
            Allow = "allow",
            /// Policy forbids the action; it does not happen.
            Block = "block",
            /// The action waits until a person or an outside approval route agrees.
            RequireApproval = "require_approval",
            /// The action goes ahead, and a warning is kept on record with it.
            Warn = "warn",
            /// Recorded but not enforced: what every decision becomes under the `audit_only` policy mode.
            AuditOnly = "audit_only",
            /// The action goes ahead only with an attestation on record, such as a pull request or a break-glass actor and reason.
            AllowWithAttestation = "allow_with_attestation",
        }
    }
}

vocabulary! {
    /// How strictly the runtime applies a policy pack's decisions
    /// (`cavra evaluate --policy-mode`, a pack's `metadata.mode`).
    PolicyMode {
        id: "policy-mode",
        label: "policy mode",
        aliases: ["policy modes", "runtime policy mode", "runtime policy modes"],
        fields: [
            field!("metadata.mode"),
            field!("mode" if "effective_decision"),
            field!("--policy-mode" if "cavra evaluate"),
        ],
        terms: {
            /// Decisions are worked out and recorded, but nothing is stopped.
            AuditOnly = "audit_only",
            /// Decisions take effect as the pack states them; the default.
            Enforce = "enforce",
            /// Tighter than `enforce`: an action the pack would simply allow now needs approval.
            Strict = "strict",
            /// An emergency override that holds only when an actor and a reason are given, and leaves an attestation.
            BreakGlass = "break_glass",
        }
    }
}

/// A spelling CAVRA's own pages used for a term before the canon settled it.
/// The checker treats it as a mistake and suggests the term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OtherSpelling {
    /// The vocabulary whose fields and contexts it is wrong in.
    pub vocabulary: &'static str,
    /// The retired spelling.
    pub spelling: &'static str,
    /// The canonical term that replaces it.
    pub term: &'static str,
}

/// Retired spellings, each with the term that replaced it.
pub static OTHER_SPELLINGS: &[OtherSpelling] = &[
    OtherSpelling {
        vocabulary: Decision::VOCABULARY.id,
        spelling: "deny",
        term: Decision::Block.as_str(),
    },
    OtherSpelling {
        vocabulary: Decision::VOCABULARY.id,
        spelling: "requires_approval",
        term: Decision::RequireApproval.as_str(),
    },
    // `shadow` is now the `audit_only` policy mode; as a decision its
    // effective value is `audit_only` too.
    OtherSpelling {
        vocabulary: Decision::VOCABULARY.id,
        spelling: "shadow",
        term: Decision::AuditOnly.as_str(),
    },
    OtherSpelling {
        vocabulary: PolicyMode::VOCABULARY.id,
        spelling: "shadow",
        term: PolicyMode::AuditOnly.as_str(),
    },
    // The policy schema's `metadata.mode` still spells it this way.
    OtherSpelling {
        vocabulary: PolicyMode::VOCABULARY.id,
        spelling: "strict_regulated",
        term: PolicyMode::Strict.as_str(),
    },
];

vocabulary! {
    /// Whether a capability can be used on a given product path.
    CapabilityStatus {
        id: "capability-status",
        label: "capability status",
        aliases: ["capability statuses", "capability state"],
        fields: [field!("capability_status")],
        terms: {
            /// Usable as shipped.
            Available = "available",
            /// Usable once a backing service or setting is configured.
            RequiresConfiguration = "requires_configuration",
            /// Needs a service that CAVRA runs for the customer.
            RequiresManagedService = "requires_managed_service",
            /// Needs a commercial entitlement.
            RequiresCommercialEntitlement = "requires_commercial_entitlement",
            /// Not offered on this path.
            Unsupported = "unsupported",
            /// Still works but will be removed; move off it.
            Deprecated = "deprecated",
        }
    }
}

vocabulary! {
    /// How much evidence a policy asks CAVRA to keep for a decision.
    EvidenceLevel {
        id: "evidence-level",
        label: "evidence level",
        aliases: ["evidence levels"],
        fields: [field!("evidence.level"), field!("evidence_level")],
        terms: {
            /// A local evidence record of the decision.
            Standard = "standard",
            /// The record is signed so it can be verified against a trust root.
            Signed = "signed",
            /// The record is also delivered to an audit destination, with proof of delivery.
            DeliveryAudit = "delivery_audit",
            /// The record is kept under a retention policy.
            Retained = "retained",
        }
    }
}

vocabulary! {
    /// Where an approval request stands.
    ApprovalState {
        id: "approval",
        label: "approval state",
        aliases: ["approval status", "approval states", "approval request state"],
        fields: [
            field!("approval_state"), field!("approval_status"),
            field!("--state" if "cavra approval"),
        ],
        terms: {
            /// Waiting for an approver.
            Pending = "pending",
            /// An approver agreed; the action may proceed.
            Approved = "approved",
            /// An approver refused; the action must not proceed.
            Denied = "denied",
            /// Nobody answered in time; the request no longer counts.
            Expired = "expired",
            /// Opened by break glass: created approved with an actor and a reason, then marked so.
            BreakGlass = "break_glass",
        }
    }
}

vocabulary! {
    /// The file formats evidence can be exported in.
    ExportFormat {
        id: "export-format",
        label: "export format",
        aliases: ["export formats", "evidence export format"],
        fields: [field!("export_format"), field!("supported_export_formats")],
        terms: {
            /// One JSON document.
            Json = "json",
            /// One JSON object per line.
            Jsonl = "jsonl",
            /// A human-readable Markdown report.
            Markdown = "markdown",
            /// A zip archive of the bundle.
            Zip = "zip",
        }
    }
}

vocabulary! {
    /// How scheduled reports are delivered.
    ReportDelivery {
        id: "report-delivery",
        label: "report delivery mode",
        aliases: ["report delivery modes", "delivery mode"],
        fields: [field!("CAVRA_REPORT_DELIVERY_MODE"), field!("report_delivery_mode")],
        terms: {
            /// Through an SMTP relay.
            Smtp = "smtp",
            /// Through a Microsoft 365 mailbox.
            Microsoft365 = "microsoft365",
            /// Through a Google Workspace mailbox.
            GoogleWorkspace = "google_workspace",
            /// Through Amazon SES.
            Ses = "ses",
            /// Through SendGrid.
            Sendgrid = "sendgrid",
            /// Posted to a webhook.
            Webhook = "webhook",
            /// Reports are not delivered.
            Disabled = "disabled",
        }
    }
}

/// Every vocabulary, in the order the export lists them.
pub static ALL: &[Vocabulary] = &[
    SubscriptionState::VOCABULARY,
    EntitlementState::VOCABULARY,
    ReadinessState::VOCABULARY,
    AutomationStatus::VOCABULARY,
    HandoffStatus::VOCABULARY,
    WorkerMode::VOCABULARY,
    ResponseStatus::VOCABULARY,
    Operation::VOCABULARY,
    DeploymentModel::VOCABULARY,
    Decision::VOCABULARY,
    PolicyMode::VOCABULARY,
    CapabilityStatus::VOCABULARY,
    EvidenceLevel::VOCABULARY,
    ApprovalState::VOCABULARY,
    ExportFormat::VOCABULARY,
    ReportDelivery::VOCABULARY,
];
