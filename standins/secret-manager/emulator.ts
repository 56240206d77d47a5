/**
 * Starting an emulator and the handle tests and tools hold: where it listens, how to stop it,
 * and the test controls (faults, call counters, inspection, clock).
 */
import { CallCounter, EmulatorFaults } from "./faults";
import { EmulatorHooks } from "./hooks";
import { EmulatorInspector } from "./inspect";
import { bindSecretManagerServer } from "./server";
import { SecretStore } from "./store";
import { EmulatorClock } from "./time";

/** Options of `startSecretManagerEmulator`. */
export interface SecretManagerEmulatorOptions {
    /** TCP port on 127.0.0.1; default 0, any free port (read it back from `port`). */
    port?: number;
}

/** A running Secret Manager emulator. */
export interface SecretManagerEmulator {
    /** Always "127.0.0.1": the emulator listens on loopback only. */
    readonly host: string;
    /** The port it listens on. */
    readonly port: number;
    /** "127.0.0.1:PORT", the value for `SECRET_MANAGER_EMULATOR_HOST`. */
    readonly address: string;
    /** Injected failures and latency. */
    readonly faults: EmulatorFaults;
    /** Calls received per method (every call, including failed ones). */
    readonly calls: CallCounter;
    /** Listeners that run after a call is applied and before it is answered. */
    readonly hooks: EmulatorHooks;
    /** Direct reads of the stored state, without a call. */
    readonly inspect: EmulatorInspector;
    /** The emulator's clock; `clock.advance(ms)` makes delayed destruction and expiry due. */
    readonly clock: EmulatorClock;
    /**
     * Deletes every secret, clears faults, counters and hooks, and puts the clock back to real
     * time.
     */
    reset(): void;
    /** Stops the server; calls still waiting out an injected latency fail with UNAVAILABLE. */
    stop(): Promise<void>;
}

/** Starts a Secret Manager emulator on 127.0.0.1 and resolves once it accepts calls. */
export async function startSecretManagerEmulator(
    options: SecretManagerEmulatorOptions = {},
): Promise<SecretManagerEmulator> {
    const port = options.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new RangeError(`options.port must be an integer from 0 to 65535, got ${port}`);
    }
    const clock = new EmulatorClock();
    const store = new SecretStore(clock);
    const faults = new EmulatorFaults();
    const calls = new CallCounter();
    const hooks = new EmulatorHooks();
    const server = await bindSecretManagerServer({ store, faults, calls, hooks }, port);
    const host = "127.0.0.1";
    return {
        host,
        port: server.port,
        address: `${host}:${server.port}`,
        faults,
        calls,
        hooks,
        inspect: new EmulatorInspector(store),
        clock,
        reset() {
            store.clear();
            faults.clear();
            calls.reset();
            hooks.clear();
            clock.reset();
        },
        stop: () => server.stop(),
    };
}
