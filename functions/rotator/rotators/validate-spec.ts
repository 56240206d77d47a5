/**
 * Validation of a hand-written `HttpRotatorSpec`: every problem found, each a sentence that
 * names the field path and the fix. The rules are the ones the HTTP rotator relies on: fixed
 * hosts, https, the admin credential going to the create URL's host only, the new key sent
 * nowhere but verify, and response paths that exist.
 */
import { HTTP_METHODS } from "../policy/types";
import { callPlaceholders, parseTemplateUrl } from "./http-call";
import { isDottedPath, knownPlaceholderList, parsePlaceholder } from "./templates";
import { DEFAULT_MAX_LIST_PAGES, MAX_LIST_PAGES } from "./list-pages";
import { checkUrlScheme, UrlRules } from "./validate-url";

type CallName = "create" | "verify" | "revoke" | "list";

/** Placeholders each call may use, besides `{{params.NAME}}`; `admin` covers `admin.FIELD`. */
const ALLOWED: Record<CallName, string[]> = {
    create: ["admin", "keyName", "expiresAt"],
    verify: ["key", "keyId"],
    revoke: ["admin", "keyId"],
    list: ["admin", "keyName"],
};

const CALL_FIELDS = ["method", "url", "headers", "json", "form", "basicAuth", "okStatus"];
const EXTRA_FIELDS: Record<CallName, string[]> = {
    create: ["keyPath", "keyIdPath"],
    verify: ["expectPath", "expectValue"],
    revoke: ["goneStatus"],
    list: ["itemsPath", "namePath", "idPath", "paging"],
};

/** Examples shown when a response path is missing. */
const PATH_HINTS: Record<string, string> = {
    keyPath: 'the dotted path of the key in the create response, e.g. "api_key"',
    keyIdPath: 'the dotted path of the key\'s ID in the create response, e.g. "api_key_id"',
    itemsPath: 'the dotted path of the array of keys in the list response, e.g. "result"',
    namePath: 'the dotted path of a key\'s name within one list item, e.g. "name"',
    idPath: 'the dotted path of a key\'s ID within one list item, e.g. "id"',
};

/**
 * Every problem with `spec`, at `field` (e.g. `rotator.spec`). `params` are the values the
 * policy gives `{{params.NAME}}`, needed to know the hosts.
 */
export function validateSpec(
    spec: unknown,
    field: string,
    params: Record<string, string>,
    rules: UrlRules,
): string[] {
    if (!isObject(spec)) {
        return [
            `${field} must be an object with label, create, verify, revoke and optionally ` +
                "list",
        ];
    }
    const problems: string[] = [];
    const known = ["label", "create", "verify", "revoke", "list"];
    for (const name of Object.keys(spec)) {
        if (!known.includes(name)) {
            problems.push(
                `${field}.${name} is not a spec field: remove it (spec fields: ` +
                    `${known.join(", ")})`,
            );
        }
    }
    if (typeof spec.label !== "string" || spec.label.trim() === "") {
        problems.push(
            `${field}.label is missing: give the provider's name for messages, e.g. ` +
                '"SendGrid"',
        );
    }
    const createHost =
        isObject(spec.create) && typeof spec.create.url === "string"
            ? parseTemplateUrl(spec.create.url, params)?.host
            : undefined;
    for (const name of ["create", "verify", "revoke", "list"] as CallName[]) {
        if (spec[name] === undefined && name === "list") continue;
        const where = `${field}.${name}`;
        problems.push(...checkCall(spec[name], name, where, params, createHost, rules));
    }
    return problems;
}

function checkCall(
    call: unknown,
    name: CallName,
    field: string,
    params: Record<string, string>,
    createHost: string | undefined,
    rules: UrlRules,
): string[] {
    if (call === undefined) return [`${field} is missing: describe the ${name} request`];
    if (!isObject(call)) return [`${field} must be an object with at least method and url`];
    const problems: string[] = [];
    const known = [...CALL_FIELDS, ...EXTRA_FIELDS[name]];
    for (const member of Object.keys(call)) {
        if (!known.includes(member)) {
            problems.push(
                `${field}.${member} is not a field of the ${name} call: remove it ` +
                    `(fields: ${known.join(", ")})`,
            );
        }
    }
    if (!(HTTP_METHODS as readonly unknown[]).includes(call.method)) {
        problems.push(
            `${field}.method ${
                call.method === undefined ? "is missing" : `is ${JSON.stringify(call.method)}`
            }: use one of ${HTTP_METHODS.join(", ")}`,
        );
    }
    problems.push(...checkShape(call, field));
    const placeholders = safePlaceholders(call);
    problems.push(...checkPlaceholders(placeholders, name, field, params));
    if (typeof call.url !== "string") {
        problems.push(
            `${field}.url is missing: give the full URL, e.g. ` +
                '"https://api.example.com/v1/keys"',
        );
    } else {
        problems.push(...checkUrl(call.url, field, params, rules));
        const host = parseTemplateUrl(call.url, params)?.host;
        const sendsAdmin = placeholders.some((p) => p === "admin" || p.startsWith("admin."));
        if (sendsAdmin && createHost && host && host !== createHost) {
            problems.push(
                `${field} sends {{admin}} to ${host}, but the admin credential may ` +
                    `only go to the create URL's host (${createHost}): use that host, or leave ` +
                    "the admin credential out of this call",
            );
        }
    }
    problems.push(...checkCallSpecifics(call, name, field, placeholders));
    return problems;
}

