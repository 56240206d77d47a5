/**
 * One HTTP attempt through axios, with the guarded agents, and what became of it.
 *
 * axios is configured so nothing happens that the caller did not ask for: no redirects (a
 * redirect could carry a credential to another host), no environment proxy (the address check
 * must see the real destination), no response transformation (bodies stay bytes until decoded
 * here), no status-based throwing (the client decides about statuses).
 */
import http from "node:http";
import https from "node:https";
import axios, { type AxiosInstance } from "axios";
import { BlockedAddressError, guardedLookup } from "./guarded-lookup";
import type { PreparedRequest } from "./prepare";
import type { TransportFailure } from "./retry-policy";
import type { Resolver } from "./types";

/** What one attempt produced. */
export type AttemptResult =
    | { kind: "response"; status: number; headers: Record<string, string>; bytes: Buffer }
    | { kind: "failure"; failure: TransportFailure }
    | { kind: "blocked"; reason: string }
    | { kind: "too-large" };

/** Everything the attempts of one client share. */
export interface AttemptTransport {
    /** axios instance configured for the outbound policy. */
    axios: AxiosInstance;
    /** Response body cap in bytes. */
    maxResponseBytes: number;
}

/**
 * Builds the transport: agents whose DNS lookup refuses out-of-policy addresses, without
 * keep-alive so every request connects (and is checked) afresh and no idle socket outlives it.
 */
export function createTransport(
    resolve: Resolver,
    allowLoopback: boolean,
    maxResponseBytes: number,
    maxRequestBytes: number,
): AttemptTransport {
    const instance = axios.create({
        adapter: "http",
        httpAgent: new http.Agent({
            keepAlive: false,
            lookup: guardedLookup(resolve, allowLoopback, true),
        }),
        httpsAgent: new https.Agent({
            keepAlive: false,
            lookup: guardedLookup(resolve, allowLoopback, false),
        }),
        proxy: false,
        maxRedirects: 0,
        maxContentLength: maxResponseBytes,
        maxBodyLength: maxRequestBytes,
        responseType: "arraybuffer",
        transformRequest: [(data: unknown) => data],
        transformResponse: [(data: unknown) => data],
        validateStatus: () => true,
    });
    return { axios: instance, maxResponseBytes };
}

function flattenHeaders(raw: Record<string, unknown>): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(raw)) {
        if (value === undefined || value === null) continue;
        headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
    }
    return headers;
}

/** Walks an error's cause chain; axios wraps the socket's error once or more. */
function causes(error: unknown): unknown[] {
    const chain: unknown[] = [];
    let current: unknown = error;
    while (current !== undefined && current !== null && chain.length < 10) {
        chain.push(current);
        current = (current as { cause?: unknown }).cause;
    }
    return chain;
}

function systemCode(chain: unknown[]): string | undefined {
    for (const link of [...chain].reverse()) {
        const code = (link as { code?: unknown }).code;
        if (typeof code === "string" && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
    }
    return undefined;
}

/** Runs one attempt. Never throws: every outcome is a value. */
export async function runAttempt(
    transport: AttemptTransport,
    request: PreparedRequest,
): Promise<AttemptResult> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
    }, request.timeoutMs);
    try {
        const response = await transport.axios.request<Buffer>({
            method: request.method,
            url: request.url.href,
            headers: request.headers,
            data: request.body,
            signal: controller.signal,
        });
        const bytes = Buffer.isBuffer(response.data)
            ? response.data
            : Buffer.from(response.data ?? "");
        const headers = flattenHeaders({ ...response.headers });
        return { kind: "response", status: response.status, headers, bytes };
    } catch (error) {
        if (timedOut) return { kind: "failure", failure: { kind: "timeout" } };
        const chain = causes(error);
        const blocked = chain.find((link) => link instanceof BlockedAddressError);
        if (blocked) return { kind: "blocked", reason: (blocked as BlockedAddressError).message };
        const message = (error as { message?: unknown }).message;
        if (typeof message === "string" && message.startsWith("maxContentLength")) {
            return { kind: "too-large" };
        }
        return { kind: "failure", failure: { kind: "network", errorCode: systemCode(chain) } };
    } finally {
        clearTimeout(timer);
    }
}
