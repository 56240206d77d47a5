/**
 * Fault injection: how a test makes a fake provider misbehave on purpose.
 *
 * A test arms a fault for the next N requests of one operation ("create", "verify", "revoke",
 * "list", "use"...); each matching request consumes one. Faults armed for the same operation
 * fire in the order they were armed. The kinds cover what the rotator must survive: quota
 * pushback, provider outages, timeouts, garbled answers, and the worst one, a provider that
 * acted (created the key) while the caller saw an error, which leaves an orphan behind.
 */

/**
 * One way to misbehave.
 * - `rate-limit`: 429 with `Retry-After` (seconds, default 60), before acting.
 * - `server-error`: a 5xx (default 500) with the provider's error body, before acting.
 * - `hang`: never answer, before acting; the socket is closed when the fake stops.
 * - `malformed-body`: the provider acts, then sends its success status with the JSON cut in half.
 * - `missing-key`: the provider acts, then answers success with the key material removed.
 * - `orphan`: the provider acts, then the caller sees a failure: a 5xx (`after: "error"`,
 *   the default, status default 502), a reset connection (`"reset"`) or no answer (`"hang"`).
 */
export type Fault =
    | { kind: "rate-limit"; retryAfterSeconds?: number }
    | { kind: "server-error"; status?: number }
    | { kind: "hang" }
    | { kind: "malformed-body" }
    | { kind: "missing-key" }
    | { kind: "orphan"; after?: "error" | "reset" | "hang"; status?: number };

/** The names of the fault kinds, for messages and for fakes that support only some. */
export type FaultKind = Fault["kind"];

/** Every fault kind, in the order documented on `Fault`. */
export const ALL_FAULT_KINDS: readonly FaultKind[] = [
    "rate-limit",
    "server-error",
    "hang",
    "malformed-body",
    "missing-key",
    "orphan",
];

interface Armed {
    fault: Fault;
    remaining: number;
}

/** The faults armed on one fake, per operation. */
export class FaultPlan {
    private readonly armed = new Map<string, Armed[]>();

    /**
     * `operations` are the names this fake's routes use; `kinds` the fault kinds it can play.
     * Arming anything else throws, so a typo in a test cannot silently arm nothing.
     */
    constructor(
        readonly operations: readonly string[],
        readonly kinds: readonly FaultKind[] = ALL_FAULT_KINDS,
    ) {}

    /** Makes the next `count` requests of `operation` misbehave as `fault`. */
    inject(operation: string, fault: Fault, count = 1): void {
        if (!this.operations.includes(operation)) {
            throw new Error(
                `FaultPlan.inject: unknown operation "${operation}"; ` +
                    `use one of: ${this.operations.join(", ")}.`,
            );
        }
        if (!this.kinds.includes(fault.kind)) {
            throw new Error(
                `FaultPlan.inject: fault kind "${fault.kind}" is not supported here; ` +
                    `use one of: ${this.kinds.join(", ")}.`,
            );
        }
        if (!Number.isInteger(count) || count < 1) {
            throw new Error(
                `FaultPlan.inject: \`count\` must be a positive integer, got ${count}.`,
            );
        }
        const queue = this.armed.get(operation) ?? [];
        queue.push({ fault, remaining: count });
        this.armed.set(operation, queue);
    }

    /** Consumes and returns the fault for one request of `operation`, if any is armed. */
    take(operation: string): Fault | undefined {
        const queue = this.armed.get(operation);
        const head = queue?.[0];
        if (!queue || !head) return undefined;
        head.remaining -= 1;
        if (head.remaining === 0) queue.shift();
        return head.fault;
    }

    /** How many faulty answers are still armed for `operation` (all operations if omitted). */
    pending(operation?: string): number {
        const queues = operation ? [this.armed.get(operation) ?? []] : [...this.armed.values()];
        return queues.flat().reduce((sum, a) => sum + a.remaining, 0);
    }

    /** Disarms everything. */
    clear(): void {
        this.armed.clear();
    }
}
