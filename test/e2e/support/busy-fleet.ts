/**
 * A fleet with one secret per kind of rotator, for the leak-scan test: every preset, a
 * hand-written HTTP spec, a Google API key, two Slack tokens (one with a spent refresh token) and
 * a Telegram token replaced by hand, each against its own fake provider.
 */
import type { EngineDeps } from "../../../functions/rotator/protocol/engine";
import {
    startFakeBotBackend,
    startFakeCloudflare,
    startFakeDatadog,
    startFakeGoogleApiKeys,
    startFakeOpenAI,
    startFakeOpenRouter,
    startFakeSendGrid,
    startFakeSlackOAuth,
    startFakeTelegram,
    startFakeTwilio,
} from "../../../standins/providers";
import type { ErrorTrap } from "../../support/leak-scan";
import { GOOGLE_ACCESS_TOKEN, World } from "../../support/world";

/** One running fake per provider the fleet uses. */
export type BusyFakes = Awaited<ReturnType<typeof startBusyFakes>>;

/** Starts the fakes (Google answers create and delete at once: no polling to wait for). */
export async function startBusyFakes() {
    return {
        sendgrid: await startFakeSendGrid(),
        cloudflare: await startFakeCloudflare(),
        twilio: await startFakeTwilio(),
        datadog: await startFakeDatadog(),
        openai: await startFakeOpenAI(),
        openrouter: await startFakeOpenRouter(),
        botBackend: await startFakeBotBackend(),
        google: await startFakeGoogleApiKeys({
            accessToken: GOOGLE_ACCESS_TOKEN,
            pollsUntilDone: 0,
        }),
        slackOAuth: await startFakeSlackOAuth(),
        telegram: await startFakeTelegram(),
    };
}

const CLOUDFLARE_POLICIES = JSON.stringify([
    {
        effect: "allow",
        resources: { "com.cloudflare.api.account.zone.*": "*" },
        permission_groups: [{ id: "c8fed203ed3043cba015a93ad1616f1f" }],
    },
]);

/** The bot backend's key API as a hand-written spec (no preset exists for it). */
function botBackendSpec(baseUrl: string) {
    const admin = { Authorization: "Bearer {{admin}}" };
    return {
        label: "Bot backend",
        create: {
            method: "POST",
            url: `${baseUrl}/v1/api-keys`,
            headers: admin,
            json: { name: "{{keyName}}", expires_at: "{{expiresAt}}" },
            keyPath: "key",
            keyIdPath: "id",
        },
        verify: {
            method: "GET",
            url: `${baseUrl}/v1/whoami`,
            headers: { Authorization: "Bearer {{key}}" },
        },
        revoke: { method: "DELETE", url: `${baseUrl}/v1/api-keys/{{keyId}}`, headers: admin },
        list: {
            method: "GET",
            url: `${baseUrl}/v1/api-keys`,
            headers: admin,
            itemsPath: "keys",
            namePath: "name",
            idPath: "id",
        },
    };
}

/** One secret to declare: its ID, rotator config, admin credential and key made by hand. */
type Declared = [id: string, rotator: unknown, admin: string | undefined, initialKey: string];

/**
 * Declares every secret (rotation every 30 days, 2 days of grace; the Telegram token 1 day) and
 * returns the IDs of those rotated by API, in declaration order.
 */
