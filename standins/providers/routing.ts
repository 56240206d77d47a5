/**
 * The vocabulary the fake providers are written in: a request as a handler sees it, the reply
 * it returns, routes matched by path template, and the strict input checks every fake shares
 * (content type, JSON or form body, unknown and missing fields, credentials).
 *
 * Handlers signal a provider error by throwing `ProviderError`; the server turns it into that
 * provider's error shape through the fake's `Dialect`. Error messages name the field and the
 * fix, and never repeat a credential the caller sent.
 */
import type { IncomingHttpHeaders } from "node:http";

/** A request as a route handler sees it. */
export interface FakeRequest {
    readonly method: string;
    /** The URL path, percent-decoding left to the route parameters. */
    readonly path: string;
    readonly query: URLSearchParams;
    readonly headers: IncomingHttpHeaders;
    /** The raw body, UTF-8 decoded. */
    readonly body: string;
    /** Values captured by `{name}` segments of the route template, percent-decoded. */
    readonly params: Readonly<Record<string, string>>;
}

/** What a handler answers. */
export interface FakeReply {
    status: number;
    /** Serialised as JSON; absent for an empty body (e.g. 204). */
    body?: unknown;
    headers?: Record<string, string>;
    /** Overrides "status >= 400 means failed" for the counters (Slack answers errors as 200). */
    failed?: boolean;
    /** The key material inside `body` (one or more values) that `missing-key` removes. */
    secret?: string | readonly string[];
}

/** How one provider shapes its errors. */
export interface Dialect {
    /** The JSON body of an error answer with this status. */
    error(status: number, message: string, details?: Readonly<Record<string, unknown>>): unknown;
    /** Status for a known path called with another method; 405 unless the provider differs. */
    wrongMethodStatus?: number;
}

/** Thrown by handlers to answer with the provider's error shape. */
export class ProviderError extends Error {
    constructor(
        readonly status: number,
        message: string,
        readonly details: Readonly<Record<string, unknown>> = {},
    ) {
        super(message);
        this.name = "ProviderError";
    }
}

/** A handler bound to a method, a path template and an operation name (for counts and faults). */
export interface Route {
    readonly method: string;
    readonly operation: string;
    readonly pattern: RegExp;
    readonly names: readonly string[];
    handle(req: FakeRequest): FakeReply | Promise<FakeReply>;
}

/**
 * Builds a route. `template` is a path with `{name}` placeholders, each matching one path
 * segment (or the part of it before a literal suffix such as `:generateContent`).
 */
export function route(
    method: string,
    template: string,
    operation: string,
    handle: (req: FakeRequest) => FakeReply | Promise<FakeReply>,
): Route {
    const names: string[] = [];
    const source = template
        .split(/(\{[a-zA-Z]+\})/)
        .map((part) => {
            const placeholder = /^\{([a-zA-Z]+)\}$/.exec(part);
            if (!placeholder) return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
            names.push(placeholder[1]);
            return "([^/]+?)";
        })
        .join("");
    return { method, operation, pattern: new RegExp(`^${source}$`), names, handle };
}

/** The media type of the request body, lower-cased, without parameters such as charset. */
export function mediaType(req: FakeRequest): string {
    return (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
}

/** Parses a JSON object body; 415 for another content type, 400 for bad JSON or a non-object. */
export function jsonObject(req: FakeRequest): Record<string, unknown> {
    if (mediaType(req) !== "application/json") {
        throw new ProviderError(415, "Content-Type must be application/json for this request.");
    }
    let value: unknown;
    try {
        value = JSON.parse(req.body);
    } catch {
        throw new ProviderError(400, "The request body is not valid JSON; send a JSON object.");
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new ProviderError(400, "The request body must be a JSON object.");
    }
    return value as Record<string, unknown>;
}

/** Parses a form body; `wrongTypeStatus` (default 415) when it is not form-encoded. */
export function formBody(req: FakeRequest, wrongTypeStatus = 415): URLSearchParams {
    if (mediaType(req) !== "application/x-www-form-urlencoded") {
        throw new ProviderError(
            wrongTypeStatus,
            "Content-Type must be application/x-www-form-urlencoded for this request.",
        );
    }
    return new URLSearchParams(req.body);
}

/** Rejects any field not in `allowed`, naming it and listing what is accepted. */
export function rejectUnknownFields(body: Record<string, unknown>, allowed: readonly string[]) {
    const unknown = Object.keys(body).filter((field) => !allowed.includes(field));
    if (unknown.length > 0) {
        throw new ProviderError(
            400,
            `Unknown field(s) ${unknown.map((f) => `\`${f}\``).join(", ")}; ` +
                `accepted fields: ${allowed.join(", ")}.`,
        );
    }
}

/** A required non-empty string field, at most `maxLength` characters. */
export function requireString(
    body: Record<string, unknown>,
    field: string,
    maxLength = Infinity,
): string {
    const value = body[field];
    if (typeof value !== "string" || value.length === 0) {
        throw new ProviderError(400, `\`${field}\` is required and must be a non-empty string.`);
    }
    if (value.length > maxLength) {
        throw new ProviderError(400, `\`${field}\` must be at most ${maxLength} characters.`);
    }
    return value;
}

/** An optional ISO 8601 timestamp field, as epoch ms; 400 when present but unparseable. */
export function optionalTimestamp(body: Record<string, unknown>, field: string) {
    const value = body[field];
    if (value === undefined || value === null) return undefined;
    const ms = typeof value === "string" ? Date.parse(value) : NaN;
    if (Number.isNaN(ms)) {
        throw new ProviderError(
            400,
            `\`${field}\` must be an ISO 8601 timestamp such as 2026-01-01T00:00:00Z.`,
        );
    }
    return ms;
}

/** The token of an `Authorization: Bearer <token>` header, if that is the scheme used. */
export function bearerToken(req: FakeRequest): string | undefined {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
    return match?.[1];
}

/** The user and password of an `Authorization: Basic` header, if that is the scheme used. */
export function basicAuth(req: FakeRequest): { user: string; password: string } | undefined {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.authorization ?? "");
    if (!match) return undefined;
    const decoded = Buffer.from(match[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return undefined;
    return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** A single header's value (the first, when repeated). */
export function header(req: FakeRequest, name: string): string | undefined {
    const value = req.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
}
