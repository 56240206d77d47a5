/**
 * Long-running operations of the fake API Keys API. CreateKey and DeleteKey answer with an
 * operation that a caller polls with `GET /v2/operations/{id}` until `done`. The fake applies
 * the change at once (so a caller that crashes before polling still leaves the key behind, as
 * on the real service) and reports the operation done only after a set number of polls, so a
 * rotator that reads `response` too early, or never polls, is caught.
 */
import { randomUUID } from "node:crypto";

/** An operation as the API returns it. */
export interface OperationJson {
    name: string;
    done: boolean;
    response?: Record<string, unknown>;
}

interface Pending {
    polls: number;
    response: Record<string, unknown>;
}

/** The operations one fake has started. */
export class OperationStore {
    private readonly operations = new Map<string, Pending>();

    /**
     * `pollsUntilDone`: how many polls answer `done: false` before the one that answers done
     * with the result. With 0 the start answer itself is already done.
     */
    constructor(
        private readonly projectNumber: string,
        private readonly pollsUntilDone: number,
    ) {}

    /** Starts an operation whose result (a Key) is already known. */
    start(response: Record<string, unknown>): OperationJson {
        const name = `operations/akmf.p7-${this.projectNumber}-${randomUUID()}`;
        this.operations.set(name, { polls: 0, response });
        return this.render(name, this.pollsUntilDone === 0);
    }

    /** One poll: the operation, done once it was polled `pollsUntilDone` times; or undefined. */
    poll(name: string): OperationJson | undefined {
        const op = this.operations.get(name);
        if (!op) return undefined;
        op.polls += 1;
        return this.render(name, op.polls >= this.pollsUntilDone);
    }

    private render(name: string, done: boolean): OperationJson {
        if (!done) return { name, done: false };
        const response = this.operations.get(name)!.response;
        return { name, done: true, response };
    }
}
