/**
 * Turns an {@link OutboundRequest} into what one attempt sends, refusing before any I/O a request
 * that is malformed, breaks the URL policy or would carry credentials to the wrong host.
 */
import { isIP } from "node:net";
import { encodeBody } from "./body";
import { OutboundError } from "./errors";
import type { HttpMethod, OutboundRequest } from "./types";
import { checkUrl, normalizeHost, redactUrl } from "./url-policy";

const METHODS: readonly HttpMethod[] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];
const IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(["GET", "HEAD", "PUT", "DELETE"]);
/** Headers that carry credentials whether or not the caller says so. */
const ALWAYS_CREDENTIALS = ["authorization", "proxy-authorization"];

/** A checked request, ready for attempts. */
export interface PreparedRequest {
    /** HTTP method. */
    method: HttpMethod;
    /** The checked URL. */
    url: URL;
    /** The URL as errors and logs show it. */
    redactedUrl: string;
    /** Headers with lower-cased names, body and auth headers included. */
    headers: Record<string, string>;
    /** Encoded body, if any. */
    body?: Buffer;
    /** Whether repeating the request is harmless. */
    idempotent: boolean;
    /** Per-attempt time limit in ms. */
    timeoutMs: number;
}

/** Client settings the preparation depends on. */
export interface PrepareSettings {
    /** See `OutboundOptions.allowLoopback`. */
    allowLoopback: boolean;
    /** See `OutboundOptions.maxRequestBytes`. */
    maxRequestBytes: number;
    /** The client's per-attempt timeout, used unless the request overrides it. */
    timeoutMs: number;
}

/** Credential values and declared secrets, with a bearer token also listed without its scheme. */
function collectSecrets(request: OutboundRequest, credentialValues: string[]): string[] {
    const secrets = [...(request.secrets ?? []), ...credentialValues];
    for (const value of credentialValues) {
        const space = value.indexOf(" ");
        if (space > 0) secrets.push(value.slice(space + 1).trim());
    }
    return secrets.filter((secret) => secret.length > 0);
}

function redactedOrPlaceholder(raw: string, secrets: string[], secretPath: boolean): string {
    try {
        return redactUrl(new URL(raw), secrets, secretPath);
    } catch {
        return "(unparseable URL)";
    }
}

/** Parses `credentialHost` into a normalised host name, or undefined if it is not a bare host. */
function parseCredentialHost(value: string): string | undefined {
    const host = normalizeHost(value);
    if (host === "" || /[\s/@?#]/.test(host)) return undefined;
    try {
        const url = new URL(`https://${isIP(host) === 6 ? `[${host}]` : host}/`);
        return url.port === "" ? normalizeHost(url.hostname) : undefined;
    } catch {
        return undefined;
    }
}

/** Checks and encodes a request. Throws {@link OutboundError} before any I/O on bad input. */
export function prepareRequest(
    request: OutboundRequest,
    settings: PrepareSettings,
): PreparedRequest {
    const method = request.method;
    const headers: Record<string, string> = {};
    const credentialNames = new Set([
        ...ALWAYS_CREDENTIALS,
        ...(request.credentialHeaders ?? []).map((name) => name.toLowerCase()),
    ]);
    const credentialValues: string[] = [];
    for (const [name, value] of Object.entries(request.headers ?? {})) {
        const lower = name.toLowerCase();
        if (credentialNames.has(lower)) credentialValues.push(String(value));
    }
    if (request.basicAuth) credentialValues.push(request.basicAuth.password);
    const secrets = collectSecrets(request, credentialValues);
    const secretPath = request.secretPath === true;
    const shown = redactedOrPlaceholder(request.url, secrets, secretPath);
    const invalid = (problem: string, remedy: string) =>
        new OutboundError("invalid-request", { method, url: shown, attempts: 0 }, problem, remedy);

    if (!METHODS.includes(method)) {
        throw invalid("the method is not supported", `use one of ${METHODS.join(", ")}`);
    }
    for (const [name, value] of Object.entries(request.headers ?? {})) {
        const lower = name.toLowerCase();
        if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(lower)) {
            throw invalid("a header name is not a valid HTTP token", "fix the header names");
        }
        if (lower in headers) {
            throw invalid(`header \`${lower}\` is given twice`, "give each header once");
        }
        if (typeof value !== "string" || /[\r\n\0]/.test(value)) {
            throw invalid(
                `header \`${lower}\` holds a line break or is not a string`,
                "strip line breaks from header values",
            );
        }
        headers[lower] = value;
    }
    if (request.basicAuth) {
        if ("authorization" in headers) {
            throw invalid(
                "both `basicAuth` and an Authorization header are set",
                "give only one of them",
            );
        }
        const { username, password } = request.basicAuth;
        headers.authorization =
            "Basic " + Buffer.from(`${username}:${password}`, "utf8").toString("base64");
    }
    if (request.json !== undefined && request.form !== undefined) {
        throw invalid("both `json` and `form` are set", "send one body");
    }
    const body = encodeBody(request.json, request.form);
    if (body && (method === "GET" || method === "HEAD")) {
        throw invalid(`a ${method} request cannot have a body`, "drop `json`/`form` or use POST");
    }
    if (body && body.bytes.length > settings.maxRequestBytes) {
        throw invalid(
            `the body is ${body.bytes.length} bytes, over the cap of ` +
                `${settings.maxRequestBytes}`,
            "send less or raise `maxRequestBytes`",
        );
    }
    const timeoutMs = request.timeoutMs ?? settings.timeoutMs;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
        throw invalid("`timeoutMs` must be a positive number", "pass milliseconds, e.g. 5000");
    }

    const url = checkUrl(request.url, {
        method,
        allowLoopback: settings.allowLoopback,
        secrets,
        secretPath,
    });
    const details = { method, url: shown, attempts: 0 };
    const carriesCredentials = Object.keys(headers).some((name) => credentialNames.has(name));
    if (carriesCredentials) {
        if (request.credentialHost === undefined) {
            throw new OutboundError(
                "credential-host",
                details,
                "the request carries credentials but declares no `credentialHost`",
                "set `credentialHost` to the provider API host the credentials belong to",
            );
        }
        const pinned = parseCredentialHost(request.credentialHost);
        if (pinned === undefined) {
            throw invalid(
                "`credentialHost` is not a bare host name",
                "pass a host such as api.sendgrid.com, without scheme, port or path",
            );
        }
        if (normalizeHost(url.hostname) !== pinned) {
            throw new OutboundError(
                "credential-host",
                details,
                `the credentials are pinned to ${pinned}, not to the URL's host`,
                "send them only to their `credentialHost`, or fix the URL",
            );
        }
    }

    if (body && !("content-type" in headers)) headers["content-type"] = body.contentType;
    headers["accept"] ??= "application/json, text/plain;q=0.9, */*;q=0.5";
    headers["user-agent"] ??= "keywarden-rotator";
    return {
        method,
        url,
        redactedUrl: shown,
        headers,
        body: body?.bytes,
        idempotent: request.idempotent ?? IDEMPOTENT.has(method),
        timeoutMs,
    };
}
