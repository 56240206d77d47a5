/**
 * Slack bot tokens with token rotation: a 12-hour access token kept fresh with a single-use
 * refresh token (https://docs.slack.dev/authentication/using-token-rotation).
 *
 * "Creating a key" is one refresh. Slack answers with a new access token and a new refresh
 * token, and the old refresh token stops working; so the new refresh token is stored in the
 * admin secret before anything else happens: lose it and the app is locked out until a person
 * reinstalls it. One refresh at a time is guaranteed by the protocol's lock, not here.
 *
 * Slack gives access tokens no ID, so the attempt ID stands in for one. Old access tokens are
 * not revoked: they expire on their own within 12 hours (`revokes` is false).
 */
import type { OAuthRefreshRotatorConfig } from "../policy/types";
import { badResponse, guarded, isOk, statusFailure } from "./failures";
import {
    AdminCredential,
    IssuedKey,
    KeyRequest,
    RevokeOutcome,
    Rotator,
    RotatorDeps,
    RotatorError,
    TransportResponse,
} from "./rotator";

const LABEL = "Slack";

/** Slack `error` codes meaning the refresh token is spent or revoked: only a person can fix it. */
const LOCKED_OUT = ["invalid_refresh_token", "invalid_grant", "token_revoked", "app_uninstalled"];
/** Slack `error` codes meaning the app's own credentials are wrong. */
const BAD_CLIENT = ["invalid_client_id", "bad_client_secret", "invalid_client"];
/** Slack `error` codes of `auth.test` meaning the token does not work. */
const BAD_TOKEN = [
    "invalid_auth",
    "not_authed",
    "token_expired",
    "token_revoked",
    "account_inactive",
];

/** The admin secret's JSON. Other fields a person stored are kept as they are. */
interface SlackAdmin {
    clientSecret: string;
    refreshToken: string;
    [other: string]: unknown;
}

/** A `Rotator` that refreshes a Slack access token. */
export class SlackTokenRotator implements Rotator {
    readonly label = LABEL;
    readonly supportsExpiry = false;
    readonly canFindByName = false;
    readonly revokes = false;
    private readonly endpoint: string;
    private readonly host: string;
    private readonly admin: AdminCredential;

    /** Throws when the policy names no admin secret (where the refresh token lives). */
    constructor(
        private readonly config: OAuthRefreshRotatorConfig,
        private readonly deps: RotatorDeps,
    ) {
        if (!deps.admin) {
            throw new Error(
                "Slack token rotation needs adminSecret: the ID of the secret " +
                    'holding {"clientSecret", "refreshToken"}',
            );
        }
        this.admin = deps.admin;
        this.endpoint = (config.endpoint ?? "https://slack.com").replace(/\/+$/, "");
        this.host = new URL(this.endpoint).hostname;
    }

    /** Refreshes; stores the new refresh token before returning the new access token. */
    async create(request: KeyRequest): Promise<IssuedKey> {
        const admin = parseAdmin(await this.admin.read());
        const secrets = [admin.clientSecret, admin.refreshToken];
        const response = await this.post(
            "refresh",
            "oauth.v2.access",
            secrets,
            {
                client_id: this.config.clientId,
                client_secret: admin.clientSecret,
                grant_type: "refresh_token",
                refresh_token: admin.refreshToken,
            },
            undefined,
        );
        const body = slackBody(response, "refresh", "admin");
        const accessToken = body.access_token;
        const refreshToken = body.refresh_token;
        if (typeof refreshToken !== "string" || refreshToken === "") {
            throw new RotatorError(
                "needs-human",
                `${LABEL} refresh answered ok without a new ` +
                    "refresh token, and the old one may be spent: reinstall the app and store " +
                    "its new refresh token in the admin secret",
            );
        }
        // Before anything can fail: the old refresh token no longer works.
        await this.storeRefreshToken(admin, refreshToken);
        if (typeof accessToken !== "string" || accessToken === "") {
            throw badResponse(LABEL, "refresh", response.status, "an access token", false);
        }
        const lifetime = typeof body.expires_in === "number" ? body.expires_in : undefined;
        const expiresAt =
            lifetime && lifetime > 0
                ? new Date(this.deps.now().getTime() + lifetime * 1000)
                : undefined;
        return { keyId: request.attemptId, secret: accessToken, expiresAt };
    }

