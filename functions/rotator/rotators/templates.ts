/**
 * Placeholders in HTTP specs, and dotted paths into provider responses.
 *
 * A spec describes a provider's key API as data: its strings hold placeholders such as
 * `{{keyName}}` or `{{admin.appKey}}` that are filled in for each call, and it names fields of
 * the provider's JSON answers with dotted paths such as `data.attributes.key` or `items.0.id`.
 * Errors here name the placeholder and never the value, because most values are credentials.
 */

/** The placeholders a spec may use, besides `admin.FIELD` and `params.NAME`. */
export const SIMPLE_PLACEHOLDERS = ["admin", "keyName", "keyId", "key", "expiresAt"] as const;

/** A field or param name inside a placeholder: a JavaScript-like identifier. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Any `{{...}}` in a string; what is inside is checked by `parsePlaceholder`. */
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** A placeholder taken apart: `admin.appKey` is root `admin`, field `appKey`. */
export interface Placeholder {
    /** The text between the braces, as written. */
    text: string;
    root: (typeof SIMPLE_PLACEHOLDERS)[number] | "params";
    /** The JSON field of the admin credential, or the param name. */
    field?: string;
}

/** The values one call is rendered with; absent ones are errors when a placeholder needs them. */
export interface TemplateValues {
    /** The admin credential as stored; parsed as a JSON object only for `{{admin.FIELD}}`. */
    admin?: string;
    keyName?: string;
    keyId?: string;
    key?: string;
    /** RFC 3339 instant; see `formatExpiry`. */
    expiresAt?: string;
    params?: Record<string, string>;
}

/** A placeholder that is unknown or has no value. The message names it, never a value. */
export class TemplateError extends Error {
    constructor(
        /** The placeholder as written, e.g. `{{params.accountId}}`. */
        readonly placeholder: string,
        message: string,
        /** True when the admin credential itself is at fault (not JSON, field missing). */
        readonly adminAtFault = false,
    ) {
        super(message);
        this.name = "TemplateError";
    }
}

/** Parses the inside of `{{...}}`; undefined when it is not a known placeholder. */
export function parsePlaceholder(text: string): Placeholder | undefined {
    if ((SIMPLE_PLACEHOLDERS as readonly string[]).includes(text)) {
        return { text, root: text as Placeholder["root"] };
    }
    const dot = text.indexOf(".");
    if (dot < 0) return undefined;
    const root = text.slice(0, dot);
    const field = text.slice(dot + 1);
    if ((root === "admin" || root === "params") && NAME.test(field)) return { text, root, field };
    return undefined;
}

/**
 * Every placeholder written in a string or in the strings of a JSON tree, as written (without
 * braces), in order of appearance. Object keys are not templates and are not searched.
 */
export function placeholdersIn(value: unknown): string[] {
    const found: string[] = [];
    walkStrings(value, (text) => {
        for (const match of text.matchAll(PLACEHOLDER)) found.push(match[1]);
    });
    return found;
}

/**
 * Fills in the placeholders of one string. `encode` is applied to every value except params
 * (URLs encode runtime values so that a key ID cannot add path segments, while params such as
 * `baseUrl` are URL pieces written by the operator).
 */
export function renderString(
    template: string,
    values: TemplateValues,
    encode: (value: string) => string = (value) => value,
): string {
    return template.replace(PLACEHOLDER, (whole, inner: string) => {
        const placeholder = parsePlaceholder(inner);
        if (!placeholder) {
            throw new TemplateError(
                whole,
                `${whole} is not a known placeholder: use one of ` + `${knownPlaceholderList()}`,
            );
        }
        const value = valueOf(placeholder, values);
        return placeholder.root === "params" ? value : encode(value);
    });
}

/** Fills a URL: runtime values are percent-encoded, params are inserted as written. */
export function renderUrl(template: string, values: TemplateValues): string {
    return renderString(template, values, encodeURIComponent);
}

/**
 * Fills the placeholders of every string in a JSON tree and returns a new tree. An object
 * member whose whole value is `{{expiresAt}}` is left out when no expiry was asked for, so
 * that one spec serves both with and without provider-side expiry.
 */
export function renderJson(tree: unknown, values: TemplateValues): unknown {
    if (typeof tree === "string") return renderString(tree, values);
    if (Array.isArray(tree)) return tree.map((item) => renderJson(item, values));
    if (tree !== null && typeof tree === "object") {
        const out: Record<string, unknown> = {};
        for (const [name, member] of Object.entries(tree)) {
            if (isOptionalExpiry(member, values)) continue;
            out[name] = renderJson(member, values);
        }
        return out;
    }
    return tree;
}

