/**
 * The gRPC server: binds the handlers to the service definition and wraps every call with what
 * the tests control (call counting, injected latency and failures).
 *
 * Order for each call: count it, consume an injected failure if one is due (so "the next N
 * calls" means the next N to arrive), wait the injected latency, then settle time-driven changes
 * and run the handler synchronously. The handler never awaits, which makes every RPC atomic.
 * Last, the after-apply hooks see the applied call; the answer waits for any they return.
 */
import * as grpc from "@grpc/grpc-js";
import { RpcError, unimplemented } from "./errors";
import {
    type CallCounter,
    type EmulatorFaults,
    SECRET_MANAGER_METHODS,
    type SecretManagerMethod,
} from "./faults";
import type { EmulatorHooks } from "./hooks";
import { secretManagerServiceDefinition } from "./protos";
import { createSecret, deleteSecret, getSecret, listSecrets } from "./secret-handlers";
import { updateSecret } from "./secret-update";
import type { SecretStore } from "./store";
import {
    accessSecretVersion,
    addSecretVersion,
    getSecretVersion,
    listSecretVersions,
} from "./version-handlers";
import { destroySecretVersion, disableSecretVersion, enableSecretVersion } from "./version-state";

// The gRPC layer hands over decoded messages untyped; each handler declares its request type.
type Handler = (store: SecretStore, request: any) => unknown;

const HANDLERS: Partial<Record<SecretManagerMethod, Handler>> = {
    ListSecrets: listSecrets,
    CreateSecret: createSecret,
    AddSecretVersion: addSecretVersion,
    GetSecret: getSecret,
    UpdateSecret: updateSecret,
    DeleteSecret: deleteSecret,
    ListSecretVersions: listSecretVersions,
    GetSecretVersion: getSecretVersion,
    AccessSecretVersion: accessSecretVersion,
    DisableSecretVersion: disableSecretVersion,
    EnableSecretVersion: enableSecretVersion,
    DestroySecretVersion: destroySecretVersion,
};

/** What the server needs from the emulator. */
export interface ServerParts {
    store: SecretStore;
    faults: EmulatorFaults;
    calls: CallCounter;
    hooks: EmulatorHooks;
}

/** A bound server: its port and how to stop it (stopping twice is harmless). */
export interface BoundServer {
    port: number;
    stop(): Promise<void>;
}

/** Starts the gRPC server on 127.0.0.1:`port` (0 picks a free port). */
export async function bindSecretManagerServer(
    parts: ServerParts,
    port: number,
): Promise<BoundServer> {
    const server = new grpc.Server();
    // Calls waiting out an injected latency, with how to cut them short when the server stops.
    const delayed = new Map<NodeJS.Timeout, () => void>();
    const implementation: grpc.UntypedServiceImplementation = {};
    for (const method of SECRET_MANAGER_METHODS) {
        implementation[method] = (
            call: grpc.ServerUnaryCall<unknown, unknown>,
            reply: grpc.sendUnaryData<unknown>,
        ) => {
            parts.calls.record(method);
            const failure = parts.faults.takeFailure(method);
            const run = () =>
                failure
                    ? reply(serviceError(failure.code, failure.message))
                    : runHandler(parts, method, call.request, reply);
            const delay = parts.faults.latencyFor(method);
            if (delay === 0) return run();
            const timer = setTimeout(() => {
                delayed.delete(timer);
                run();
            }, delay);
            delayed.set(timer, () =>
                reply(serviceError(grpc.status.UNAVAILABLE, "the emulator is stopping")),
            );
        };
    }
    server.addService(secretManagerServiceDefinition(), implementation);
    const boundPort = await new Promise<number>((resolve, reject) => {
        const credentials = grpc.ServerCredentials.createInsecure();
        server.bindAsync(`127.0.0.1:${port}`, credentials, (error, actualPort) =>
            error ? reject(error) : resolve(actualPort),
        );
    });
    let stopped: Promise<void> | undefined;
    return {
        port: boundPort,
        stop: () => {
            for (const [timer, cutShort] of delayed) {
                clearTimeout(timer);
                cutShort();
            }
            delayed.clear();
            stopped ??= shutdown(server);
            return stopped;
        },
    };
}

/**
 * Settles the store's due changes and runs one handler, then lets the hooks see the applied
 * call, answering with the result or the error.
 */
function runHandler(
    parts: ServerParts,
    method: SecretManagerMethod,
    request: unknown,
    reply: grpc.sendUnaryData<unknown>,
): void {
    let response: unknown;
    try {
        parts.store.settle();
        const handler = HANDLERS[method];
        if (!handler) throw unimplemented(method);
        response = handler(parts.store, request);
    } catch (error) {
        return reply(toServiceError(error));
    }
    let waiting: Promise<void> | undefined;
    try {
        waiting = parts.hooks.applied(method, request, response);
    } catch (error) {
        return reply(hookError(error));
    }
    if (!waiting) return reply(null, response);
    waiting.then(
        () => reply(null, response),
        (error: unknown) => reply(hookError(error)),
    );
}

/** Stops accepting calls, lets running ones finish for a moment, then cuts connections. */
function shutdown(server: grpc.Server): Promise<void> {
    return new Promise((resolve) => {
        const force = setTimeout(() => {
            server.forceShutdown();
            resolve();
        }, 250);
        server.tryShutdown(() => {
            clearTimeout(force);
            resolve();
        });
    });
}

function serviceError(code: grpc.status, message: string): grpc.ServiceError {
    const metadata = new grpc.Metadata();
    return Object.assign(new Error(message), { code, details: message, metadata });
}

/** A failed after-apply hook: the change is applied, the caller sees INTERNAL. */
function hookError(error: unknown): grpc.ServiceError {
    const text = error instanceof Error ? error.message : String(error);
    return serviceError(grpc.status.INTERNAL, `an after-apply hook failed: ${text}`);
}

/** Handler errors become their status; anything unexpected is an emulator bug: INTERNAL. */
function toServiceError(error: unknown): grpc.ServiceError {
    if (error instanceof RpcError) return serviceError(error.code, error.message);
    const text = error instanceof Error ? error.message : String(error);
    return serviceError(grpc.status.INTERNAL, `Secret Manager emulator bug: ${text}`);
}
