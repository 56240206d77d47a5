/**
 * The protocol's external effects, in the order they happen: the Secret Manager writes (seen by
 * the emulator's after-apply hook) and the provider calls that act or check (seen by the provider
 * tap). These are the step boundaries of the protocol: a process that dies right after one of
 * them has changed the world without knowing it. `EffectStream.crashAt` runs a crash there.
 *
 * Effects get readable names; state writes are named by what they record, so a recorded
 * sequence reads like the protocol: "state rotate/locked", "provider create", ...
 */
import { decodeState } from "../../functions/rotator/state/codec";
import type { AppliedCall, SecretManagerEmulator } from "../../standins/secret-manager";
import type { ProviderTap } from "./crash-provider-tap";

/** The Secret Manager methods that change something the protocol relies on. */
const WRITES = [
    "UpdateSecret",
    "AddSecretVersion",
    "DisableSecretVersion",
    "DestroySecretVersion",
] as const;

/** Provider operations that act on a key or check one; listing and reading are not effects. */
const PROVIDER_EFFECTS = new Set(["create", "verify", "revoke"]);

/** Where a crash was armed and what came of it. */
export interface ArmedCrash {
    /** Resolves with the name of the effect the crash followed, once the crash is done. */
    readonly reached: Promise<string>;
    /** Effects seen since arming, up to the one crashed at. */
    readonly seen: string[];
    /** Stops waiting (when the work ended before reaching the effect). */
    disarm(): void;
}

/** Records the effects of one rotated secret's protocol and crashes at a chosen one. */
export class EffectStream {
    /** Every effect since the stream started, in order. */
    readonly all: string[] = [];
    private armed?: {
        at: number;
        seen: string[];
        crash: () => Promise<void>;
        done: (name: string) => void;
        fail: (error: Error) => void;
    };

    constructor(emulator: SecretManagerEmulator, tap: ProviderTap, stateSecret: string) {
        for (const method of WRITES) {
            emulator.hooks.afterApply(method, (call) => this.record(nameWrite(call, stateSecret)));
        }
        tap.onAnswered = (operation) =>
            PROVIDER_EFFECTS.has(operation) ? this.record(`provider ${operation}`) : undefined;
    }

    /** A position in the stream, for `since`. */
    mark(): number {
        return this.all.length;
    }

    /** The effects after `mark`, in order. */
    since(mark: number): string[] {
        return this.all.slice(mark);
    }

    /**
     * Counts effects from now on and, at the `at`-th (1-based), runs `crash` before that effect's
     * answer is released: the emulator or the provider has acted, the caller has not heard.
     */
    crashAt(at: number, crash: () => Promise<void>): ArmedCrash {
        if (this.armed) throw new Error("a crash is already armed on this stream");
        const seen: string[] = [];
        let done!: (name: string) => void;
        let fail!: (error: Error) => void;
        const reached = new Promise<string>((resolve, reject) => {
            done = resolve;
            fail = reject;
        });
        this.armed = { at, seen, crash, done, fail };
        return {
            reached,
            seen,
            disarm: () => {
                this.armed = undefined;
            },
        };
    }

    private record(name: string): Promise<void> | undefined {
        this.all.push(name);
        const armed = this.armed;
        if (!armed) return undefined;
        armed.seen.push(name);
        if (armed.seen.length !== armed.at) return undefined;
        this.armed = undefined;
        return armed.crash().then(
            () => armed.done(name),
            (error: Error) => armed.fail(error),
        );
    }
}

/** "state rotate/created", "state unlocked", "aliases", "AddSecretVersion", ... */
function nameWrite(call: AppliedCall, stateSecret: string): string {
    if (call.method !== "UpdateSecret") return call.method;
    const paths: string[] = call.request.updateMask?.paths ?? [];
    const aliases = paths.some((path) => path === "version_aliases" || path === "versionAliases");
    if (aliases) return "aliases";
    if (call.request.secret?.name !== stateSecret) return `UpdateSecret ${paths.join(",")}`;
    const pending = decodeState(call.request.secret.annotations).pending;
    return pending ? `state ${pending.operation}/${pending.step}` : "state unlocked";
}
