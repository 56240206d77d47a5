/**
 * Up-front checks on a request URL, and the redacted form of a URL shown in errors and logs.
 *
 * Node connects to an IP literal without calling the DNS lookup, so the connect-time check in
 * guarded-lookup.ts never sees one: literals are judged here. The WHATWG URL parser has already
 * turned decimal, hex and octal IPv4 spellings (2130706433, 0x7f.1, 0177.0.0.1) into dotted
 * form, so the byte comparison in address-policy.ts sees the real address.
 */
import { isIP } from "node:net";
import { ADDRESS_CLASS_DESCRIPTIONS, refusedAddressClass } from "./address-policy";
import { OutboundError } from "./errors";

/** Host names of the Compute metadata server; refused whatever they resolve to. */
const METADATA_NAMES = new Set(["metadata", "metadata.google.internal"]);

/** Replacement shown wherever a secret was. */
export const REDACTED = "[redacted]";

/** Lower-cases a host name and strips IPv6 brackets and a trailing root dot. */
export function normalizeHost(host: string): string {
    let text = host.trim().toLowerCase();
    if (text.startsWith("[") && text.endsWith("]")) text = text.slice(1, -1);
    while (text.endsWith(".")) text = text.slice(0, -1);
    return text;
}

/** Whether a host name is `localhost` or a name under it (RFC 6761 reserves both). */
export function isLocalhostName(host: string): boolean {
    const name = normalizeHost(host);
    return name === "localhost" || name.endsWith(".localhost");
}

/** Whether a host is a loopback IP literal or a localhost name. */
export function isLoopbackHost(host: string): boolean {
    const name = normalizeHost(host);
    if (isLocalhostName(name)) return true;
    return isIP(name) !== 0 && refusedAddressClass(name, false) === "loopback";
}

/**
 * The URL as it may appear in an error or log line: origin and path, the query dropped, the
 * path replaced entirely when it is a secret, and every declared secret (raw or
 * percent-encoded) replaced by `[redacted]`.
 */
export function redactUrl(url: URL, secrets: readonly string[], secretPath: boolean): string {
    let text = url.origin + (secretPath ? "/" + REDACTED : url.pathname);
    const forms = secrets
        .filter((secret) => secret.length > 0)
        .flatMap((secret) => [secret, encodeURIComponent(secret), encodeURI(secret)])
        .sort((a, b) => b.length - a.length);
    for (const form of forms) text = text.split(form).join(REDACTED);
    return text;
}

/** What an up-front URL check needs besides the URL. */
export interface UrlCheckContext {
    /** HTTP method, for the error message. */
    method: string;
    /** Whether loopback (and http:// to it) is permitted. */
    allowLoopback: boolean;
    /** Secrets to redact from the URL in the error message. */
    secrets: readonly string[];
    /** Whether the whole path is a secret. */
    secretPath: boolean;
}

/**
 * Parses and checks a request URL before anything is sent. Returns the parsed URL; throws an
 * {@link OutboundError} (`invalid-request`, `insecure-url` or `blocked-address`) otherwise.
 */
export function checkUrl(raw: string, context: UrlCheckContext): URL {
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        throw new OutboundError(
            "invalid-request",
            { method: context.method, url: "(unparseable URL)", attempts: 0 },
            "the URL is not a valid absolute URL",
            "pass an absolute https:// URL",
        );
    }
    const details = {
        method: context.method,
        url: redactUrl(url, context.secrets, context.secretPath),
        attempts: 0,
    };
    if (url.protocol !== "https:" && url.protocol !== "http:") {
        throw new OutboundError(
            "insecure-url",
            details,
            `the scheme ${url.protocol} is not allowed`,
            "use an https:// URL",
        );
    }
    if (url.username !== "" || url.password !== "") {
        throw new OutboundError(
            "insecure-url",
            details,
            "the URL carries credentials",
            "move them into basicAuth or a credential header and set credentialHost",
        );
    }
    const host = normalizeHost(url.hostname);
    if (METADATA_NAMES.has(host)) {
        throw new OutboundError(
            "blocked-address",
            details,
            "the host is the metadata server, which hands out the function's own tokens",
            "point the URL at the provider's public API host",
        );
    }
    if (isIP(host) !== 0) {
        const refused = refusedAddressClass(host, context.allowLoopback);
        if (refused) {
            throw new OutboundError(
                "blocked-address",
                details,
                `the host is ${ADDRESS_CLASS_DESCRIPTIONS[refused]}`,
                "point the URL at the provider's public API host",
            );
        }
    } else if (isLocalhostName(host) && !context.allowLoopback) {
        throw new OutboundError(
            "blocked-address",
            details,
            `the host is ${ADDRESS_CLASS_DESCRIPTIONS.loopback}`,
            "point the URL at the provider's public API host",
        );
    }
    if (url.protocol === "http:" && !(context.allowLoopback && isLoopbackHost(host))) {
        throw new OutboundError(
            "insecure-url",
            details,
            "plain http would expose the request",
            "use an https:// URL",
        );
    }
    return url;
}
