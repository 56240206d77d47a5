/**
 * Test controls over the emulator's behaviour: injected failures, added latency, and call
 * counters. None of them is visible to the client except through the RPCs' outcomes.
 */
import { status } from "@grpc/grpc-js";

/** The RPCs of `google.cloud.secretmanager.v1.SecretManagerService`. */
export const SECRET_MANAGER_METHODS = [
    "ListSecrets",
    "CreateSecret",
    "AddSecretVersion",
    "GetSecret",
    "UpdateSecret",
    "DeleteSecret",
    "ListSecretVersions",
    "GetSecretVersion",
    "AccessSecretVersion",
    "DisableSecretVersion",
    "EnableSecretVersion",
    "DestroySecretVersion",
    "SetIamPolicy",
    "GetIamPolicy",
    "TestIamPermissions",
    "EnableManagedRotation",
    "RotateSecret",
] as const;

/** The name of one RPC, as in the proto (`"UpdateSecret"`). */
export type SecretManagerMethod = (typeof SECRET_MANAGER_METHODS)[number];

/** A method name, or `"*"` for every method. */
export type MethodSelector = SecretManagerMethod | "*";

/** A failure to answer with instead of running the call. */
export interface InjectedFailure {
    code: status;
    message: string;
}

interface FailureRule extends InjectedFailure {
    method: MethodSelector;
    remaining: number;
}

/** Throws a RangeError naming the valid methods when `method` is not one of them nor `"*"`. */
export function checkMethod(method: MethodSelector): void {
    if (method !== "*" && !SECRET_MANAGER_METHODS.includes(method)) {
        throw new RangeError(
            `unknown Secret Manager method ${JSON.stringify(method)}; use "*" or one of ` +
                SECRET_MANAGER_METHODS.join(", "),
        );
    }
}

/** Failures and latency injected into the emulator. */
export class EmulatorFaults {
    private rules: FailureRule[] = [];
    private latencies = new Map<MethodSelector, number>();

    /**
     * Makes the next `count` calls of `method` (or of any method, with `"*"`) fail with `code`
     * instead of running. Rules queue up in the order they were added; a call uses the first
     * rule that matches it. Calls retried by the client count as new calls.
     */
    failNext(method: MethodSelector, count: number, code: status, message?: string): void {
        checkMethod(method);
        if (!Number.isInteger(count) || count < 1) {
            throw new RangeError(`failNext: count must be a positive integer, got ${count}`);
        }
        const text = message ?? `injected ${status[code] ?? code} from the emulator`;
        this.rules.push({ method, remaining: count, code, message: text });
    }

    /**
     * Delays every call of `method` (or of all methods without their own setting, with `"*"`)
     * by `ms` milliseconds before it is answered; 0 removes the delay.
     */
    setLatency(method: MethodSelector, ms: number): void {
        checkMethod(method);
        if (!Number.isFinite(ms) || ms < 0) {
            throw new RangeError(`setLatency: ms must be a finite number >= 0, got ${ms}`);
        }
        if (ms === 0) this.latencies.delete(method);
        else this.latencies.set(method, ms);
    }

    /** Removes every injected failure and latency. */
    clear(): void {
        this.rules = [];
        this.latencies.clear();
    }

    /** How many injected failures are still waiting. */
    pendingFailures(): number {
        return this.rules.reduce((sum, rule) => sum + rule.remaining, 0);
    }

    /** Internal: consumes and returns the failure for this call, if one is due. */
    takeFailure(method: SecretManagerMethod): InjectedFailure | undefined {
        const rule = this.rules.find((r) => r.method === method || r.method === "*");
        if (!rule) return undefined;
        rule.remaining -= 1;
        if (rule.remaining === 0) this.rules.splice(this.rules.indexOf(rule), 1);
        return { code: rule.code, message: rule.message };
    }

    /** Internal: the latency to add to a call of `method`, in milliseconds. */
    latencyFor(method: SecretManagerMethod): number {
        return this.latencies.get(method) ?? this.latencies.get("*") ?? 0;
    }
}

/** Counts the calls the emulator received, per method, including failed and injected ones. */
export class CallCounter {
    private counts = new Map<SecretManagerMethod, number>();

    /** Internal: records one call. */
    record(method: SecretManagerMethod): void {
        this.counts.set(method, (this.counts.get(method) ?? 0) + 1);
    }

    /** Calls of `method` since the last reset. */
    count(method: SecretManagerMethod): number {
        return this.counts.get(method) ?? 0;
    }

    /** Calls of all methods since the last reset. */
    total(): number {
        let sum = 0;
        for (const n of this.counts.values()) sum += n;
        return sum;
    }

    /** The non-zero counts per method, as a plain object. */
    snapshot(): Partial<Record<SecretManagerMethod, number>> {
        return Object.fromEntries(this.counts);
    }

    /** Sets every count back to zero. */
    reset(): void {
        this.counts.clear();
    }
}
