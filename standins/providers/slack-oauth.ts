/**
 * Fake Slack OAuth token rotation: `POST /api/oauth.v2.access` with
 * `grant_type=refresh_token`, plus `POST /api/auth.test` (verify) and `POST /api/chat.postMessage`
 * (the bot's use call).
 *
 * Slack reports errors as HTTP 200 `{"ok": false, "error": "<code>"}`; the counters still count
 * them as failures. Access tokens live 12 hours by the fake's clock; refresh tokens are single
 * use (a used one gets `invalid_refresh_token`); at most two access tokens are active, so a
 * refresh revokes the oldest active one beyond two. `register` holds the access tokens and
 * `refreshTokens` the refresh tokens; IDs are `access-<n>` and `refresh-<n>` (Slack gives none).
 * Only POST is served, and oauth.v2.access takes form-encoded parameters only (Slack also
 * accepts client credentials by Basic auth; the fake does not).
 */
import { HOUR, systemClock, type Clock } from "./clock";
import { KeyRegister, type IssuedKey } from "./register";
import { randomChars, randomDigits, randomHex } from "./ids";
import {
    ProviderError,
    bearerToken,
    formBody,
    jsonObject,
    mediaType,
    route,
    type Dialect,
    type FakeRequest,
    type Route,
} from "./routing";
import { startFake, type FakeBase, type FakeOptions } from "./server";

/** Options of the fake Slack OAuth. */
export interface FakeSlackOAuthOptions extends FakeOptions {
    /** Default: a random `<digits>.<digits>` ID. */
    clientId?: string;
    /** Default: 32 random hex. */
    clientSecret?: string;
}

/** A current grant: the access token a bot uses and the refresh token that renews it. */
export interface SlackGrant {
    readonly accessToken: IssuedKey;
    readonly refreshToken: IssuedKey;
}

/** A running fake Slack OAuth. */
export interface FakeSlackOAuth extends FakeBase {
    readonly admin: { readonly clientId: string; readonly clientSecret: string };
    /** Every refresh token issued; a used one is revoked with reason `used`. */
    readonly refreshTokens: KeyRegister;
    /** Installs the app as the OAuth flow would: a fresh access and refresh token. */
    seedGrant(): SlackGrant;
}

/** Operation names of the fake Slack OAuth. */
export const SLACK_OAUTH_OPERATIONS = ["refresh", "verify", "use"] as const;

/** Access tokens expire this long after they are issued. */
export const SLACK_ACCESS_TOKEN_LIFETIME_MS = 12 * HOUR;

const STATUS_ERRORS: Record<number, string> = {
    404: "unknown_method",
    413: "request_too_large",
    415: "invalid_form_data",
    429: "ratelimited",
};

/** Slack's error shape: `{"ok": false, "error": "<code>"}` (for faults and unknown methods). */
export const slackDialect: Dialect = {
    error: (status) => ({
        ok: false,
        error: STATUS_ERRORS[status] ?? (status >= 500 ? "internal_error" : "invalid_request"),
    }),
};

class SlackFailure extends Error {}

/** Starts a fake Slack OAuth on 127.0.0.1. */
export async function startFakeSlackOAuth(
    options: FakeSlackOAuthOptions = {},
): Promise<FakeSlackOAuth> {
    const admin = {
        clientId: options.clientId ?? `${randomDigits(12)}.${randomDigits(13)}`,
        clientSecret: options.clientSecret ?? randomHex(16),
    };
    const clock = options.clock ?? systemClock;
    const refreshTokens = new KeyRegister(clock);
    const base = await startFake(
        { ...options, clock },
        {
            name: "slack-oauth",
            dialect: slackDialect,
            operations: SLACK_OAUTH_OPERATIONS,
            routes: ({ register }) => slackRoutes(register, refreshTokens, clock, admin),
        },
    );
    return {
        ...base,
        admin,
        refreshTokens,
        seedGrant: () => grant(base.register, refreshTokens, clock),
    };
}

/** Issues an access and a refresh token, revoking the oldest active access tokens beyond two. */
function grant(access: KeyRegister, refresh: KeyRegister, clock: Clock): SlackGrant {
    const expiresAt = clock.now() + SLACK_ACCESS_TOKEN_LIFETIME_MS;
    const accessToken = access.issue({
        id: `access-${access.all().length + 1}`,
        name: "bot access token",
        secret: `xoxe.xoxb-1-${randomChars(140)}`,
        expiresAt,
    });
    const active = access.validNow();
    for (const old of active.slice(0, Math.max(0, active.length - 2))) {
        access.revoke(old.id, "superseded");
    }
    const refreshToken = refresh.issue({
        id: `refresh-${refresh.all().length + 1}`,
        name: "bot refresh token",
        secret: `xoxe-1-${randomChars(140)}`,
    });
    return { accessToken, refreshToken };
}

