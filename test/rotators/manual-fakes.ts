/**
 * Loopback fakes of the four verify calls the provider stand-ins do not serve (Discord,
 * Anthropic, GitHub, Stripe), built on the stand-ins' own server, key register and fault
 * injection. Each answers its provider's documented success and error shapes for one
 * authenticated GET; nothing else of those APIs is modelled.
 */
import { randomChars, randomHex } from "../../standins/providers/ids";
import type { IssuedKey } from "../../standins/providers/register";
import {
    ProviderError,
    bearerToken,
    header,
    route,
    type Dialect,
    type FakeRequest,
    type Route,
} from "../../standins/providers/routing";
import { startFake, type FakeBase } from "../../standins/providers/server";

/** A running verify-call fake. */
export interface FakeVerifier extends FakeBase {
    /** Issues a key as the provider's console would; `restricted` only matters for Stripe. */
    seedKey(restricted?: boolean): IssuedKey;
}

/** The providers served here. */
export type FakeVerifierName = "discord" | "anthropic" | "github" | "stripe";

interface Definition {
    dialect: Dialect;
    newSecret(restricted: boolean): string;
    routes(authenticate: (secret: string | undefined) => IssuedKey | undefined): Route[];
}

const DEFINITIONS: Record<FakeVerifierName, Definition> = {
    discord: {
        dialect: { error: (status, message) => ({ message: `${status}: ${message}`, code: 0 }) },
        newSecret: () => `MT${randomChars(24)}.${randomChars(6)}.${randomChars(38)}`,
        routes: (authenticate) => [
            route("GET", "/api/v10/users/@me", "verify", (req) => {
                const match = /^Bot (\S+)$/.exec(header(req, "authorization") ?? "");
                const key = authenticate(match?.[1]);
                if (!key) throw new ProviderError(401, "Unauthorized");
                return { status: 200, body: { id: key.id, username: key.name, bot: true } };
            }),
        ],
    },
    anthropic: {
        dialect: {
            error: (status, message) => ({
                type: "error",
                error: {
                    type: status === 401 ? "authentication_error" : "invalid_request_error",
                    message,
                },
            }),
        },
        newSecret: () => `sk-ant-api03-${randomChars(90)}`,
        routes: (authenticate) => [
            route("GET", "/v1/models", "verify", (req) => {
                if (!header(req, "anthropic-version")) {
                    throw new ProviderError(400, "anthropic-version: header is required");
                }
                if (!authenticate(header(req, "x-api-key"))) {
                    throw new ProviderError(401, "invalid x-api-key");
                }
                return {
                    status: 200,
                    body: {
                        data: [{ type: "model", id: "claude-sonnet-4-5" }],
                        has_more: false,
                        first_id: "claude-sonnet-4-5",
                        last_id: "claude-sonnet-4-5",
                    },
                };
            }),
        ],
    },
    github: {
        dialect: {
            error: (_status, message) => ({
                message,
                documentation_url: "https://docs.github.com/rest",
            }),
        },
        newSecret: () => `github_pat_${randomChars(82)}`,
        routes: (authenticate) => [
            route("GET", "/user", "verify", (req) => {
                if (!header(req, "user-agent")) {
                    throw new ProviderError(403, "Request forbidden by administrative rules.");
                }
                const key = authenticate(bearerToken(req));
                if (!key) throw new ProviderError(401, "Bad credentials");
                return { status: 200, body: { login: key.name, id: Number(key.id), type: "User" } };
            }),
        ],
    },
    stripe: {
        dialect: {
            error: (_status, message) => ({ error: { type: "invalid_request_error", message } }),
        },
        newSecret: (restricted) => `${restricted ? "rk" : "sk"}_test_${randomChars(99)}`,
        routes: (authenticate) => [
            route("GET", "/v1/balance", "verify", (req: FakeRequest) => {
                const key = authenticate(bearerToken(req));
                if (!key) throw new ProviderError(401, "Invalid API Key provided.");
                if (key.secret.startsWith("rk_")) {
                    throw new ProviderError(
                        403,
                        "The provided key does not have the required " +
                            "permissions for this endpoint (rak_balance_read).",
                    );
                }
                const balance = { object: "balance", available: [], pending: [], livemode: false };
                return { status: 200, body: balance };
            }),
        ],
    },
};

/** Starts the fake verify call of `name` on 127.0.0.1. */
export async function startFakeVerifier(name: FakeVerifierName): Promise<FakeVerifier> {
    const definition = DEFINITIONS[name];
    const base = await startFake(
        {},
        {
            name,
            dialect: definition.dialect,
            operations: ["verify"],
            routes: ({ register }) => definition.routes((secret) => register.authenticate(secret)),
        },
    );
    return {
        ...base,
        seedKey: (restricted = false) =>
            base.register.issue({
                id: String(parseInt(randomHex(4), 16)),
                name: `${name}-bot`,
                secret: definition.newSecret(restricted),
            }),
    };
}
