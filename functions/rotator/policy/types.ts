/**
 * The rotation policy: what Pulumi writes, as one JSON annotation on each rotated secret, and
 * what the function reads to decide what is due. The function never writes it (decision 1 of
 * the design: Pulumi owns the policy, the function owns the state).
 *
 * The same types are used by the components (to write the annotation) and by the function (to
 * read it), so a policy that passes `validatePolicy` at `pulumi preview` time is one the function
 * accepts.
 */

/** Annotation key that holds the policy JSON on the key's secret. */
export const POLICY_ANNOTATION = "keywarden-policy";

/** Label on every managed secret (key and state); its value names the fleet. */
export const FLEET_LABEL = "keywarden-fleet";

/** Label that says what a managed secret is: `key` or `state`. */
export const ROLE_LABEL = "keywarden-role";

/** The current policy schema. A function refuses a policy written for a schema it does not know. */
export const POLICY_SCHEMA = 1;

/** Rotation policy of one secret. Durations are strings such as "30d", "12h" or "1d12h". */
export interface RotationPolicy {
    /** Schema version of this JSON: always 1 for now. */
    schema: 1;
    /** The bot this key belongs to, for messages and alerts. */
    bot: string;
    /** ID (not full name) of the companion state secret in the same project. */
    stateSecret: string;
    /** How new keys are made: see `RotatorConfig`. */
    rotator: RotatorConfig;
    /** How often the key is replaced (or, for `manual`, how long a key lives). */
    rotationPeriod: string;
    /**
     * How long the previous key stays valid after a new one is published. Must be shorter than
     * `rotationPeriod`, so that at most two keys are ever valid.
     */
    gracePeriod: string;
    /** How long before a due date reminders start. Default "7d", capped at the rotation period. */
    reminderLead?: string;
    /**
     * ID of the secret holding the provider admin credential. Required by every rotator but
     * `manual` and `google-api-key` (which uses the function's own identity).
     */
    adminSecret?: string;
    /**
     * The bot's health endpoint (https). When set, the previous key is revoked only once it answers
     * 2xx.
     */
    healthUrl?: string;
    /**
     * Lifetime the provider enforces on each new key where its API has expiry (Cloudflare,
     * OpenRouter), so that an orphan dies on its own. Default: twice the rotation period plus the
     * grace period, long enough for a failing rotation to be noticed and fixed before the current
     * key expires. "none" turns provider-side expiry off.
     */
    keyLifetime?: string;
}

/** How keys of one secret are made. Exactly one of the shapes below, told apart by `kind`. */
export type RotatorConfig =
    | HttpSpecRotatorConfig
    | HttpPresetRotatorConfig
    | GoogleApiKeyRotatorConfig
    | OAuthRefreshRotatorConfig
    | ManualRotatorConfig;

/** A provider described by a declarative HTTP spec. */
export interface HttpSpecRotatorConfig {
    kind: "http";
    spec: HttpRotatorSpec;
    /** Values for `{{params.NAME}}` placeholders in the spec. */
    params?: Record<string, string>;
}

/** Names of the bundled HTTP presets. */
export const PRESET_NAMES = [
    "sendgrid",
    "cloudflare",
    "twilio",
    "datadog",
    "openai",
    "openrouter",
] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** A provider from the bundled preset catalogue; each preset documents its own params. */
export interface HttpPresetRotatorConfig {
    kind: "http";
    preset: PresetName;
    params?: Record<string, string>;
}

/** A Google Cloud API key (Maps, Gemini, YouTube...) through the API Keys API v2. */
export interface GoogleApiKeyRotatorConfig {
    kind: "google-api-key";
    /** Project that owns the keys (ID or number). */
    project: string;
    /** Display name given to new keys; the attempt ID is appended. Default "keywarden". */
    displayName?: string;
    /**
     * API Keys `restrictions` copied onto every new key, e.g.
     * `{ apiTargets: [{ service: "generativelanguage.googleapis.com" }] }`.
     */
    restrictions?: Record<string, unknown>;
    /** Binds new keys to this service account (required for Gemini keys since 2026). */
    serviceAccountEmail?: string;
    /**
     * A URL (https) to check the new key with, `{{key}}` standing for it, e.g. a Gemini models
     * list. Default: the API Keys `keys:lookupKey` call.
     */
    verifyUrl?: string;
    /** API Keys endpoint. Default "https://apikeys.googleapis.com". */
    endpoint?: string;
}

