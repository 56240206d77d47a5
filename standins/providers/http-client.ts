/**
 * A small HTTP client for calling the fakes from tests and simulations: it builds the auth
 * header and body encoding a provider expects, and returns status, headers and parsed body
 * without throwing on error statuses (a test wants to look at the 401, not catch it).
 */

/** How to call one endpoint. */
export interface CallOptions {
    /** `Authorization: Bearer <token>`. */
    bearer?: string;
    /** `Authorization: Basic base64(user:password)`. */
    basic?: { user: string; password: string };
    /** Extra headers, sent as given (e.g. `DD-API-KEY`, or a deliberately wrong content type). */
    headers?: Record<string, string>;
    /** Sent as JSON with `Content-Type: application/json` (unless `headers` overrides it). */
    json?: unknown;
    /** Sent form-encoded with `Content-Type: application/x-www-form-urlencoded`. */
    form?: Record<string, string>;
    /** Sent as is. */
    rawBody?: string;
    /** Abort after this many milliseconds (the call then rejects). Default: 5000. */
    timeoutMs?: number;
}

/** What came back. */
export interface CallResult {
    status: number;
    headers: Headers;
    /** The raw body text. */
    text: string;
    /** The body parsed as JSON (typed loosely: tests read any field), or undefined. */
    body: any;
}

/** Calls `baseUrl + path` and resolves with the status and body, whatever the status. */
export async function call(
    baseUrl: string,
    method: string,
    path: string,
    options: CallOptions = {},
): Promise<CallResult> {
    const headers: Record<string, string> = {};
    let body: string | undefined;
    if (options.bearer !== undefined) headers.Authorization = `Bearer ${options.bearer}`;
    if (options.basic) {
        const pair = `${options.basic.user}:${options.basic.password}`;
        headers.Authorization = `Basic ${Buffer.from(pair).toString("base64")}`;
    }
    if (options.json !== undefined) {
        headers["Content-Type"] = "application/json";
        body = JSON.stringify(options.json);
    } else if (options.form !== undefined) {
        headers["Content-Type"] = "application/x-www-form-urlencoded";
        body = new URLSearchParams(options.form).toString();
    } else if (options.rawBody !== undefined) {
        body = options.rawBody;
    }
    Object.assign(headers, options.headers ?? {});
    const response = await fetch(baseUrl + path, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
        parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
        parsed = undefined;
    }
    return { status: response.status, headers: response.headers, text, body: parsed };
}