    /** Calls `auth.test` with the new access token. */
    async verify(key: IssuedKey): Promise<void> {
        const response = await this.post(
            "verify",
            "auth.test",
            [key.secret],
            undefined,
            key.secret,
        );
        slackBody(response, "verify", "key");
    }

    /** Nothing to do: access tokens expire on their own within 12 hours. */
    async revoke(): Promise<RevokeOutcome> {
        return "already-revoked";
    }

    /** Never called (`canFindByName` is false): Slack tokens have no names. */
    async findByName(): Promise<string[]> {
        throw new RotatorError(
            "needs-human",
            `${LABEL} access tokens cannot be looked up; ` +
                "an unused one expires within 12 hours",
        );
    }

    private async storeRefreshToken(admin: SlackAdmin, refreshToken: string): Promise<void> {
        const next = JSON.stringify({ ...admin, refreshToken });
        for (let attempt = 1; ; attempt++) {
            try {
                return await this.admin.replace(next);
            } catch {
                if (attempt === 3) {
                    throw new RotatorError(
                        "needs-human",
                        `${LABEL} refresh succeeded but ` +
                            "the new refresh token could not be stored in the admin secret (3 " +
                            "tries); the old one is spent: reinstall the app and store its " +
                            "refresh token",
                    );
                }
            }
        }
    }

    private post(
        operation: string,
        method: string,
        secrets: string[],
        form: Record<string, string> | undefined,
        bearer: string | undefined,
    ): Promise<TransportResponse> {
        return guarded(LABEL, operation, secrets, () =>
            this.deps.http.request({
                method: "POST",
                url: `${this.endpoint}/api/${method}`,
                headers: bearer ? { Authorization: `Bearer ${bearer}` } : undefined,
                form,
                // A refresh spends the refresh token: repeating it after an unseen answer would
                // fail.
                idempotent: operation !== "refresh",
                credentialHost: this.host,
                secrets,
            }),
        );
    }
}

/** The body of a Slack answer with `ok: true`; any other answer becomes the matching error. */
function slackBody(
    response: TransportResponse,
    operation: string,
    role: "admin" | "key",
): Record<string, unknown> {
    if (!isOk(response.status)) throw statusFailure(LABEL, operation, response.status, role);
    const body =
        response.body !== null && typeof response.body === "object"
            ? (response.body as Record<string, unknown>)
            : {};
    if (body.ok === true) return body;
    const error = typeof body.error === "string" ? body.error : "no error code";
    const what = `${LABEL} ${operation} answered ok=false (${error})`;
    if (role === "key") {
        if (BAD_TOKEN.includes(error)) {
            return fail(
                "key-rejected",
                `${what}: the new access token does not work; it must ` + "not be published",
            );
        }
    } else if (LOCKED_OUT.includes(error)) {
        return fail(
            "needs-human",
            `${what}: the refresh token is spent or revoked; reinstall ` +
                "the app and store the new refresh token in the admin secret",
        );
    } else if (BAD_CLIENT.includes(error)) {
        return fail(
            "admin-rejected",
            `${what}: check clientId in the policy and clientSecret ` + "in the admin secret",
        );
    }
    if (error === "ratelimited") return fail("limit", `${what}: the next tick tries again`);
    return fail("provider-error", `${what}: the next tick tries again`);
}

function fail(code: RotatorError["code"], message: string): never {
    throw new RotatorError(code, message, 200);
}

function parseAdmin(text: string): SlackAdmin {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        value = undefined;
    }
    const admin = value as Partial<SlackAdmin> | undefined;
    if (
        !admin ||
        typeof admin !== "object" ||
        typeof admin.clientSecret !== "string" ||
        typeof admin.refreshToken !== "string" ||
        admin.refreshToken === ""
    ) {
        throw new RotatorError(
            "admin-rejected",
            `${LABEL} refresh: the admin secret must hold ` +
                'JSON {"clientSecret": "...", "refreshToken": "xoxe-1-..."}; store it so',
        );
    }
    return admin as SlackAdmin;
}
