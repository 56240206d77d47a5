/**
 * The shapes callers of the outbound layer work with: client options, a request, a response.
 */

/** HTTP methods the rotator uses against provider APIs, health checks and Slack. */
export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";

/** One address a host name resolved to. */
export interface ResolvedAddress {
    /** The IP address as text. */
    address: string;
    /** 4 or 6. */
    family: 4 | 6;
}

/** Resolves a host name to every address it has (the default wraps `dns.promises.lookup`). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** Options of an {@link OutboundClient}; every field has a production default. */
export interface OutboundOptions {
    /**
     * Permit http:// and addresses in 127.0.0.0/8 and ::1 (and the name `localhost`), for tests
     * and the local sandbox. No other non-public address is ever permitted. Default false.
     */
    allowLoopback?: boolean;
    /** Wall-clock limit of one attempt, connect to last body byte, in ms. Default 10,000. */
    timeoutMs?: number;
    /** Attempts per request, the first included. Default 4; 1 disables retries. */
    maxAttempts?: number;
    /** Backoff cap for the first retry, doubled on each later one, in ms. Default 500. */
    baseBackoffMs?: number;
    /** Upper bound of any backoff cap, in ms. Default 8,000. */
    maxBackoffMs?: number;
    /**
     * Longest `Retry-After` the client sleeps on, in ms. A longer one fails the request with
     * `rate-limited` and the time to retry. Default 30,000.
     */
    maxRetryAfterMs?: number;
    /** Response body cap in bytes (after decompression). Default 1 MiB. */
    maxResponseBytes?: number;
    /** Request body cap in bytes. Default 1 MiB. */
    maxRequestBytes?: number;
    /** Sleeps between attempts; tests inject one that records the delays. */
    sleep?: (ms: number) => Promise<void>;
    /** Uniform random number in [0, 1) for backoff jitter. Default `Math.random`. */
    random?: () => number;
    /** Current time in ms since the epoch, used to read HTTP-date `Retry-After`. */
    now?: () => number;
    /** DNS resolver; every address it returns is checked before a connection is made. */
    resolve?: Resolver;
}

/** Basic-auth credentials; always treated as credentials (see `credentialHost`). */
export interface BasicAuth {
    /** User name, e.g. a Twilio Account SID. */
    username: string;
    /** Password, e.g. a Twilio auth token. */
    password: string;
}

/** One outbound HTTP request. */
export interface OutboundRequest {
    /** HTTP method. */
    method: HttpMethod;
    /** Absolute https:// URL (http:// only to loopback with `allowLoopback`). */
    url: string;
    /** Request headers; names are case-insensitive and must not repeat. */
    headers?: Readonly<Record<string, string>>;
    /** Sends `Authorization: Basic ...`; cannot be combined with an Authorization header. */
    basicAuth?: BasicAuth;
    /** JSON request body. Cannot be combined with `form`; not allowed on GET or HEAD. */
    json?: unknown;
    /** Form-encoded request body. Cannot be combined with `json`; not on GET or HEAD. */
    form?: Readonly<Record<string, string>>;
    /**
     * Whether repeating the request is harmless. Default: true for GET, HEAD, PUT, DELETE and
     * false for POST, PATCH. A non-idempotent request (a key create) is retried only where the
     * provider cannot have acted on it: 429, 503 with Retry-After, or a refused connection.
     */
    idempotent?: boolean;
    /**
     * Names of headers whose values are credentials, e.g. `["DD-API-KEY"]`. Authorization and
     * Proxy-Authorization always count, as does `basicAuth`.
     */
    credentialHeaders?: readonly string[];
    /**
     * The single host name the request's credentials may be sent to, e.g. `api.sendgrid.com`.
     * Required when the request carries any credential; a URL on another host is refused.
     */
    credentialHost?: string;
    /**
     * Further secret strings to replace with `[redacted]` wherever the URL is shown. Credential
     * values are added automatically.
     */
    secrets?: readonly string[];
    /**
     * The URL path is itself a secret (a Slack webhook, a bot token in the path): errors and
     * logs show only the origin. Default false.
     */
    secretPath?: boolean;
    /** Overrides the client's per-attempt timeout for this request, in ms. */
    timeoutMs?: number;
}

/** A response that came back, whatever its status; non-2xx is for the caller to judge. */
export interface OutboundResponse {
    /** HTTP status code. */
    status: number;
    /** Response headers with lower-cased names; repeated headers are joined with ", ". */
    headers: Record<string, string>;
    /** The parsed value when the body is JSON (by Content-Type), else the text ("" if empty). */
    body: unknown;
    /** Whether `body` was parsed as JSON. */
    bodyType: "json" | "text";
    /** How many attempts it took, the successful one included. */
    attempts: number;
}