function checkShape(call: Record<string, unknown>, field: string): string[] {
    const problems: string[] = [];
    if (call.json !== undefined && call.form !== undefined) {
        problems.push(`${field} has both json and form: a request has one body; keep one`);
    }
    if (
        (call.json !== undefined || call.form !== undefined) &&
        (call.method === "GET" || call.method === "DELETE")
    ) {
        problems.push(`${field} has a body on ${call.method}: remove json/form or use POST`);
    }
    for (const member of ["headers", "form"]) {
        const value = call[member];
        if (value !== undefined && !isStringMap(value)) {
            problems.push(`${field}.${member} must be an object whose values are strings`);
        }
    }
    const auth = call.basicAuth;
    if (
        auth !== undefined &&
        !(
            isObject(auth) &&
            typeof auth.username === "string" &&
            typeof auth.password === "string" &&
            Object.keys(auth).length === 2
        )
    ) {
        problems.push(`${field}.basicAuth must be { "username": "...", "password": "..." }`);
    }
    for (const member of ["okStatus", "goneStatus"]) {
        const value = call[member];
        if (
            value !== undefined &&
            !(
                Array.isArray(value) &&
                value.length > 0 &&
                value.every((s) => Number.isInteger(s) && s >= 100 && s <= 599)
            )
        ) {
            problems.push(
                `${field}.${member} must be a non-empty list of HTTP statuses, ` +
                    "e.g. [200, 204]",
            );
        }
    }
    return problems;
}

function checkPlaceholders(
    placeholders: string[],
    name: CallName,
    field: string,
    params: Record<string, string>,
): string[] {
    const problems: string[] = [];
    for (const text of new Set(placeholders)) {
        const parsed = parsePlaceholder(text);
        if (!parsed) {
            problems.push(
                `${field} uses {{${text}}}, which is not a placeholder: use one of ` +
                    knownPlaceholderList(),
            );
        } else if (parsed.root === "params") {
            if (params[parsed.field!] === undefined) {
                problems.push(
                    `${field} uses {{${text}}} but rotator.params.${parsed.field} is ` +
                        "missing: add it to the rotator's params",
                );
            }
        } else if (!ALLOWED[name].includes(parsed.root)) {
            problems.push(
                `${field} uses {{${text}}}, which ${name} cannot use: ` + scopeHint(parsed.root),
            );
        }
    }
    return problems;
}

const PAGING_MODES = [
    ["nextUrlPath"],
    ["cursorPath", "cursorParam"],
    ["pageParam", "totalPagesPath"],
    ["offsetParam"],
];
const PAGING_FIELDS = [...PAGING_MODES.flat(), "morePath", "maxPages"];
const PAGING_EXAMPLES =
    'e.g. { "nextUrlPath": "meta.next_page_url" }, { "cursorPath": "last_id", "cursorParam": ' +
    '"after", "morePath": "has_more" }, { "pageParam": "page", "totalPagesPath": ' +
    '"result_info.total_pages" } or { "offsetParam": "offset" }';

function checkPaging(paging: unknown, field: string): string[] {
    if (!isObject(paging)) return [`${field} must be an object, ${PAGING_EXAMPLES}`];
    const problems: string[] = [];
    for (const member of Object.keys(paging)) {
        if (!PAGING_FIELDS.includes(member)) {
            problems.push(
                `${field}.${member} is not a paging field: remove it ` +
                    `(fields: ${PAGING_FIELDS.join(", ")})`,
            );
        }
    }
    const modes = PAGING_MODES.filter((mode) => mode.some((m) => paging[m] !== undefined));
    if (modes.length !== 1) {
        problems.push(
            `${field} must say one way to reach the next page: ${PAGING_EXAMPLES}` +
                (modes.length > 1 ? "; it mixes several" : ""),
        );
    }
    for (const mode of modes.length === 1 ? modes : []) {
        for (const member of mode.filter((m) => paging[m] === undefined)) {
            problems.push(`${field}.${member} is missing: ${mode.join(" and ")} go together`);
        }
    }
    for (const member of ["nextUrlPath", "cursorPath", "morePath", "totalPagesPath"]) {
        if (paging[member] !== undefined && !isDottedPath(paging[member])) {
            problems.push(`${field}.${member} must be a dotted path such as "meta.next_page_url"`);
        }
    }
    for (const member of ["cursorParam", "pageParam", "offsetParam"]) {
        const value = paging[member];
        if (
            value !== undefined &&
            (typeof value !== "string" || !/^[\w.[\]-]{1,64}$/.test(value))
        ) {
            problems.push(
                `${field}.${member} must be a query parameter name such as "after" or "page"`,
            );
        }
    }
    if (paging.morePath !== undefined && paging.cursorPath === undefined) {
        problems.push(`${field}.morePath goes with cursorPath: remove it or page by cursor`);
    }
    const max = paging.maxPages;
    if (
        max !== undefined &&
        (typeof max !== "number" || !Number.isInteger(max) || max < 1 || max > MAX_LIST_PAGES)
    ) {
        problems.push(
            `${field}.maxPages must be a whole number from 1 to ${MAX_LIST_PAGES} ` +
                `(default ${DEFAULT_MAX_LIST_PAGES})`,
        );
    }
    return problems;
}

