/**
 * Validation of a rotation policy, shared by the components (at `pulumi preview`, before any
 * resource exists) and by the function (on every tick, since anyone with write access to the
 * secret could edit the annotation by hand).
 *
 * Every problem is reported, not just the first, each as a sentence that names the field and
 * says how to fix it.
 */
import { UrlRules, validateRotatorConfig } from "../rotators/validate";
import { formatDuration, parseDuration } from "./duration";
import { POLICY_SCHEMA, RotationPolicy } from "./types";

/** Secret IDs: letters, digits, `-` and `_`, 1 to 255 characters (Secret Manager's rule). */
export const SECRET_ID = /^[A-Za-z0-9_-]{1,255}$/;

const KNOWN_FIELDS = new Set([
    "schema",
    "bot",
    "stateSecret",
    "rotator",
    "rotationPeriod",
    "gracePeriod",
    "reminderLead",
    "adminSecret",
    "healthUrl",
    "keyLifetime",
]);

/** Rotators that work without an admin secret. */
const NO_ADMIN = new Set(["manual", "google-api-key"]);

/** Result of validation: the policy when there is no problem, else every problem found. */
export interface PolicyCheck {
    policy?: RotationPolicy;
    problems: string[];
}

/** Parses the annotation text, then validates it. */
export function parsePolicyAnnotation(text: string, rules: UrlRules = {}): PolicyCheck {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        return {
            problems: ["the policy annotation is not valid JSON: rewrite it with `pulumi up`"],
        };
    }
    return validatePolicy(value, rules);
}

/**
 * Validates a policy object. `rules.allowLoopbackHttp` admits http:// URLs to 127.0.0.1 in
 * rotator specs: the local sandbox and tests only; deployed functions and the components
 * refuse them.
 */
export function validatePolicy(value: unknown, rules: UrlRules = {}): PolicyCheck {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return { problems: ["the policy must be a JSON object"] };
    }
    const policy = value as Record<string, unknown>;
    const problems: string[] = [];
    for (const field of Object.keys(policy)) {
        if (!KNOWN_FIELDS.has(field)) {
            problems.push(
                `${field} is not a policy field: remove it (known fields: ` +
                    `${[...KNOWN_FIELDS].join(", ")})`,
            );
        }
    }
    if (policy.schema !== POLICY_SCHEMA) {
        problems.push(
            `schema must be ${POLICY_SCHEMA}: this version of keywarden reads schema ` +
                `${POLICY_SCHEMA} only; upgrade the function if the policy was written by a ` +
                `newer one`,
        );
    }
    if (typeof policy.bot !== "string" || policy.bot.trim() === "") {
        problems.push("bot is missing: give the name of the bot that uses this key");
    }
    checkSecretId(policy.stateSecret, "stateSecret", true, problems);
    problems.push(...validateRotatorConfig(policy.rotator, "rotator", rules));

    const kind = (policy.rotator as { kind?: unknown } | undefined)?.kind;
    const needsAdmin = typeof kind === "string" && !NO_ADMIN.has(kind);
    checkSecretId(policy.adminSecret, "adminSecret", needsAdmin, problems);

    const period = duration(policy.rotationPeriod, "rotationPeriod", true, problems);
    const grace = duration(policy.gracePeriod, "gracePeriod", true, problems);
    if (period !== undefined && grace !== undefined && grace >= period) {
        problems.push(
            `gracePeriod (${formatDuration(grace)}) must be shorter than rotationPeriod ` +
                `(${formatDuration(period)}), so that at most two keys are valid at once: ` +
                `shorten it`,
        );
    }
    const lead = duration(policy.reminderLead, "reminderLead", false, problems);
    if (lead !== undefined && period !== undefined && lead > period) {
        problems.push(
            `reminderLead (${formatDuration(lead)}) is longer than rotationPeriod ` +
                `(${formatDuration(period)}): reminders would start the moment a key is made; ` +
                `shorten it`,
        );
    }
    if (policy.keyLifetime !== undefined && policy.keyLifetime !== "none") {
        const lifetime = duration(policy.keyLifetime, "keyLifetime", false, problems);
        if (
            lifetime !== undefined &&
            period !== undefined &&
            grace !== undefined &&
            lifetime < period + grace
        ) {
            problems.push(
                `keyLifetime (${formatDuration(lifetime)}) is shorter than rotationPeriod plus ` +
                    `gracePeriod (${formatDuration(period + grace)}): keys would expire while ` +
                    `still in use; make it longer or "none"`,
            );
        }
    }
    if (policy.healthUrl !== undefined) {
        const problem = checkHealthUrl(policy.healthUrl);
        if (problem) problems.push(`healthUrl ${problem}`);
    }
    return problems.length === 0 ? { policy: value as RotationPolicy, problems } : { problems };
}

/** Returns why a health URL is unusable, or undefined when it is fine. */
export function checkHealthUrl(value: unknown): string | undefined {
    if (typeof value !== "string")
        return 'must be a string such as "https://bot.example.com/healthz"';
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        return `"${value}" is not a URL: write it as "https://host/path"`;
    }
    if (url.protocol !== "https:")
        return `must use https (got "${url.protocol}//"): serve the health endpoint over TLS`;
    if (url.username || url.password)
        return "must not carry credentials: pass them as uptime-check headers";
    return undefined;
}

function checkSecretId(value: unknown, field: string, required: boolean, problems: string[]) {
    if (value === undefined) {
        if (required)
            problems.push(`${field} is missing: give the ID of a secret in the same project`);
        return;
    }
    if (typeof value !== "string" || !SECRET_ID.test(value)) {
        problems.push(
            `${field} must be a secret ID (letters, digits, "-" and "_", at most 255), ` +
                `not a full resource name or anything else`,
        );
    }
}

function duration(value: unknown, field: string, required: boolean, problems: string[]) {
    if (value === undefined) {
        if (required) problems.push(`${field} is missing: give a duration such as "30d"`);
        return undefined;
    }
    const parsed = parseDuration(value);
    if (typeof parsed === "string") {
        problems.push(`${field} ${parsed}`);
        return undefined;
    }
    return parsed;
}