export async function seedBusyFleet(world: World, f: BusyFakes): Promise<string[]> {
    const preset = (name: string, params: Record<string, string>) => ({
        kind: "http",
        preset: name,
        params,
    });
    const grant = f.slackOAuth.seedGrant();
    const spent = f.slackOAuth.seedGrant();
    f.slackOAuth.refreshTokens.revoke(spent.refreshToken.id, "used");
    const slackAdmin = (refreshToken: string) =>
        JSON.stringify({ clientSecret: f.slackOAuth.admin.clientSecret, refreshToken });
    const slack = {
        kind: "oauth-refresh",
        provider: "slack",
        clientId: f.slackOAuth.admin.clientId,
        endpoint: f.slackOAuth.baseUrl,
    };
    const gemini = {
        kind: "google-api-key",
        project: f.google.admin.projectId,
        endpoint: f.google.baseUrl,
        serviceAccountEmail: "gemini-bot@bots-dev.iam.gserviceaccount.com",
        restrictions: { apiTargets: [{ service: "generativelanguage.googleapis.com" }] },
    };
    const datadogAdmin = JSON.stringify({
        apiKey: f.datadog.admin.apiKey,
        appKey: f.datadog.admin.applicationKey,
    });
    const declared: Declared[] = [
        [
            "sendgrid-key",
            preset("sendgrid", { baseUrl: f.sendgrid.baseUrl }),
            f.sendgrid.admin.apiKey,
            f.sendgrid.seedKey().secret,
        ],
        [
            "cloudflare-key",
            preset("cloudflare", {
                baseUrl: `${f.cloudflare.baseUrl}/client/v4`,
                accountId: f.cloudflare.admin.accountId,
                policies: CLOUDFLARE_POLICIES,
            }),
            f.cloudflare.admin.token,
            f.cloudflare.seedKey("bot-token", { owner: "account" }).secret,
        ],
        [
            "twilio-key",
            preset("twilio", {
                accountSid: f.twilio.admin.accountSid,
                baseUrl: f.twilio.baseUrl,
                apiBaseUrl: f.twilio.baseUrl,
            }),
            f.twilio.admin.authToken,
            f.twilio.seedKey().secret,
        ],
        [
            "datadog-key",
            preset("datadog", { site: f.datadog.baseUrl }),
            datadogAdmin,
            f.datadog.seedKey().secret,
        ],
        [
            "openai-key",
            preset("openai", { projectId: f.openai.admin.projectId, baseUrl: f.openai.baseUrl }),
            f.openai.admin.adminKey,
            f.openai.seedKey().secret,
        ],
        [
            "openrouter-key",
            preset("openrouter", { baseUrl: f.openrouter.baseUrl }),
            f.openrouter.admin.managementKey,
            f.openrouter.seedKey().secret,
        ],
        [
            "backend-key",
            { kind: "http", spec: botBackendSpec(f.botBackend.baseUrl) },
            f.botBackend.admin.token,
            f.botBackend.seedKey().secret,
        ],
        ["gemini-key", gemini, undefined, f.google.seedKey({ displayName: "by hand" }).secret],
        ["slack-token", slack, slackAdmin(grant.refreshToken.secret), grant.accessToken.secret],
        [
            "slack-token-spent",
            slack,
            slackAdmin(spent.refreshToken.secret),
            spent.accessToken.secret,
        ],
    ];
    for (const [id, rotator, adminCredential, initialKey] of declared) {
        await world.seed({
            id,
            adminCredential,
            initialKey,
            policy: {
                bot: `${id}-bot`,
                rotator: rotator as never,
                rotationPeriod: "30d",
                gracePeriod: "2d",
            },
        });
    }
    await world.seed({
        id: "telegram-token",
        initialKey: f.telegram.seedKey("weather_bot").secret,
        policy: {
            bot: "weather-bot",
            rotationPeriod: "30d",
            gracePeriod: "1d",
            rotator: { kind: "manual", verify: "telegram", endpoint: f.telegram.baseUrl },
        },
    });
    return declared.map(([id]) => id);
}

/**
 * Wraps the engine's services (for `WorldOptions.wrapDeps`) so that every error the store, the
 * rotators, the manual checks, the notifier and the health check throw is recorded in `trap`.
 */
export function trapEngineErrors(trap: ErrorTrap) {
    return (deps: EngineDeps): EngineDeps => ({
        ...deps,
        store: trap.watch(deps.store, "store"),
        notify: trap.watchFunction(deps.notify, "notify"),
        healthCheck: trap.watchFunction(deps.healthCheck, "healthCheck"),
        keySource: trap.watchFunction((policy) => {
            const source = deps.keySource(policy);
            if (source.mode === "automatic") {
                return { ...source, rotator: trap.watch(source.rotator, "rotator") };
            }
            return { ...source, checker: source.checker && trap.watch(source.checker, "checker") };
        }, "keySource"),
    });
}
