/**
 * When to try a request again, and how long to wait first.
 *
 * Backoff is "full jitter": a uniform delay between 0 and an exponentially growing cap, which
 * spreads retries from many rotations better than a fixed doubling. A `Retry-After` from the
 * host replaces the backoff: the host knows when it will be ready.
 *
 * A non-idempotent request (creating a key) is retried only where the provider cannot have
 * acted: 429 (rejected before processing), 503 with Retry-After (the service says it did not
 * take the request) and failures before a byte was sent (refused connection, DNS timeout).
 * Anything else might have created a key, and a blind retry would create a second one.
 */

/** How one attempt failed without a response. */
export interface TransportFailure {
    /** `timeout`: no full answer within the per-attempt limit; `network`: anything else. */
    kind: "timeout" | "network";
    /** The system error code (ECONNREFUSED, ECONNRESET...), when there is one. */
    errorCode?: string;
}

/** Error codes of failures that happen before any byte of the request leaves. */
const BEFORE_SEND_CODES = new Set(["ECONNREFUSED", "EAI_AGAIN"]);

/**
 * Error codes of a TLS handshake that failed on the host's certificate: the connection ended
 * before the request was written, and trying again cannot help.
 */
export const CERTIFICATE_CODES = new Set([
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "CERT_HAS_EXPIRED",
    "CERT_NOT_YET_VALID",
    "CERT_UNTRUSTED",
    "CERT_REVOKED",
    "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** Network error codes worth another attempt for an idempotent request. */
const TRANSIENT_CODES = new Set([
    "ECONNREFUSED",
    "ECONNRESET",
    "ECONNABORTED",
    "EPIPE",
    "ETIMEDOUT",
    "EAI_AGAIN",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "ERR_BAD_RESPONSE",
]);

/** Whether a status means "try again later": 429 and 5xx except Not Implemented / Version. */
export function isRetryableStatus(status: number): boolean {
    return status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505);
}

/** Whether a response with this status may be retried for a request of this idempotency. */
export function mayRetryStatus(
    status: number,
    idempotent: boolean,
    hasRetryAfter: boolean,
): boolean {
    if (!isRetryableStatus(status)) return false;
    if (idempotent) return true;
    return status === 429 || (status === 503 && hasRetryAfter);
}

/** Whether a transport failure may be retried for a request of this idempotency. */
export function mayRetryFailure(failure: TransportFailure, idempotent: boolean): boolean {
    const code = failure.errorCode ?? "";
    if (!idempotent) return failure.kind === "network" && BEFORE_SEND_CODES.has(code);
    return failure.kind === "timeout" || TRANSIENT_CODES.has(code);
}

/**
 * Reads a `Retry-After` header, either delay-seconds or an HTTP date, as milliseconds from
 * `nowMs`. Returns undefined when absent or unreadable (the caller falls back to backoff); a
 * date in the past gives 0.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
    if (value === undefined) return undefined;
    const text = value.trim();
    if (/^\d+$/.test(text)) return Number.parseInt(text, 10) * 1000;
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    return Math.max(0, at - nowMs);
}

/** Backoff settings. */
export interface BackoffSettings {
    /** Cap for the first retry in ms. */
    baseBackoffMs: number;
    /** Largest cap in ms. */
    maxBackoffMs: number;
    /** Uniform random in [0, 1). */
    random: () => number;
}

/**
 * Full-jitter delay before the retry that follows failed attempt number `attempt` (1-based):
 * uniform in [0, min(max, base * 2^(attempt-1))).
 */
export function backoffDelay(attempt: number, settings: BackoffSettings): number {
    const cap = Math.min(settings.maxBackoffMs, settings.baseBackoffMs * 2 ** (attempt - 1));
    return Math.floor(settings.random() * cap);
}
