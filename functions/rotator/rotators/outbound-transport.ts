/**
 * The rotators' `HttpTransport`, on top of the guarded outbound client of functions/rotator/net.
 *
 * The client enforces https, public addresses, no redirects and retries; this adapter tells it
 * which parts of a rotator's request are credentials. The rotator contract carries the secrets
 * of each request as plain strings, so every header whose value holds one is declared a
 * credential header (pinned to `credentialHost`, redacted in errors), and a URL path holding one
 * (a Telegram bot token) is declared secret. The client's errors become `TransportError`s whose
 * code says what the failure means to the rotation protocol.
 */
import { OutboundClient, OutboundError, type OutboundErrorCode } from "../net";
import { TransportError } from "./failures";
import type {
    HttpTransport,
    RotatorErrorCode,
    TransportRequest,
    TransportResponse,
} from "./rotator";

/** Failures a person must fix (the URL or the config), not a later tick. */
const CONFIG_FAILURES: OutboundErrorCode[] = [
    "invalid-request",
    "insecure-url",
    "blocked-address",
    "credential-host",
];

/** Wraps a guarded outbound client as the transport every rotator is built with. */
export function outboundTransport(client: OutboundClient): HttpTransport {
    return {
        async request(request: TransportRequest): Promise<TransportResponse> {
            const secrets = (request.secrets ?? []).filter((secret) => secret !== "");
            const holdsSecret = (text: string) =>
                secrets.some(
                    (secret) => text.includes(secret) || text.includes(encodeURIComponent(secret)),
                );
            const credentialHeaders = Object.entries(request.headers ?? {})
                .filter(([, value]) => holdsSecret(value))
                .map(([name]) => name);
            try {
                const response = await client.request({
                    method: request.method,
                    url: request.url,
                    headers: request.headers,
                    json: request.json,
                    form: request.form,
                    basicAuth: request.basicAuth,
                    idempotent: request.idempotent,
                    credentialHeaders,
                    credentialHost: request.credentialHost && hostName(request.credentialHost),
                    secrets,
                    secretPath: holdsSecret(pathOf(request.url)),
                });
                return { status: response.status, headers: response.headers, body: response.body };
            } catch (error) {
                if (error instanceof OutboundError) {
                    throw new TransportError(codeFor(error), error.message, error.status);
                }
                throw error;
            }
        },
    };
}

function codeFor(error: OutboundError): RotatorErrorCode {
    if (CONFIG_FAILURES.includes(error.code)) return "needs-human";
    if (error.code === "rate-limited") return "limit";
    if (error.code === "retries-exhausted" && error.status === 429) return "limit";
    return "provider-error";
}

/** The client pins credentials to a bare host name: drop a port if the rotator gave one. */
function hostName(host: string): string {
    try {
        return new URL(`https://${host}/`).hostname.replace(/^\[|\]$/g, "");
    } catch {
        return host;
    }
}

function pathOf(url: string): string {
    try {
        return new URL(url).pathname;
    } catch {
        return url;
    }
}