function checkCallSpecifics(
    call: Record<string, unknown>,
    name: CallName,
    field: string,
    placeholders: string[],
): string[] {
    const problems: string[] = [];
    const pathFields =
        name === "create"
            ? ["keyPath", "keyIdPath"]
            : name === "list"
              ? ["itemsPath", "namePath", "idPath"]
              : [];
    for (const member of pathFields) {
        if (call[member] === undefined) {
            problems.push(`${field}.${member} is missing: give ${PATH_HINTS[member]}`);
        } else if (!isDottedPath(call[member])) {
            problems.push(
                `${field}.${member} must be a dotted path such as "data.id" or ` +
                    '"items.0.id" (letters, digits, _ and -, separated by dots)',
            );
        }
    }
    if (name === "list" && call.paging !== undefined) {
        problems.push(...checkPaging(call.paging, `${field}.paging`));
    }
    if (name === "create" && !placeholders.includes("keyName")) {
        problems.push(
            `${field} does not send {{keyName}}: give each key its name, so that a key ` +
                "left by a crash can be found and revoked",
        );
    }
    if (name === "verify" && !placeholders.includes("key")) {
        problems.push(
            `${field} does not send {{key}}: verify must check the new key itself ` +
                "(in a header, basic auth or the URL)",
        );
    }
    if (name === "revoke" && !placeholders.includes("keyId")) {
        problems.push(
            `${field} does not send {{keyId}}: put it in the URL, e.g. ` +
                '"https://api.example.com/v1/keys/{{keyId}}"',
        );
    }
    if (name === "verify") {
        if (call.expectPath !== undefined && !isDottedPath(call.expectPath)) {
            problems.push(`${field}.expectPath must be a dotted path such as "result.status"`);
        }
        const value = call.expectValue;
        if (value !== undefined && call.expectPath === undefined) {
            problems.push(
                `${field}.expectValue is set without expectPath: give the path of the ` +
                    'response field to compare, e.g. "result.status"',
            );
        }
        if (value !== undefined && !["string", "number", "boolean"].includes(typeof value)) {
            problems.push(`${field}.expectValue must be a string, number or boolean`);
        }
    }
    return problems;
}

function checkUrl(
    url: string,
    field: string,
    params: Record<string, string>,
    rules: UrlRules,
): string[] {
    if (/^\{\{(?!params\.)/.test(url)) {
        return [
            `${field}.url starts with a runtime placeholder: spell out the scheme and host ` +
                "(or give them as a param), so that it is known where requests go",
        ];
    }
    const parsed = parseTemplateUrl(url, params);
    if (!parsed) {
        if (/\{\{params\./.test(url)) return []; // Already reported as a missing param.
        return [
            `${field}.url is not a URL with a fixed host: write it as ` +
                '"https://host/path", placeholders only in the path or query',
        ];
    }
    const problem = checkUrlScheme(parsed, rules);
    return problem ? [`${field}.url ${problem}`] : [];
}

function scopeHint(root: string): string {
    switch (root) {
        case "key":
            return "the new key may only be sent by verify, which checks it";
        case "admin":
            return (
                "verify must check the new key with the key itself, not the admin " +
                "credential; remove it"
            );
        case "keyId":
            return "the key ID is only known after create (verify, revoke)";
        case "keyName":
            return "the key name is known in create and list only";
        default:
            return "expiry is only sent when a key is created";
    }
}

function safePlaceholders(call: Record<string, unknown>): string[] {
    // Malformed parts (reported elsewhere) are left out rather than crash the search.
    const parts = {
        method: "GET",
        url: typeof call.url === "string" ? call.url : "",
        headers: isObject(call.headers) ? call.headers : undefined,
        json: call.json,
        form: isObject(call.form) ? call.form : undefined,
        basicAuth: isObject(call.basicAuth) ? call.basicAuth : undefined,
    } as Parameters<typeof callPlaceholders>[0];
    return callPlaceholders(parts);
}

function isObject(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isStringMap(value: unknown): boolean {
    return isObject(value) && Object.values(value).every((v) => typeof v === "string");
}
