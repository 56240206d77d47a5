/**
 * A test fixture: an emulator plus an official client connected to it through the rotator's own
 * client factory, so tests exercise the same connection path the rotator uses.
 *
 * Typical use in mocha: `before` starts a session, `beforeEach` calls `session.reset()`,
 * `after` calls `session.close()`.
 */
import type { SecretManagerServiceClient, protos } from "@google-cloud/secret-manager";
import { createSecretManagerClient } from "../../functions/rotator/secret-manager-client";
import { type SecretManagerEmulator, startSecretManagerEmulator } from "./emulator";

type Secret = protos.google.cloud.secretmanager.v1.ISecret;

/** An emulator and a client talking to it. */
export interface EmulatorSession {
    emulator: SecretManagerEmulator;
    client: SecretManagerServiceClient;
    /** The project the helpers create secrets in: "projects/keywarden-test". */
    project: string;
    /** Creates secret `secretId` with automatic replication plus `fields`; returns it. */
    createSecret(secretId: string, fields?: Secret): Promise<Secret>;
    /** Adds a version holding `data` to secret `secretName`; returns its number. */
    addVersion(secretName: string, data: string | Buffer): Promise<number>;
    /** Empties the emulator and clears its faults, counters and clock. */
    reset(): void;
    /** Closes the client, then stops the emulator. */
    close(): Promise<void>;
}

/** Starts an emulator on a free loopback port and connects a client to it. */
export async function startEmulatorSession(): Promise<EmulatorSession> {
    const emulator = await startSecretManagerEmulator();
    const client = createSecretManagerClient({ SECRET_MANAGER_EMULATOR_HOST: emulator.address });
    const project = "projects/keywarden-test";
    return {
        emulator,
        client,
        project,
        async createSecret(secretId, fields = {}) {
            const [secret] = await client.createSecret({
                parent: project,
                secretId,
                secret: { replication: { automatic: {} }, ...fields },
            });
            return secret;
        },
        async addVersion(secretName, data) {
            const payload = { data: typeof data === "string" ? Buffer.from(data) : data };
            const [version] = await client.addSecretVersion({ parent: secretName, payload });
            return Number(version.name?.split("/").pop());
        },
        reset: () => emulator.reset(),
        async close() {
            await client.close();
            await emulator.stop();
        },
    };
}

/**
 * Awaits `call` and checks it failed with gRPC status `code` (and, if given, a message matching
 * `message`); returns the error for further checks. Fails the test if the call succeeded.
 */
export async function expectRpcError(
    call: Promise<unknown>,
    code: number,
    message?: RegExp,
): Promise<Error & { code: number; details: string }> {
    let outcome: unknown;
    try {
        await call;
    } catch (error) {
        outcome = error;
    }
    const error = outcome as Error & { code: number; details: string };
    if (!error) throw new Error(`expected gRPC status ${code}, but the call succeeded`);
    if (error.code !== code) {
        throw new Error(`expected gRPC status ${code}, got ${error.code}: ${error.message}`);
    }
    if (message && !message.test(error.details ?? error.message)) {
        throw new Error(
            `status ${code} as expected, but its message ${JSON.stringify(
                error.details ?? error.message,
            )} does not match ${message}`,
        );
    }
    return error;
}
