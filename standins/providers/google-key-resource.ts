/**
 * The Key resource of the API Keys API v2 as the fake checks, stores and renders it, and
 * Google's error shape. Google rejects unknown JSON fields (`Invalid JSON payload received.
 * Unknown name ...`), so the fake does too: a misspelt `serviceAccountEmail` must fail here
 * as it would in production, not create a key Gemini then refuses.
 */
import { ProviderError, type Dialect } from "./routing";
import type { IssuedKey } from "./register";
import { isoTime } from "./ids";

const STATUS_NAMES: Record<number, string> = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "INVALID_ARGUMENT",
    409: "ALREADY_EXISTS",
    413: "INVALID_ARGUMENT",
    415: "INVALID_ARGUMENT",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
};

/**
 * Google's error shape: `{"error": {"code", "message", "status", "details"?}}`. A `reason` in
 * the details becomes a google.rpc.ErrorInfo (e.g. API_KEY_INVALID).
 */
export const googleDialect: Dialect = {
    wrongMethodStatus: 404,
    error: (status, message, details) => {
        const error: Record<string, unknown> = {
            code: status,
            message,
            status: STATUS_NAMES[status] ?? "UNKNOWN",
        };
        if (details?.reason) {
            error.details = [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    reason: details.reason,
                    domain: "googleapis.com",
                    metadata: details.service ? { service: details.service } : {},
                },
            ];
        }
        return { error };
    },
};

/** What CreateKey accepts in its body. */
export interface KeySpec {
    displayName?: string;
    restrictions?: Record<string, unknown>;
    annotations?: Record<string, string>;
    serviceAccountEmail?: string;
}

const KEY_FIELDS = ["displayName", "restrictions", "annotations", "serviceAccountEmail"];
const RESTRICTION_FIELDS = [
    "browserKeyRestrictions",
    "serverKeyRestrictions",
    "androidKeyRestrictions",
    "iosKeyRestrictions",
    "apiTargets",
];

/** The `keyId` query parameter's documented pattern. */
export const KEY_ID_PATTERN = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

function unknownName(field: string, where: string): ProviderError {
    return new ProviderError(
        400,
        `Invalid JSON payload received. Unknown name "${field}" at ` +
            `'${where}': Cannot find field.`,
    );
}

/** Checks a CreateKey body field by field; 400 naming the first offending field. */
export function parseKeySpec(body: Record<string, unknown>): KeySpec {
    for (const field of Object.keys(body)) {
        if (!KEY_FIELDS.includes(field)) throw unknownName(field, "key");
    }
    const { displayName, restrictions, annotations, serviceAccountEmail } = body;
    if (displayName !== undefined && (typeof displayName !== "string" || displayName.length > 63)) {
        throw new ProviderError(400, "`displayName` must be a string of at most 63 characters.");
    }
    if (annotations !== undefined && !isStringMap(annotations)) {
        throw new ProviderError(400, "`annotations` must map strings to strings.");
    }
    if (
        serviceAccountEmail !== undefined &&
        (typeof serviceAccountEmail !== "string" || !serviceAccountEmail.includes("@"))
    ) {
        throw new ProviderError(400, "`serviceAccountEmail` must be a service account's email.");
    }
    if (restrictions !== undefined) checkRestrictions(restrictions);
    return body as KeySpec;
}

function checkRestrictions(value: unknown): void {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new ProviderError(400, "`restrictions` must be an object.");
    }
    const restrictions = value as Record<string, unknown>;
    for (const field of Object.keys(restrictions)) {
        if (!RESTRICTION_FIELDS.includes(field)) throw unknownName(field, "key.restrictions");
    }
    const targets = restrictions.apiTargets;
    if (targets === undefined) return;
    const valid =
        Array.isArray(targets) &&
        targets.every(
            (t: { service?: unknown } | null) =>
                typeof t === "object" && t !== null && typeof t.service === "string",
        );
    if (!valid) {
        throw new ProviderError(
            400,
            "`restrictions.apiTargets` must be a list of " +
                '{"service": "<name>.googleapis.com", "methods"?: [...]}.',
        );
    }
}

function isStringMap(value: unknown): value is Record<string, string> {
    return (
        typeof value === "object" &&
        value !== null &&
        !Array.isArray(value) &&
        Object.values(value).every((v) => typeof v === "string")
    );
}

/** True when the key's API targets include `service`. */
export function allowsService(key: IssuedKey, service: string): boolean {
    type Restrictions = { apiTargets?: { service: string }[] } | undefined;
    const targets = (key.attributes.restrictions as Restrictions)?.apiTargets ?? [];
    return targets.some((t) => t.service === service);
}

/** The Key resource as the API renders it; `keyString` only where the method returns it. */
export function renderKey(key: IssuedKey, withKeyString = false): Record<string, unknown> {
    const a = key.attributes;
    const json: Record<string, unknown> = {
        name: key.id,
        uid: a.uid,
        displayName: key.name || undefined,
        createTime: isoTime(key.createdAt),
        updateTime: isoTime(key.revokedAt ?? key.createdAt),
        deleteTime: key.revokedAt === undefined ? undefined : isoTime(key.revokedAt),
        annotations: a.annotations,
        restrictions: a.restrictions,
        etag: a.etag,
        serviceAccountEmail: a.serviceAccountEmail,
    };
    if (withKeyString) json.keyString = key.secret;
    for (const field of Object.keys(json)) if (json[field] === undefined) delete json[field];
    return json;
}
