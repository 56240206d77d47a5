/**
 * The one error type the outbound layer throws.
 *
 * Messages name the method and a redacted URL (origin and path, declared secrets replaced,
 * query dropped) and say what to do. They never hold a response body, a header value or a full
 * URL: provider responses can contain live keys, and a URL can carry a token.
 */

/**
 * Why an outbound request failed.
 * - `invalid-request`: the request or client options are malformed; nothing was sent.
 * - `insecure-url`: not https (or http to loopback in the sandbox), or credentials in the URL.
 * - `blocked-address`: the host is, or resolved to, a non-public address or a metadata name.
 * - `credential-host`: credentials would go to a host other than the declared one.
 * - `timeout`: a non-idempotent attempt got no answer in time; it may have taken effect.
 * - `network`: a connection failed in a way that is not retried (or may have taken effect).
 * - `rate-limited`: the host asked to wait longer than the client is willing to sleep.
 * - `retries-exhausted`: every attempt failed with a retryable status or network error.
 * - `response-too-large`: the response body passed the size cap.
 */
export type OutboundErrorCode =
    | "invalid-request"
    | "insecure-url"
    | "blocked-address"
    | "credential-host"
    | "timeout"
    | "network"
    | "rate-limited"
    | "retries-exhausted"
    | "response-too-large";

/** Details carried by an {@link OutboundError}, all safe to log. */
export interface OutboundErrorDetails {
    /** HTTP method of the failed request. */
    method: string;
    /** Origin and path with declared secrets replaced by `[redacted]`; never the query. */
    url: string;
    /** Attempts made before giving up; 0 when the request was refused before any I/O. */
    attempts: number;
    /** HTTP status of the last response, when there was one. */
    status?: number;
    /** For `rate-limited`: how long the host asked to wait, in milliseconds. */
    retryAfterMs?: number;
    /** For `rate-limited`: the earliest time a new request makes sense. */
    retryAt?: Date;
}

/** A failed outbound request. `message` is safe to log; so is every field. */
export class OutboundError extends Error {
    /** Machine-readable reason; callers branch on this, not on the message. */
    readonly code: OutboundErrorCode;
    /** HTTP method of the failed request. */
    readonly method: string;
    /** Redacted URL (see {@link OutboundErrorDetails.url}). */
    readonly url: string;
    /** Attempts made; 0 when nothing was sent. */
    readonly attempts: number;
    /** HTTP status of the last response, if any. */
    readonly status?: number;
    /** For `rate-limited`: the wait the host asked for, in milliseconds. */
    readonly retryAfterMs?: number;
    /** For `rate-limited`: the earliest time to try again. */
    readonly retryAt?: Date;

    /** `problem` and `remedy` are sentences; the method and redacted URL are prefixed. */
    constructor(
        code: OutboundErrorCode,
        details: OutboundErrorDetails,
        problem: string,
        remedy: string,
    ) {
        super(`${details.method} ${details.url}: ${problem}; ${remedy}`);
        this.name = "OutboundError";
        this.code = code;
        this.method = details.method;
        this.url = details.url;
        this.attempts = details.attempts;
        this.status = details.status;
        this.retryAfterMs = details.retryAfterMs;
        this.retryAt = details.retryAt;
    }
}
