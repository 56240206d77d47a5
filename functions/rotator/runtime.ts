/**
 * Wiring: builds the protocol's services from the configuration, once per instance, on the first
 * request (the official Secret Manager client is the heaviest import; loading it lazily keeps a
 * cold start's module load cheap).
 */
import type { RotatorConfig } from "./config";
import { logEvent } from "./log";
import { OutboundClient } from "./net";
import { Notice } from "./notify/notice";
import { SlackWebhookNotifier } from "./notify/slack-webhook";
import type { AppRuntime } from "./http/app";
import { RotationPolicy } from "./policy/types";
import { EngineDeps, HealthResult, KeySource } from "./protocol/engine";
import { createRotator } from "./rotators";
import { outboundTransport } from "./rotators/outbound-transport";
import { AdminCredential } from "./rotators/rotator";
import { createSecretManagerClient } from "./secret-manager-client";
import { SecretStore } from "./secrets/store";

/** Replaceable parts, for tests and the local sandbox. */
export interface RuntimeOverrides {
    now?: () => Date;
    googleAccessToken?: () => Promise<string>;
    outbound?: OutboundClient;
    env?: NodeJS.ProcessEnv;
}

/** Builds everything the routes need for one function instance. */
export function buildRuntime(config: RotatorConfig, overrides: RuntimeOverrides = {}): AppRuntime {
    const outbound =
        overrides.outbound ?? new OutboundClient({ allowLoopback: config.allowLoopback });
    const deps = buildDeps(config, { ...overrides, outbound });
    const webhook = config.slackWebhookSecret
        ? new SlackWebhookNotifier({
              client: outbound,
              webhookUrl: () => deps.store.access(config.slackWebhookSecret!, "latest"),
          })
        : undefined;
    deps.notify = async (notice: Notice) => {
        if (webhook) await webhook.send(notice);
    };
    return {
        deps,
        project: config.project,
        slack: webhook && ((notice: Notice) => webhook.send(notice)),
    };
}

/** Builds the engine's dependencies for one function instance (notices are dropped until set). */
export function buildDeps(config: RotatorConfig, overrides: RuntimeOverrides = {}): EngineDeps {
    const store = new SecretStore(
        createSecretManagerClient(overrides.env ?? process.env),
        config.project,
    );
    const outbound =
        overrides.outbound ?? new OutboundClient({ allowLoopback: config.allowLoopback });
    const health = new OutboundClient({
        allowLoopback: config.allowLoopback,
        timeoutMs: 5000,
        maxAttempts: 2,
    });
    const now = overrides.now ?? (() => new Date());
    const googleAccessToken = overrides.googleAccessToken ?? metadataToken();
    if (config.allowLoopback) {
        logEvent(
            "WARNING",
            "config.loopback",
            "KEYWARDEN_ALLOW_LOOPBACK is on: outbound calls may go to " +
                "http:// and 127.0.0.1; never set it on a deployed function",
        );
    }

    return {
        store,
        fleet: config.fleet,
        leaseMs: config.leaseMs,
        allowLoopback: config.allowLoopback,
        now,
        keySource(policy: RotationPolicy): KeySource {
            const admin = policy.adminSecret
                ? adminCredential(store, store.nameOf(policy.adminSecret))
                : undefined;
            return createRotator(policy.rotator, {
                http: outboundTransport(outbound),
                admin,
                googleAccessToken,
                now,
            });
        },
        async notify(_notice: Notice) {
            // Replaced by buildRuntime when a Slack webhook is configured.
        },
        async healthCheck(url: string): Promise<HealthResult> {
            try {
                const response = await health.request({ method: "GET", url, idempotent: true });
                const ok = response.status >= 200 && response.status < 300;
                return { ok, detail: `HTTP ${response.status}` };
            } catch (error) {
                return { ok: false, detail: (error as { code?: string }).code ?? "an error" };
            }
        },
    };
}

/** The admin credential of a policy: its secret's latest version, read when a rotator needs it. */
function adminCredential(store: SecretStore, secretName: string): AdminCredential {
    return {
        read: () => store.access(secretName, "latest"),
        replace: async (value: string) => {
            const added = await store.addVersion(secretName, value);
            // The old versions hold spent single-use tokens, and every kept version is billed:
            // destroy them once the new one is stored. A failure here costs money, not keys,
            // and the next replacement destroys what this one left.
            try {
                for (const older of await store.listVersions(secretName)) {
                    if (Number(older.version) < Number(added) && older.state !== "DESTROYED") {
                        await store.destroyVersion(secretName, older.version);
                    }
                }
            } catch {
                // Retried on the next replacement.
            }
        },
    };
}

/**
 * Access tokens of the function's own service account, from the metadata server through
 * Google's auth library.
 */
function metadataToken(): () => Promise<string> {
    let auth: import("google-auth-library").GoogleAuth | undefined;
    return async () => {
        if (!auth) {
            const { GoogleAuth } =
                require("google-auth-library") as typeof import("google-auth-library");
            auth = new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/cloud-platform"] });
        }
        const token = await auth.getAccessToken();
        if (!token)
            throw new Error(
                "the metadata server gave no access token for the function's service account",
            );
        return token;
    };
}
