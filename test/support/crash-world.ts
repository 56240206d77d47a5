/**
 * One bot key, deployed on loopback for a crash test: its own Secret Manager emulator, a fake
 * provider behind a provider tap, the secrets declared as the bot component would, the effect
 * stream, and the log lines of every function process started for it. Each chain of crash
 * tests gets a world of its own, so that chains run side by side without seeing each other.
 *
 * Time is real (the function runs in its own process, on its own clock), so the policy's
 * durations are seconds: the lease and the grace period pass while the test waits.
 */
import type { SecretManagerServiceClient } from "@google-cloud/secret-manager";
import type { HttpRotatorSpec, RotatorConfig } from "../../functions/rotator/policy/types";
import { createSecretManagerClient } from "../../functions/rotator/secret-manager-client";
import { decodeState } from "../../functions/rotator/state/codec";
import type { RotationState } from "../../functions/rotator/state/types";
import { seedSecret } from "../../standins/fleet/seed";
import {
    type FakeBase,
    type IssuedKey,
    startFakeBotBackend,
    startFakeSendGrid,
} from "../../standins/providers";
import { SecretManagerEmulator, startSecretManagerEmulator } from "../../standins/secret-manager";
import { EffectStream } from "./crash-effects";
import { FunctionProcess, LogLine, startFunctionProcess } from "./crash-function";
import { ProviderTap, startProviderTap } from "./crash-provider-tap";

/** The project and fleet the function processes manage. */
export const PROJECT = "keywarden-test";
export const FLEET = "crash-fleet";
/** The bot key's secret ID, its full name, and its state secret's full name. */
export const KEY_SECRET = "bot-key";
export const KEY_NAME = `projects/${PROJECT}/secrets/${KEY_SECRET}`;
export const STATE_NAME = `${KEY_NAME}-state`;
/**
 * The function's lock lease: a crashed attempt is recovered a second after it was last locked.
 * Only one process works on a world at a time, so a slow machine cannot make a healthy attempt
 * lose its lock to another.
 */
export const LEASE = "1s";
/** The policy's grace period: a previous key is retired a second after the rotation. */
export const GRACE = "1s";
export const GRACE_MS = 1000;

/**
 * The providers the crash tests run against: SendGrid lists its keys, so an orphan is found by
 * name; the bot backend's spec has no list call, so an orphan without a recorded key ID can only
 * be named in an alert.
 */
export type CrashProvider = "sendgrid" | "bot-backend";

/** The bot backend's key API as a hand-written spec, deliberately without `list`. */
const BOT_BACKEND_SPEC: HttpRotatorSpec = {
    label: "Bot backend",
    create: {
        method: "POST",
        url: "{{params.baseUrl}}/v1/api-keys",
        headers: { Authorization: "Bearer {{admin}}" },
        json: { name: "{{keyName}}", expires_at: "{{expiresAt}}" },
        keyPath: "key",
        keyIdPath: "id",
    },
    verify: {
        method: "GET",
        url: "{{params.baseUrl}}/v1/whoami",
        headers: { Authorization: "Bearer {{key}}" },
        expectPath: "key_id",
    },
    revoke: {
        method: "DELETE",
        url: "{{params.baseUrl}}/v1/api-keys/{{keyId}}",
        headers: { Authorization: "Bearer {{admin}}" },
    },
};

/** A fake provider with what the policy needs to reach it. */
interface StartedProvider {
    fake: FakeBase;
    adminCredential: string;
    initial: IssuedKey;
    rotator(baseUrl: string): RotatorConfig;
    /**
     * Delayed destruction of the key's versions. The SendGrid key has a day, as the bot
     * component declares by default; the bot backend's key has none, so both ways a retried
     * destruction can be answered are crossed.
     */
    versionDestroyTtlSeconds?: number;
}

async function startProvider(kind: CrashProvider): Promise<StartedProvider> {
    if (kind === "sendgrid") {
        const fake = await startFakeSendGrid();
        return {
            fake,
            adminCredential: fake.admin.apiKey,
            initial: fake.seedKey("set up by hand"),
            rotator: (baseUrl) => ({ kind: "http", preset: "sendgrid", params: { baseUrl } }),
            versionDestroyTtlSeconds: 86_400,
        };
    }
    const fake = await startFakeBotBackend();
    return {
        fake,
        adminCredential: fake.admin.token,
        initial: fake.seedKey("set up by hand"),
        rotator: (baseUrl) => ({ kind: "http", spec: BOT_BACKEND_SPEC, params: { baseUrl } }),
    };
}

/** A deployed bot key for one crash test. */
export interface CrashWorld {
    readonly provider: CrashProvider;
    readonly emulator: SecretManagerEmulator;
    readonly client: SecretManagerServiceClient;
    readonly fake: FakeBase;
    readonly tap: ProviderTap;
    readonly effects: EffectStream;
    /** The key a person made before keywarden took over (version 1). */
    readonly initial: IssuedKey;
    /** Log lines of every function process of this world. */
    readonly logs: LogLine[];
    /** Starts a function process for this world (stopped by `stop`). */
    startFunction(label: string): Promise<FunctionProcess>;
    /** The function's state for the key, read directly from the emulator. */
    state(): RotationState;
    stop(): Promise<void>;
}

/** Starts everything and declares the key (rotation daily, one second of grace). */
export async function startCrashWorld(provider: CrashProvider): Promise<CrashWorld> {
    const started = await startProvider(provider);
    const emulator = await startSecretManagerEmulator();
    const client = createSecretManagerClient({ SECRET_MANAGER_EMULATOR_HOST: emulator.address });
    const tap = await startProviderTap(started.fake);
    const processes: FunctionProcess[] = [];
    const logs: LogLine[] = [];
    const stop = async () => {
        await Promise.all(processes.map((p) => p.kill()));
        await client.close();
        await emulator.stop();
        await tap.stop();
        await started.fake.stop();
    };
    try {
        await seedSecret(client, {
            project: PROJECT,
            fleet: FLEET,
            id: KEY_SECRET,
            initialKey: started.initial.secret,
            adminCredential: started.adminCredential,
            versionDestroyTtlSeconds: started.versionDestroyTtlSeconds,
            policy: {
                bot: "crash-bot",
                rotator: started.rotator(tap.baseUrl),
                rotationPeriod: "1d",
                gracePeriod: GRACE,
            },
        });
    } catch (error) {
        await stop();
        throw error;
    }
    return {
        provider,
        emulator,
        client,
        tap,
        logs,
        fake: started.fake,
        initial: started.initial,
        effects: new EffectStream(emulator, tap, STATE_NAME),
        async startFunction(label) {
            const fn = await startFunctionProcess({
                label,
                emulatorAddress: emulator.address,
                project: PROJECT,
                fleet: FLEET,
                lease: LEASE,
                logs,
            });
            processes.push(fn);
            return fn;
        },
        state: () => decodeState(emulator.inspect.secret(STATE_NAME)?.annotations),
        stop,
    };
}
