/**
 * The field rules of Secret Manager, as documented in `resources.proto` and `service.proto`.
 *
 * Each check throws INVALID_ARGUMENT naming the field and the rule, before anything is stored,
 * so a rejected request changes nothing. Error messages name keys but never echo values: an
 * annotation value may well be sensitive.
 */
import { invalidArgument } from "./errors";
import type { Replication } from "./messages";
import type { StoredSecret } from "./store";

/** Largest secret payload: 64 KiB. */
export const MAX_PAYLOAD_BYTES = 65536;
/** Annotation keys and values together must stay below 16 KiB. */
export const ANNOTATIONS_BYTE_LIMIT = 16384;
/** Most labels on one secret. */
export const MAX_LABELS = 64;
/** Most version aliases on one secret. */
export const MAX_VERSION_ALIASES = 50;

const SECRET_ID = /^[A-Za-z0-9_-]{1,255}$/;
const LABEL_KEY = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u;
const LABEL_VALUE = /^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u;
const ANNOTATION_KEY = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const ALIAS_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;
/** Alias names the service reserves: `latest` is the built-in alias, `NEW` is reserved. */
const RESERVED_ALIASES = new Set(["latest", "NEW"]);

const utf8Bytes = (text: string) => Buffer.byteLength(text, "utf8");

/** Checks a secret ID: 1-255 characters from `[A-Za-z0-9_-]`. */
export function checkSecretId(secretId: string | undefined): string {
    if (!secretId || !SECRET_ID.test(secretId)) {
        throw invalidArgument(
            "secret_id",
            "must be 1-255 characters of letters, digits, hyphens (-) and underscores (_), " +
                `got ${JSON.stringify(secretId ?? "")}`,
        );
    }
    return secretId;
}

/** Checks labels: at most 64, lowercase keys starting with a letter, lowercase values. */
export function checkLabels(labels: Record<string, string>, field: string): void {
    const entries = Object.entries(labels);
    if (entries.length > MAX_LABELS) {
        throw invalidArgument(field, `has ${entries.length} labels; at most ${MAX_LABELS} allowed`);
    }
    for (const [key, value] of entries) {
        if (!LABEL_KEY.test(key) || utf8Bytes(key) > 128) {
            throw invalidArgument(
                `${field}[${JSON.stringify(key)}]`,
                "label keys must start with a lowercase letter and have 1-63 lowercase " +
                    "letters, digits, hyphens (-) or underscores (_)",
            );
        }
        if (!LABEL_VALUE.test(value) || utf8Bytes(value) > 128) {
            throw invalidArgument(
                `${field}[${JSON.stringify(key)}]`,
                "label values must have 0-63 lowercase letters, digits, hyphens (-) or " +
                    "underscores (_)",
            );
        }
    }
}

/**
 * Checks annotations: keys of 1-63 characters that start and end with a letter or digit, with
 * `-`, `_` and `.` allowed inside; keys and values together below 16384 bytes of UTF-8.
 */
export function checkAnnotations(annotations: Record<string, string>, field: string): void {
    let total = 0;
    for (const [key, value] of Object.entries(annotations)) {
        if (!ANNOTATION_KEY.test(key)) {
            throw invalidArgument(
                `${field}[${JSON.stringify(key)}]`,
                "annotation keys must be 1-63 characters, start and end with a letter or digit, " +
                    "and contain only letters, digits, dashes (-), underscores (_) and dots (.)",
            );
        }
        total += utf8Bytes(key) + utf8Bytes(value);
    }
    if (total >= ANNOTATIONS_BYTE_LIMIT) {
        throw invalidArgument(
            field,
            `keys and values total ${total} bytes; they must total less than ` +
                `${ANNOTATIONS_BYTE_LIMIT} bytes (16 KiB)`,
        );
    }
}

/**
 * Checks version aliases against the secret's versions: at most 50, names that start with a
 * letter (up to 63 characters of `[A-Za-z0-9_-]`, not `latest` or `NEW`), each pointing at a
 * version that exists, is not destroyed and is not scheduled for destruction. Returns the
 * aliases with their version numbers as numbers.
 */
export function checkVersionAliases(
    aliases: Record<string, string | number>,
    secret: Pick<StoredSecret, "versions">,
    field: string,
): Record<string, number> {
    const entries = Object.entries(aliases);
    if (entries.length > MAX_VERSION_ALIASES) {
        throw invalidArgument(
            field,
            `has ${entries.length} aliases; at most ${MAX_VERSION_ALIASES} allowed`,
        );
    }
    const checked: Record<string, number> = {};
    for (const [alias, target] of entries) {
        const where = `${field}[${JSON.stringify(alias)}]`;
        if (!ALIAS_NAME.test(alias) || RESERVED_ALIASES.has(alias)) {
            throw invalidArgument(
                where,
                "alias names must start with a letter, have at most 63 letters, digits, " +
                    'hyphens (-) or underscores (_), and must not be "latest" or "NEW"',
            );
        }
        const number = Number(target);
        const version = secret.versions.get(number);
        if (!version) {
            throw invalidArgument(where, `points at version ${target}, which does not exist`);
        }
        if (version.state === "DESTROYED" || version.scheduledDestroyTimeMs !== undefined) {
            throw invalidArgument(
                where,
                `points at version ${number}, which is destroyed or scheduled for destruction`,
            );
        }
        checked[alias] = number;
    }
    return checked;
}

/**
 * Checks the replication policy. Global secrets need one (`{ automatic: {} }` or user-managed
 * replicas); regional secrets (`projects/p/locations/l`) must not have one.
 */
export function checkReplication(replication: Replication | undefined, regional: boolean): void {
    const field = "secret.replication";
    if (regional) {
        if (replication?.automatic || replication?.userManaged) {
            throw invalidArgument(field, "must not be set for a regional secret");
        }
        return;
    }
    if (replication?.automatic) return;
    const replicas = replication?.userManaged?.replicas ?? [];
    if (replication?.userManaged && replicas.length > 0 && replicas.every((r) => r.location)) {
        return;
    }
    throw invalidArgument(
        field,
        "is required: set { automatic: {} } or { userManaged: { replicas: [{ location }] } }",
    );
}

/** Checks a payload's size: at most 64 KiB. */
export function checkPayloadSize(data: Buffer): void {
    if (data.length > MAX_PAYLOAD_BYTES) {
        throw invalidArgument(
            "payload.data",
            `is ${data.length} bytes; a secret payload must be at most ${MAX_PAYLOAD_BYTES} ` +
                "bytes (64 KiB)",
        );
    }
}
