/**
 * Creates the Secret Manager client the rotator uses, pointed at Google or at the emulator.
 *
 * With `SECRET_MANAGER_EMULATOR_HOST=host:port` set, the official client talks plaintext gRPC to
 * that address and nothing else: no TLS, no Google credentials, no metadata-server lookup.
 * Without it, the client is built the default way (Application Default Credentials, the public
 * endpoint), which is what runs in Cloud Functions.
 *
 * The client module is required inside the factory, not imported at the top: loading it (and
 * gRPC with it) takes a noticeable part of a cold start, and only the code paths that talk to
 * Secret Manager should pay for it.
 */
import type { SecretManagerServiceClient } from "@google-cloud/secret-manager";
import type { ClientOptions } from "google-gax";
import * as path from "path";

/** The environment variable naming the emulator's `host:port`. */
export const EMULATOR_HOST_VARIABLE = "SECRET_MANAGER_EMULATOR_HOST";

/** Where an emulator listens, parsed from `SECRET_MANAGER_EMULATOR_HOST`. */
export interface EmulatorEndpoint {
    host: string;
    port: number;
}

/**
 * Parses `host:port` (or `[ipv6]:port`). Throws an error naming the variable and the expected
 * form when the value is not one.
 */
export function parseEmulatorHost(value: string): EmulatorEndpoint {
    const match = /^(\[[0-9A-Fa-f:.]+\]|[^:\s[\]]+):([0-9]{1,5})$/.exec(value.trim());
    const port = match ? Number(match[2]) : NaN;
    if (!match || port < 1 || port > 65535) {
        throw new Error(
            `${EMULATOR_HOST_VARIABLE} must be host:port, e.g. 127.0.0.1:8085, got ` +
                `${JSON.stringify(value)}; unset it to use Google Secret Manager.`,
        );
    }
    return { host: match[1].replace(/^\[|\]$/g, ""), port };
}

/**
 * Returns a `SecretManagerServiceClient`: connected to the emulator when
 * `SECRET_MANAGER_EMULATOR_HOST` is set in `env`, default-constructed otherwise. Close it with
 * `client.close()` when done.
 */
export function createSecretManagerClient(
    env: NodeJS.ProcessEnv = process.env,
): SecretManagerServiceClient {
    const secretManager =
        require("@google-cloud/secret-manager") as typeof import("@google-cloud/secret-manager");
    const emulatorHost = env[EMULATOR_HOST_VARIABLE]?.trim();
    if (!emulatorHost) return new secretManager.SecretManagerServiceClient();

    const { host, port } = parseEmulatorHost(emulatorHost);
    const options: ClientOptions = {
        apiEndpoint: host,
        port,
        // Plaintext credentials from the very gRPC module the client uses: a credentials object
        // from another copy of @grpc/grpc-js would be rejected by the client's channel.
        sslCreds: clientGrpc().credentials.createInsecure(),
        // Naming the universe keeps the auth library from looking for credentials (and from
        // probing the metadata server) to learn it; with sslCreds set it needs nothing else.
        universeDomain: "googleapis.com",
    };
    return new secretManager.SecretManagerServiceClient(options);
}

/** The `grpc` export of the google-gax copy that the Secret Manager client itself loads. */
function clientGrpc(): typeof import("google-gax").grpc {
    const clientEntry = require.resolve("@google-cloud/secret-manager");
    const gaxEntry = require.resolve("google-gax", { paths: [path.dirname(clientEntry)] });
    return (require(gaxEntry) as typeof import("google-gax")).grpc;
}