function slackRoutes(
    access: KeyRegister,
    refresh: KeyRegister,
    clock: Clock,
    admin: { clientId: string; clientSecret: string },
): Route[] {
    const fail = (error: string) => new SlackFailure(error);
    /** A Slack Web API method: POST only, errors as HTTP 200 with `ok: false`. */
    const method = (name: string, operation: string, run: (req: FakeRequest) => object) =>
        route("POST", `/api/${name}`, operation, (req) => {
            try {
                return { status: 200, body: { ok: true, ...run(req) } };
            } catch (error) {
                const code =
                    error instanceof SlackFailure
                        ? error.message
                        : !(error instanceof ProviderError)
                          ? undefined
                          : error.status === 400
                            ? "invalid_json"
                            : "invalid_form_data";
                if (code === undefined) throw error;
                return { status: 200, body: { ok: false, error: code }, failed: true };
            }
        });
    const tokenOf = (req: FakeRequest) => {
        const token = bearerToken(req);
        if (token === undefined) throw fail("not_authed");
        const key = access.findBySecret(token);
        if (!key) throw fail("invalid_auth");
        const state = access.stateOf(key);
        if (state === "expired") throw fail("token_expired");
        if (state !== "active") throw fail("token_revoked");
        return key;
    };
    const identity = { team: "Bots", team_id: "T0001", user: "keywarden", user_id: "U0001" };
    return [
        route("POST", "/api/oauth.v2.access", "refresh", (req) => {
            let params: URLSearchParams;
            try {
                params = formBody(req);
            } catch {
                const body = { ok: false, error: "invalid_form_data" };
                return { status: 200, body, failed: true };
            }
            const error = refreshError(params, admin, refresh);
            if (error) return { status: 200, body: { ok: false, error }, failed: true };
            refresh.revoke(refresh.findBySecret(params.get("refresh_token")!)!.id, "used");
            const { accessToken, refreshToken } = grant(access, refresh, clock);
            return {
                status: 200,
                secret: [accessToken.secret, refreshToken.secret],
                body: {
                    ok: true,
                    app_id: "A0001",
                    authed_user: { id: "U0002" },
                    scope: "chat:write",
                    token_type: "bot",
                    access_token: accessToken.secret,
                    bot_user_id: "U0001",
                    refresh_token: refreshToken.secret,
                    expires_in: SLACK_ACCESS_TOKEN_LIFETIME_MS / 1000,
                    team: { id: identity.team_id, name: identity.team },
                    enterprise: null,
                    is_enterprise_install: false,
                },
            };
        }),
        method("auth.test", "verify", (req) => {
            tokenOf(req);
            return {
                url: "https://bots.slack.com/",
                ...identity,
                bot_id: "B0001",
                is_enterprise_install: false,
            };
        }),
        method("chat.postMessage", "use", (req) => {
            tokenOf(req);
            const body =
                mediaType(req) === "application/json"
                    ? jsonObject(req)
                    : Object.fromEntries(formBody(req));
            if (typeof body.channel !== "string" || body.channel === "") {
                throw fail("channel_not_found");
            }
            if (body.text === undefined && body.blocks === undefined) throw fail("no_text");
            const ts = (clock.now() / 1000).toFixed(6);
            return { channel: body.channel, ts, message: { text: body.text } };
        }),
    ];
}

/** The oauth.v2.access error for these parameters, or undefined when the refresh may go ahead. */
function refreshError(
    params: URLSearchParams,
    admin: { clientId: string; clientSecret: string },
    refresh: KeyRegister,
): string | undefined {
    const allowed = ["client_id", "client_secret", "grant_type", "refresh_token"];
    if ([...params.keys()].some((k) => !allowed.includes(k))) return "invalid_arguments";
    if (params.get("client_id") !== admin.clientId) return "invalid_client_id";
    if (params.get("client_secret") !== admin.clientSecret) return "bad_client_secret";
    if (params.get("grant_type") !== "refresh_token") return "invalid_grant_type";
    const presented = params.get("refresh_token");
    if (!presented || !refresh.authenticate(presented)) return "invalid_refresh_token";
    return undefined;
}
