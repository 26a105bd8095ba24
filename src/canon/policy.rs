//! Retired labels, private marker names, and the boundary language every
//! boundary page must carry.

use crate::model::{LeadIns, RequiredLanguage, RetiredTerm, SectionCue, SectionKind};

/// Product labels new pages must not use, with what replaces them.
pub const RETIRED: &[RetiredTerm] = &[
    RetiredTerm {
        phrase: "Community Edition",
        replacement: "CAVRA Community",
    },
    RetiredTerm {
        phrase: "Enterprise Edition",
        replacement: "CAVRA Enterprise Subscription",
    },
    RetiredTerm {
        phrase: "Trial Edition",
        replacement: "CAVRA Trial access (trial is not a separate edition)",
    },
    RetiredTerm {
        phrase: "Enterprise-only",
        replacement: "the capability status that applies, such as `requires_commercial_entitlement`",
    },
    RetiredTerm {
        phrase: "locked feature",
        replacement: "the capability status that applies: `requires_commercial_entitlement`, or `requires_configuration` when a backing service is missing",
    },
    RetiredTerm {
        phrase: "feature is locked",
        replacement: "the capability status that applies: `requires_commercial_entitlement`, or `requires_configuration` when a backing service is missing",
    },
    RetiredTerm {
        phrase: "features are locked",
        replacement: "the capability status that applies: `requires_commercial_entitlement`, or `requires_configuration` when a backing service is missing",
    },
    RetiredTerm {
        phrase: "locked capability",
        replacement: "the capability status that applies, such as `requires_commercial_entitlement`",
    },
];

/// Fields of CAVRA's public JSON contracts whose names read like a retired
/// label (`locked_features`), each with the contract's other fields. Prose
/// that names such a field among its neighbours ("enabled features, locked
/// features, expiration") describes the contract, not a locked edition.
pub struct LabelFields {
    /// The contract, as the guide names it.
    pub contract: &'static str,
    /// Where the fields are written down.
    pub source: &'static str,
    /// Every field of the contract's object, in its own order.
    pub fields: &'static [&'static str],
}

/// Contracts with a field that reads like a retired label.
pub const LABEL_FIELDS: &[LabelFields] = &[LabelFields {
    contract: "entitlement status response summary",
    source: "Huzefaaa2/cavra docs/architecture/entitlement-status-contract.md@d474818 (response \
shape, `payload.summary`); shared/facts/guide-audit-2026-12-07.tsv, editions/entitlement-status.md row 98",
    fields: &[
        "tenant_id",
        "entitlement_status",
        "subscription_plan",
        "license_status",
        "enabled_features",
        "locked_features",
        "expires_at",
        "private_validation_required",
        "billing_boundary",
    ],
}];

/// Names CAVRA scans its own code for; none may appear in public material.
pub const PRIVATE_MARKERS: &[&str] = &[
    "ENTERPRISE_PRIVATE_KEY",
    "LICENSE_SIGNING_KEY",
    "STRIPE_SECRET",
    "CUSTOMER_SECRET",
    "PRIVATE_POLICY_PACK",
    "INTERNAL_ONLY",
];

/// The sentences the renderer puts before each boundary list.
pub const LEAD_INS: LeadIns = LeadIns {
    may_contain: "The public repository and this guide may contain:",
    must_not_contain: "The public repository and this guide must not contain:",
    private_responsibilities: "Private Enterprise and SaaS services must implement:",
    evidence: "Steady-state operation is blocked while any of this evidence shows:",
    synthetic: "Every example in this material is synthetic: it carries no customer, account, \
invoice, payment, provider or license data.",
};

/// What every boundary's own page must say, and the wordings that count.
pub const REQUIRED_LANGUAGE: &[RequiredLanguage] = &[
    RequiredLanguage {
        what: "public-safe statement (the public material is vocabulary, shapes and expectations only)",
        phrases: &["public-safe", "public safe"],
        provided_by: Some(SectionKind::Notice),
        only_with_examples: false,
    },
    RequiredLanguage {
        what: "must-not-contain statement",
        phrases: &[
            "must not contain",
            "must not include",
            "must never contain",
            "must never include",
            "do not commit",
            "never public",
            "does not contain",
            "must not hold",
            "must never hold",
        ],
        provided_by: Some(SectionKind::MustNotContain),
        only_with_examples: false,
    },
    RequiredLanguage {
        what: "private-services must-implement statement",
        phrases: &["must implement", "must own"],
        provided_by: Some(SectionKind::PrivateResponsibilities),
        only_with_examples: false,
    },
    RequiredLanguage {
        what: "statement that its examples are synthetic",
        phrases: &[
            "examples are synthetic",
            "example is synthetic",
            "examples here are synthetic",
            "synthetic examples",
            "synthetic example",
            "is synthetic",
            "are synthetic",
        ],
        provided_by: None,
        only_with_examples: true,
    },
];

/// How prose introduces each kind of boundary list.
pub const SECTION_CUES: &[SectionCue] = &[
    SectionCue {
        kind: SectionKind::MayContain,
        phrases: &["may contain", "may include", "can contain", "may hold"],
    },
    SectionCue {
        kind: SectionKind::MustNotContain,
        phrases: &[
            "must not contain",
            "must not include",
            "must never contain",
            "must never include",
            "do not commit",
            "never public",
            "does not contain",
            "must not hold",
            "must never hold",
        ],
    },
    SectionCue {
        kind: SectionKind::PrivateResponsibilities,
        phrases: &[
            "must implement",
            "must own",
            "should implement",
            "private services implement",
        ],
    },
    SectionCue {
        kind: SectionKind::Evidence,
        phrases: &[
            "blocks steady-state",
            "block steady-state",
            "blocks steady state",
            "block steady state",
            "blocking evidence",
            "steady-state blockers",
        ],
    },
];

/// Billing and payment provider domains. A URL on one of these hosts is a
/// production provider URL unless it is the provider's public documentation.
pub const PROVIDER_HOSTS: &[&str] = &[
    "stripe.com",
    "paddle.com",
    "chargebee.com",
    "braintreegateway.com",
    "paypal.com",
    "recurly.com",
    "lemonsqueezy.com",
    "adyen.com",
    "gocardless.com",
    "zuora.com",
    "chargify.com",
    "maxio.com",
    "fastspring.com",
    "paddle.net",
];
