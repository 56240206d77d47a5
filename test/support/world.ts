/**
 * A whole keywarden deployment on loopback, for end-to-end tests: the Secret Manager emulator,
 * the rotator function served by the Functions Framework over real HTTP, the official client,
 * a controllable clock and the function's log lines. Provider fakes and the Slack receiver are
 * started by each test, since each needs different ones.
 */
import type { SecretManagerServiceClient } from "@google-cloud/secret-manager";
import { AppRuntime, createHandler } from "../../functions/rotator/http/app";
import { setLogSink } from "../../functions/rotator/log";
import { OutboundClient, OutboundOptions } from "../../functions/rotator/net";
import type { EngineDeps } from "../../functions/rotator/protocol/engine";
import { buildRuntime } from "../../functions/rotator/runtime";
import { createSecretManagerClient } from "../../functions/rotator/secret-manager-client";
import { SecretManagerEmulator, startSecretManagerEmulator } from "../../standins/secret-manager";
import { SeedSecret, seedSecret } from "../../standins/fleet/seed";
import { serveFunction, ServedFunction } from "../../standins/function/serve";

export const PROJECT = "keywarden-test";
export const FLEET = "test-fleet";
/** The access token the function presents as its own service account (Google API keys). */
export const GOOGLE_ACCESS_TOKEN = "test-google-access-token";

/** A clock tests move by hand; the function reads it for every decision. */
export class TestClock {
    private offset = 0;
    now = () => new Date(Date.now() + this.offset);
    advance(ms: number) {
        this.offset += ms;
    }
}

/** An HTTP answer: status and parsed JSON body. */
export interface Answer {
    status: number;
    body: any;
}

export interface World {
    emulator: SecretManagerEmulator;
    client: SecretManagerServiceClient;
    fn: ServedFunction;
    clock: TestClock;
    /** Every log line the function wrote, parsed. */
    logs: Array<Record<string, any>>;
    post(path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
    seed(seed: Omit<SeedSecret, "project" | "fleet">): ReturnType<typeof seedSecret>;
    /** The payload of a version (number, alias or "latest") of a secret ID. */
    read(secretId: string, version: string): Promise<string>;
    stop(): Promise<void>;
}

export interface WorldOptions {
    /** Secret ID of the Slack webhook URL secret; created with `slackWebhookUrl` when given. */
    slackWebhookUrl?: string;
    leaseMs?: number;
    /**
     * Overrides of the function's outbound client (always loopback-enabled): a shorter timeout
     * for hang faults, a recording `sleep` for Retry-After, a `resolve` mapping test host names.
     */
    outbound?: Omit<OutboundOptions, "allowLoopback">;
    /**
     * Wraps the engine's services before the function uses them, e.g. to observe every error
     * its rotators and store throw (the leak-scan test). Default: used as built.
     */
    wrapDeps?: (deps: EngineDeps) => EngineDeps;
}

/** Starts the emulator and the function (with loopback allowed for the fakes). */
export async function startWorld(options: WorldOptions = {}): Promise<World> {
    const emulator = await startSecretManagerEmulator();
    try {
        return await startOnEmulator(emulator, options);
    } catch (error) {
        await emulator.stop();
        throw error;
    }
}

async function startOnEmulator(
    emulator: SecretManagerEmulator,
    options: WorldOptions,
): Promise<World> {
    const env = { SECRET_MANAGER_EMULATOR_HOST: emulator.address };
    const client = createSecretManagerClient(env);
    const clock = new TestClock();
    const logs: Array<Record<string, any>> = [];
    const previousSink = setLogSink((line) => logs.push(JSON.parse(line)));

    let slackWebhookSecret: string | undefined;
    if (options.slackWebhookUrl) {
        const [secret] = await client.createSecret({
            parent: `projects/${PROJECT}`,
            secretId: "slack-webhook",
            secret: { replication: { automatic: {} } },
        });
        await client.addSecretVersion({
            parent: secret.name!,
            payload: { data: Buffer.from(options.slackWebhookUrl) },
        });
        slackWebhookSecret = secret.name!;
    }
    const config = {
        project: PROJECT,
        fleet: FLEET,
        slackWebhookSecret,
        leaseMs: options.leaseMs ?? 600_000,
        allowLoopback: true,
    };
    const outbound = new OutboundClient({
        baseBackoffMs: 5,
        maxBackoffMs: 20,
        timeoutMs: 2000,
        ...options.outbound,
        allowLoopback: true,
    });
    const built = buildRuntime(config, {
        env,
        now: clock.now,
        outbound,
        googleAccessToken: async () => GOOGLE_ACCESS_TOKEN,
    });
    const deps = built.deps;
    const runtime: AppRuntime = { ...built, deps: options.wrapDeps?.(deps) ?? deps };
    const fn = await serveFunction(createHandler(async () => runtime));

    const post = async (
        path: string,
        body?: unknown,
        headers: Record<string, string> = {},
    ): Promise<Answer> => {
        const init: RequestInit = { method: "POST", headers: { ...headers } };
        if (body !== undefined) {
            init.body = typeof body === "string" ? body : JSON.stringify(body);
            (init.headers as Record<string, string>)["content-type"] ??= "application/json";
        }
        const response = await fetch(fn.url + path, init);
        const text = await response.text();
        let parsed: unknown = text;
        try {
            parsed = JSON.parse(text);
        } catch {
            // Not JSON (the framework's own error pages): keep the text.
        }
        return { status: response.status, body: parsed };
    };
    return {
        emulator,
        client,
        fn,
        clock,
        logs,
        post,
        seed: (seed) => seedSecret(client, { project: PROJECT, fleet: FLEET, ...seed }),
        read: async (secretId, version) => {
            const [response] = await client.accessSecretVersion({
                name: `projects/${PROJECT}/secrets/${secretId}/versions/${version}`,
            });
            return Buffer.from(response.payload!.data as Uint8Array).toString("utf8");
        },
        stop: async () => {
            setLogSink(previousSink);
            await fn.stop();
            await deps.store.close();
            await client.close();
            await emulator.stop();
        },
    };
}