/** An OAuth access token kept fresh with a single-use refresh token (Slack token rotation). */
export interface OAuthRefreshRotatorConfig {
    kind: "oauth-refresh";
    provider: "slack";
    /**
     * The app's client ID (not secret). The admin secret holds JSON `{"clientSecret",
     * "refreshToken"}`.
     */
    clientId: string;
    /** Slack endpoint. Default "https://slack.com". */
    endpoint?: string;
}

/** Known verify calls for keys that can only be replaced by hand. */
export const MANUAL_VERIFIERS = ["telegram", "discord", "anthropic", "github", "stripe"] as const;
export type ManualVerifierName = (typeof MANUAL_VERIFIERS)[number];

/** A key with no create API (Telegram, Discord, Anthropic...): tracked and reminded about only. */
export interface ManualRotatorConfig {
    kind: "manual";
    /** A built-in check of the key, or none. */
    verify?: ManualVerifierName;
    /** Base URL for the built-in check. Default: the provider's public API. */
    endpoint?: string;
}

/** HTTP methods a spec may use. */
export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/**
 * One HTTP request of a spec. Strings may hold placeholders: `{{admin}}` (the admin credential),
 * `{{admin.FIELD}}` (a field of a JSON admin credential), `{{keyName}}`, `{{keyId}}`, `{{key}}`
 * (the new key), `{{expiresAt}}` (RFC 3339) and `{{params.NAME}}`.
 */
export interface HttpCall {
    method: HttpMethod;
    url: string;
    headers?: Record<string, string>;
    /** JSON body; every string inside may hold placeholders. Exclusive with `form`. */
    json?: unknown;
    /** Form-encoded body. Exclusive with `json`. */
    form?: Record<string, string>;
    basicAuth?: { username: string; password: string };
    /** Statuses that count as success. Default: any 2xx. */
    okStatus?: number[];
}

/** The declarative description of a provider's key-management API. */
export interface HttpRotatorSpec {
    /** The provider's name in messages, e.g. "SendGrid". */
    label: string;
    /** Creates a key; `keyPath` and `keyIdPath` are dotted paths into the JSON response. */
    create: HttpCall & { keyPath: string; keyIdPath: string };
    /**
     * Checks the new key with the key itself; optionally a response field that must equal a value.
     */
    verify: HttpCall & { expectPath?: string; expectValue?: string | number | boolean };
    /**
     * Revokes a key by `{{keyId}}`. Statuses in `goneStatus` (default [404]) mean already revoked.
     */
    revoke: HttpCall & { goneStatus?: number[] };
    /** Lists keys, to find orphans by name: the items array and each item's name and ID. */
    list?: HttpCall & {
        itemsPath: string;
        namePath: string;
        idPath: string;
        /** How the answer points at the next page; without it, the first page is all there is. */
        paging?: ListPaging;
    };
}

/**
 * How a list answer leads to its next page: set exactly one of `nextUrlPath`, `cursorPath`
 * (with `cursorParam`), `pageParam` (with `totalPagesPath`) or `offsetParam`. A search that
 * would read more than `maxPages` pages stops and counts as unread, so an unfinished attempt's
 * key is reported in Slack rather than taken for one that was never created.
 */
export interface ListPaging {
    /** Dotted path of the next page's URL, absolute or relative; empty on the last page. */
    nextUrlPath?: string;
    /** Dotted path of the cursor to send back in the query parameter `cursorParam`. */
    cursorPath?: string;
    /** Query parameter that carries the cursor, e.g. "after". */
    cursorParam?: string;
    /** Dotted path of a boolean that is true while more pages follow (default: a cursor is set). */
    morePath?: string;
    /** Query parameter of the page number; the first request is page 1. */
    pageParam?: string;
    /** Dotted path of the number of pages, with `pageParam`. */
    totalPagesPath?: string;
    /** Query parameter of the number of keys to skip; the list ends at an empty page. */
    offsetParam?: string;
    /** Most pages one search reads. Default 20, at most 100. */
    maxPages?: number;
}
