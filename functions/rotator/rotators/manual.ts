/**
 * Checks for keys only a person can replace (Telegram, Discord, Anthropic, GitHub, Stripe): the
 * function cannot rotate them, but it can tell whether the key in Secret Manager still works,
 * so that a revoked or expired key raises an alert before a bot fails on it.
 *
 * Each check is one cheap authenticated GET with the key itself. What counts as "refused" is
 * per provider, from their API references (see providers.md).
 */
import type { ManualRotatorConfig, ManualVerifierName } from "../policy/types";
import { guarded, isOk, statusFailure } from "./failures";
import { HttpTransport, KeyChecker, RotatorError, TransportRequest } from "./rotator";

/** One provider's check. */
interface CheckDefinition {
    label: string;
    endpoint: string;
    /** The request, without the fields every check shares. */
    request(endpoint: string, key: string): Pick<TransportRequest, "url" | "headers" | "basicAuth">;
    /** Statuses meaning the key does not work. */
    refused: number[];
    /** Statuses meaning the key works even though the call was not allowed. */
    alive?: number[];
    /** A shape the key must have before it is put into a URL. */
    shape?: { pattern: RegExp; hint: string };
}

const CHECKS: Record<ManualVerifierName, CheckDefinition> = {
    telegram: {
        label: "Telegram",
        endpoint: "https://api.telegram.org",
        // The token is part of the path: shaped first, so it cannot add path segments.
        request: (endpoint, key) => ({ url: `${endpoint}/bot${key}/getMe` }),
        // 404 is what Telegram answers for a token it cannot parse.
        refused: [401, 404],
        shape: { pattern: /^[0-9]+:[A-Za-z0-9_-]+$/, hint: "digits, a colon, then letters" },
    },
    discord: {
        label: "Discord",
        endpoint: "https://discord.com",
        request: (endpoint, key) => ({
            url: `${endpoint}/api/v10/users/@me`,
            headers: { Authorization: `Bot ${key}` },
        }),
        refused: [401],
    },
    anthropic: {
        label: "Anthropic",
        endpoint: "https://api.anthropic.com",
        request: (endpoint, key) => ({
            url: `${endpoint}/v1/models?limit=1`,
            headers: { "x-api-key": key, "anthropic-version": "2023-06-01" },
        }),
        refused: [401],
    },
    github: {
        label: "GitHub",
        endpoint: "https://api.github.com",
        request: (endpoint, key) => ({
            url: `${endpoint}/user`,
            headers: {
                Authorization: `Bearer ${key}`,
                Accept: "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
            },
        }),
        refused: [401],
    },
    stripe: {
        label: "Stripe",
        endpoint: "https://api.stripe.com",
        request: (endpoint, key) => ({
            url: `${endpoint}/v1/balance`,
            headers: { Authorization: `Bearer ${key}` },
        }),
        refused: [401],
        // A restricted key without the balance permission gets 403: it works, for other calls.
        alive: [403],
    },
};

/** The check a manual config names, or undefined when it names none. */
export function manualChecker(
    config: ManualRotatorConfig,
    http: HttpTransport,
): KeyChecker | undefined {
    if (config.verify === undefined) return undefined;
    const check = CHECKS[config.verify];
    const endpoint = (config.endpoint ?? check.endpoint).replace(/\/+$/, "");
    return {
        label: check.label,
        async verify(secret: string): Promise<void> {
            if (check.shape && !check.shape.pattern.test(secret)) {
                throw new RotatorError(
                    "key-rejected",
                    `${check.label} check: the stored key is ` +
                        `not shaped like a ${check.label} token (${check.shape.hint}); nothing ` +
                        `was ` +
                        "sent: store the token as the provider shows it",
                );
            }
            const parts = check.request(endpoint, secret);
            const url = new URL(parts.url);
            const response = await guarded(check.label, "check", [secret], () =>
                http.request({
                    ...parts,
                    method: "GET",
                    idempotent: true,
                    credentialHost: url.hostname,
                    secrets: [secret],
                }),
            );
            if (isOk(response.status) || check.alive?.includes(response.status)) return;
            if (check.refused.includes(response.status)) {
                throw new RotatorError(
                    "key-rejected",
                    `${check.label} check answered HTTP ` +
                        `${response.status}: the key no longer works; replace it now`,
                    response.status,
                );
            }
            throw statusFailure(check.label, "check", response.status, "key");
        },
    };
}

/** The providers with a built-in check, and the public API each calls by default. */
export const MANUAL_CHECK_ENDPOINTS: Readonly<Record<ManualVerifierName, string>> =
    Object.fromEntries(
        Object.entries(CHECKS).map(([name, check]) => [name, check.endpoint]),
    ) as Record<ManualVerifierName, string>;