/** Fills a form body; like JSON members, a field that is just `{{expiresAt}}` may drop out. */
export function renderForm(
    form: Record<string, string>,
    values: TemplateValues,
): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, template] of Object.entries(form)) {
        if (isOptionalExpiry(template, values)) continue;
        out[name] = renderString(template, values);
    }
    return out;
}

/** An expiry as specs send it: RFC 3339 in UTC, to the second (some APIs refuse fractions). */
export function formatExpiry(instant: Date): string {
    return new Date(Math.floor(instant.getTime() / 1000) * 1000)
        .toISOString()
        .replace(".000Z", "Z");
}

/**
 * Follows a dotted path (`data.attributes.key`, `items.0.id`) into a parsed JSON value.
 * Numeric segments index arrays. Returns undefined when any step is missing.
 */
export function lookupPath(value: unknown, path: string): unknown {
    let current = value;
    for (const segment of path.split(".")) {
        if (Array.isArray(current)) {
            if (!/^\d+$/.test(segment)) return undefined;
            current = current[Number(segment)];
        } else if (
            current !== null &&
            typeof current === "object" &&
            Object.prototype.hasOwnProperty.call(current, segment)
        ) {
            current = (current as Record<string, unknown>)[segment];
        } else {
            return undefined;
        }
    }
    return current;
}

/** True when `path` is a well-formed dotted path: non-empty segments of letters, digits, `_-`. */
export function isDottedPath(path: unknown): path is string {
    return typeof path === "string" && /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(path);
}

/** The placeholder list as shown in error messages. */
export function knownPlaceholderList(): string {
    return [...SIMPLE_PLACEHOLDERS, "admin.FIELD", "params.NAME"].map((p) => `{{${p}}}`).join(", ");
}

function isOptionalExpiry(member: unknown, values: TemplateValues): boolean {
    return member === "{{expiresAt}}" && values.expiresAt === undefined;
}

function valueOf(placeholder: Placeholder, values: TemplateValues): string {
    const written = `{{${placeholder.text}}}`;
    if (placeholder.root === "params") {
        const value = values.params?.[placeholder.field!];
        if (value === undefined) {
            throw new TemplateError(
                written,
                `${written} has no value: add ` + `"${placeholder.field}" to the rotator's params`,
            );
        }
        return value;
    }
    if (placeholder.root === "admin" && placeholder.field !== undefined) {
        return adminField(placeholder.field, values.admin, written);
    }
    const value = values[placeholder.root];
    if (value === undefined) {
        throw new TemplateError(
            written,
            `${written} has no value in this call ` + `(${placeholderScope(placeholder.root)})`,
            placeholder.root === "admin",
        );
    }
    return value;
}

function adminField(field: string, admin: string | undefined, written: string): string {
    if (admin === undefined) {
        throw new TemplateError(
            written,
            `${written} needs an admin credential: set adminSecret ` + "in the policy",
            true,
        );
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(admin);
    } catch {
        parsed = undefined;
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new TemplateError(
            written,
            `${written} needs the admin secret to hold a JSON ` +
                `object with the field "${field}", and it does not hold one: store it as JSON`,
            true,
        );
    }
    const value = (parsed as Record<string, unknown>)[field];
    if (typeof value !== "string" && typeof value !== "number") {
        throw new TemplateError(
            written,
            `${written} has no value: the admin secret's JSON has ` +
                `no string field "${field}"; add it`,
            true,
        );
    }
    return String(value);
}

function placeholderScope(root: Placeholder["root"]): string {
    switch (root) {
        case "key":
            return "the new key exists in verify only";
        case "keyId":
            return "the key ID exists in verify, revoke and list only";
        case "keyName":
            return "the key name exists in create and list only";
        case "expiresAt":
            return "no expiry was requested";
        default:
            return "set adminSecret in the policy";
    }
}

function walkStrings(value: unknown, visit: (text: string) => void): void {
    if (typeof value === "string") visit(value);
    else if (Array.isArray(value)) value.forEach((item) => walkStrings(item, visit));
    else if (value !== null && typeof value === "object") {
        Object.values(value).forEach((member) => walkStrings(member, visit));
    }
}
