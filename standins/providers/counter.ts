/**
 * Request counts per operation, so a test can say "the rotator created exactly one key" and a
 * traffic simulation can count how many of a bot's calls failed during a rotation.
 */

/** Counts for one operation. */
export interface OperationCount {
    /** Every request routed to the operation, faulty answers included. */
    readonly total: number;
    /** Requests the caller saw fail: an error status, a Slack `ok: false`, or an injected fault. */
    readonly failed: number;
}

/** Per-operation request counts of one fake. */
export class RequestCounter {
    private readonly counts = new Map<string, { total: number; failed: number }>();

    /** Records one request of `operation` and whether the caller saw it fail. */
    record(operation: string, failed: boolean): void {
        const entry = this.counts.get(operation) ?? { total: 0, failed: 0 };
        entry.total += 1;
        if (failed) entry.failed += 1;
        this.counts.set(operation, entry);
    }

    /** How many requests of `operation` arrived. */
    count(operation: string): number {
        return this.counts.get(operation)?.total ?? 0;
    }

    /** How many requests of `operation` the caller saw fail. */
    failures(operation: string): number {
        return this.counts.get(operation)?.failed ?? 0;
    }

    /** How many requests of `operation` succeeded. */
    successes(operation: string): number {
        return this.count(operation) - this.failures(operation);
    }

    /** Requests over all operations, unrouted ones (operation "unmatched") included. */
    total(): number {
        let sum = 0;
        for (const entry of this.counts.values()) sum += entry.total;
        return sum;
    }

    /** A copy of every operation's counts. */
    snapshot(): Record<string, OperationCount> {
        return Object.fromEntries([...this.counts].map(([op, c]) => [op, { ...c }]));
    }

    /** Forgets every count (e.g. after a test's setup requests). */
    reset(): void {
        this.counts.clear();
    }
}
