/**
 * The rotator's only way out to the network.
 *
 * Everything the function sends to a provider, a bot's health endpoint or Slack goes through
 * {@link OutboundClient}. It is a security boundary: the function can mint Google tokens from
 * the metadata server and holds provider admin credentials, so a URL taken from a rotation
 * policy must not be able to reach internal addresses, follow a redirect elsewhere, or carry a
 * credential to a host it does not belong to. See address-policy.ts, url-policy.ts,
 * guarded-lookup.ts and prepare.ts for each of those checks, retry-policy.ts for retries.
 */
import { logEvent } from "../log";
import { createTransport, runAttempt, type AttemptTransport } from "./attempt";
import { decodeBody } from "./body";
import { OutboundError, type OutboundErrorDetails } from "./errors";
import { systemResolver } from "./guarded-lookup";
import { prepareRequest, type PreparedRequest } from "./prepare";
import {
    CERTIFICATE_CODES,
    backoffDelay,
    mayRetryFailure,
    mayRetryStatus,
    parseRetryAfter,
    type TransportFailure,
} from "./retry-policy";
import type { OutboundOptions, OutboundRequest, OutboundResponse } from "./types";

const MIB = 1024 * 1024;

type Settings = Required<Omit<OutboundOptions, "resolve">>;

function positive(options: OutboundOptions, name: keyof OutboundOptions, fallback: number) {
    const value = options[name] ?? fallback;
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
        throw new RangeError(`OutboundOptions.${name} must be a positive number, got ${value}`);
    }
    return value;
}

/** Sends HTTP requests under the outbound policy, with retries. Safe to share. */
export class OutboundClient {
    private readonly settings: Settings;
    private readonly transport: AttemptTransport;

