/**
 * The URL rule every rotator config shares: provider APIs are reached over https. Plain http
 * is accepted only to a loopback host, and only when the caller says so (tests and the local
 * sandbox run fake providers on 127.0.0.1).
 */

import { isIP } from "node:net";
import { classifyAddress } from "../net/address-policy";

/** Options of rotator validation. */
export interface UrlRules {
    /** Accept `http://` to 127.0.0.1, ::1 and localhost names. Default false. */
    allowLoopbackHttp?: boolean;
}

/** Why a parsed URL breaks the rule (a phrase to follow the field name), or undefined. */
export function checkUrlScheme(url: URL, rules: UrlRules): string | undefined {
    if (url.username !== "" || url.password !== "") {
        return "carries credentials: move them into basicAuth or a header";
    }
    if (url.protocol === "http:" && rules.allowLoopbackHttp && isLoopbackName(url.hostname)) {
        return undefined;
    }
    if (url.protocol !== "https:") {
        return `must use https (got "${url.protocol}//"): provider APIs are only called over TLS`;
    }
    return checkPublicHost(url.hostname, rules);
}

/**
 * Refuses, already at preview time, hosts the outbound layer would refuse at rotation time:
 * IP literals outside the public address space (the URL parser has turned decimal and hex
 * spellings into dotted ones) and the metadata server's names. Names that resolve to private
 * addresses can only be caught when they are resolved, by the outbound layer.
 */
function checkPublicHost(hostname: string, rules: UrlRules): string | undefined {
    const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
    if (host === "metadata" || host === "metadata.google.internal") {
        return "points at the metadata server: provider APIs are public hosts";
    }
    if (isIP(host) === 0) return undefined;
    if (rules.allowLoopbackHttp && isLoopbackName(host)) return undefined;
    const kind = classifyAddress(host);
    return kind === "public"
        ? undefined
        : `points at a ${kind} address (${host}): provider APIs are public hosts`;
}

/** Problems with a plain URL field (an endpoint or a verify URL), named `field`. */
export function checkUrlField(
    value: unknown,
    field: string,
    rules: UrlRules,
    example: string,
): string[] {
    if (typeof value !== "string") return [`${field} must be a URL such as "${example}"`];
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        return [`${field} is not a URL: write it as "${example}"`];
    }
    const problem = checkUrlScheme(url, rules);
    return problem ? [`${field} ${problem}`] : [];
}

function isLoopbackName(hostname: string): boolean {
    const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
    return (
        host === "::1" ||
        /^127(\.\d{1,3}){3}$/.test(host) ||
        host === "localhost" ||
        host.endsWith(".localhost")
    );
}
