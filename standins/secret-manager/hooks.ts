/**
 * Hooks that run inside the emulator after a call has changed the store and before its answer
 * leaves: the instant at which a caller that dies never learns what its call did. Crash tests
 * kill the rotator function there, at each Secret Manager write of its protocol.
 */
import { checkMethod, type MethodSelector, type SecretManagerMethod } from "./faults";

/** A call the emulator has applied and is about to answer. */
export interface AppliedCall {
    method: SecretManagerMethod;
    /**
     * How many calls of this method have been applied since the emulator started or was reset,
     * this one included (1 for the first).
     */
    ordinal: number;
    /** The request as the handler received it (decoded, field names in camelCase). */
    request: any;
    /** The response about to be sent. */
    response: any;
}

/**
 * Runs after a call was applied. The answer waits until a returned promise settles, so a
 * listener may, for instance, kill the caller and wait for it to exit. A listener that throws
 * or rejects makes the call answer INTERNAL; its change stays applied.
 */
export type AfterApplyListener = (call: AppliedCall) => void | Promise<void>;

interface Subscription {
    method: MethodSelector;
    listener: AfterApplyListener;
}

/** The listeners registered on one emulator. */
export class EmulatorHooks {
    private subscriptions: Subscription[] = [];
    private ordinals = new Map<SecretManagerMethod, number>();

    /**
     * Calls `listener` after every successfully applied call of `method` (of every method, with
     * `"*"`, reads included), before the answer is sent. Failed calls (a refused request, an
     * injected failure) changed nothing and do not reach listeners. Listeners run one after the
     * other in the order they were added. Returns a function that removes this listener.
     */
    afterApply(method: MethodSelector, listener: AfterApplyListener): () => void {
        checkMethod(method);
        const subscription = { method, listener };
        this.subscriptions.push(subscription);
        return () => {
            this.subscriptions = this.subscriptions.filter((s) => s !== subscription);
        };
    }

    /** Removes every listener and restarts the ordinals. */
    clear(): void {
        this.subscriptions = [];
        this.ordinals.clear();
    }

    /**
     * Internal: tells the listeners of `method` about an applied call. Returns undefined when no
     * listener needs waiting for, so that the common case answers synchronously as before.
     */
    applied(
        method: SecretManagerMethod,
        request: unknown,
        response: unknown,
    ): Promise<void> | undefined {
        const ordinal = (this.ordinals.get(method) ?? 0) + 1;
        this.ordinals.set(method, ordinal);
        const listeners = this.subscriptions
            .filter((s) => s.method === method || s.method === "*")
            .map((s) => s.listener);
        if (listeners.length === 0) return undefined;
        const call: AppliedCall = { method, ordinal, request, response };
        let pending: Promise<void> | undefined;
        for (const listener of listeners) {
            if (pending) {
                pending = pending.then(() => listener(call));
                continue;
            }
            const result = listener(call);
            if (result instanceof Promise) pending = result;
        }
        return pending;
    }
}