    /** Validates the options (a RangeError names a bad one) and builds the guarded agents. */
    constructor(options: OutboundOptions = {}) {
        const maxAttempts = positive(options, "maxAttempts", 4);
        if (!Number.isInteger(maxAttempts)) {
            throw new RangeError(`OutboundOptions.maxAttempts must be an integer`);
        }
        this.settings = {
            allowLoopback: options.allowLoopback ?? false,
            timeoutMs: positive(options, "timeoutMs", 10_000),
            maxAttempts,
            baseBackoffMs: positive(options, "baseBackoffMs", 500),
            maxBackoffMs: positive(options, "maxBackoffMs", 8_000),
            maxRetryAfterMs: positive(options, "maxRetryAfterMs", 30_000),
            maxResponseBytes: positive(options, "maxResponseBytes", MIB),
            maxRequestBytes: positive(options, "maxRequestBytes", MIB),
            sleep: options.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms))),
            random: options.random ?? Math.random,
            now: options.now ?? Date.now,
        };
        this.transport = createTransport(
            options.resolve ?? systemResolver,
            this.settings.allowLoopback,
            this.settings.maxResponseBytes,
            this.settings.maxRequestBytes,
        );
    }

    /** Whether this client permits loopback (tests and the sandbox). */
    get allowsLoopback(): boolean {
        return this.settings.allowLoopback;
    }

    /**
     * Sends a request. Resolves with any response that is final (2xx, or non-2xx that is not
     * retryable for this request); throws {@link OutboundError} when the request is refused,
     * cannot get a response, or every attempt got a retryable status.
     */
    async request(request: OutboundRequest): Promise<OutboundResponse> {
        const prepared = prepareRequest(request, this.settings);
        const { maxAttempts } = this.settings;
        for (let attempt = 1; ; attempt++) {
            const result = await runAttempt(this.transport, prepared);
            const details: OutboundErrorDetails = {
                method: prepared.method,
                url: prepared.redactedUrl,
                attempts: attempt,
            };
            if (result.kind === "blocked") {
                logEvent(
                    "WARNING",
                    "outbound.blocked",
                    "Refused to connect to a non-public address",
                    { method: details.method, url: details.url, attempt },
                );
                throw new OutboundError(
                    "blocked-address",
                    { ...details, attempts: attempt - 1 },
                    result.reason,
                    "point the URL at the provider's public API host",
                );
            }
            if (result.kind === "too-large") {
                throw new OutboundError(
                    "response-too-large",
                    details,
                    `the response body passed the cap of ${this.settings.maxResponseBytes} bytes`,
                    "ask for less (a smaller page size) or raise `maxResponseBytes`",
                );
            }
            let delay: number;
            if (result.kind === "failure") {
                if (!mayRetryFailure(result.failure, prepared.idempotent)) {
                    throw this.failureError(result.failure, prepared, details);
                }
                if (attempt >= maxAttempts) {
                    throw exhausted(details, `the last attempt ${describe(result.failure)}`);
                }
                delay = backoffDelay(attempt, this.settings);
            } else {
                const retryAfterMs = parseRetryAfter(
                    result.headers["retry-after"],
                    this.settings.now(),
                );
                if (
                    !mayRetryStatus(result.status, prepared.idempotent, retryAfterMs !== undefined)
                ) {
                    return {
                        ...decodeBody(result.bytes, result.headers["content-type"]),
                        status: result.status,
                        headers: result.headers,
                        attempts: attempt,
                    };
                }
                const withStatus = { ...details, status: result.status };
                if (retryAfterMs !== undefined && retryAfterMs > this.settings.maxRetryAfterMs) {
                    const retryAt = new Date(this.settings.now() + retryAfterMs);
                    throw new OutboundError(
                        "rate-limited",
                        { ...withStatus, retryAfterMs, retryAt },
                        `the host answered ${result.status} and asked to wait ` +
                            `${Math.ceil(retryAfterMs / 1000)} s`,
                        `try again after ${retryAt.toISOString()}`,
                    );
                }
                if (attempt >= maxAttempts) {
                    throw exhausted(withStatus, `the last answer was HTTP ${result.status}`);
                }
                delay = retryAfterMs ?? backoffDelay(attempt, this.settings);
            }
            const why =
                result.kind === "response" ? `got HTTP ${result.status}` : describe(result.failure);
            logEvent(
                "INFO",
                "outbound.retry",
                `${details.method} ${details.url}: attempt ` +
                    `${attempt} ${why}; retrying in ${delay} ms`,
                {
                    method: details.method,
                    url: details.url,
                    attempt,
                    status: result.kind === "response" ? result.status : undefined,
                    failure: result.kind === "failure" ? describe(result.failure) : undefined,
                    delayMs: delay,
                },
            );
            await this.settings.sleep(delay);
        }
    }

    private failureError(
        failure: TransportFailure,
        prepared: PreparedRequest,
        details: OutboundErrorDetails,
    ): OutboundError {
        const mayHaveActed = CERTIFICATE_CODES.has(failure.errorCode ?? "")
            ? "the host's TLS certificate was not trusted, so nothing was sent: check the URL's " +
              "host name and the host's certificate"
            : prepared.idempotent
              ? "check the host and the network, then try again"
              : "the request is not idempotent and may have taken effect: check the provider " +
                "before repeating it";
        if (failure.kind === "timeout") {
            return new OutboundError(
                "timeout",
                details,
                `no complete answer within ${prepared.timeoutMs} ms`,
                mayHaveActed,
            );
        }
        return new OutboundError(
            "network",
            details,
            `the attempt ${describe(failure)}`,
            mayHaveActed,
        );
    }
}

/** "timed out" or "failed (ECONNRESET)": what became of an attempt without a response. */
function describe(failure: TransportFailure): string {
    if (failure.kind === "timeout") return "timed out";
    return `failed (${failure.errorCode ?? "unknown network error"})`;
}

function exhausted(details: OutboundErrorDetails, last: string): OutboundError {
    return new OutboundError(
        "retries-exhausted",
        details,
        `gave up after ${details.attempts} attempt${details.attempts === 1 ? "" : "s"}; ${last}`,
        "the host is failing or overloaded: try again later, and check its status page if " +
            "it persists",
    );
}
