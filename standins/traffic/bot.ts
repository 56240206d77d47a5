/**
 * A simulated bot: it keeps its API key in a short cache, re-reads it from Secret Manager once
 * the cache is older than `cacheMs`, and calls its provider with it over and over.
 *
 * This is the consumer the rotation protocol has to keep working. A bot never learns that a
 * rotation happened; it only re-reads on its own schedule. So a key may only stop working once
 * every bot has had a chance to re-read: the grace period must be longer than the longest cache,
 * which is exactly what a create-sleep-revoke script gets wrong.
 */

/** Reads the bot's key (e.g. `versions/latest` through the official client). */
export type KeyReader = () => Promise<string>;

/** One call to the provider with a key; resolves with the HTTP status, never throws on 4xx. */
export type UseCall = (key: string) => Promise<number>;

/** How one bot behaves. */
export interface BotSpec {
    /** A name for reports, e.g. "cache-80ms-a". */
    name: string;
    /** The bot re-reads its key when the cached one is at least this old (milliseconds). */
    cacheMs: number;
    /**
     * Delay before the first read, so that bots with the same cache do not re-read in lockstep.
     * Default 0.
     */
    startDelayMs?: number;
}

/** A failed call, described without the key: which bot, when, and how old its cached key was. */
export interface FailedCall {
    bot: string;
    /** Epoch milliseconds when the call was answered. */
    at: number;
    /** The HTTP status, or 0 when the call got no answer. */
    status: number;
    /** How long before the call the bot had read the key it used (milliseconds). */
    keyAgeMs: number;
}

/** What one bot did. */
export interface BotStats {
    bot: string;
    cacheMs: number;
    calls: number;
    failedCalls: number;
    reads: number;
    failedReads: number;
}

/** Runs one bot until `stop()` is called. */
export class SimulatedBot {
    private stopped = false;
    private loop?: Promise<void>;
    private key?: string;
    private readAt = 0;
    private readonly stats: BotStats;

    /** `pauseMs` is the bot's think time between two provider calls. */
    constructor(
        private readonly spec: BotSpec,
        private readonly readKey: KeyReader,
        private readonly use: UseCall,
        private readonly pauseMs: number,
        private readonly failures: FailedCall[],
    ) {
        this.stats = {
            bot: spec.name,
            cacheMs: spec.cacheMs,
            calls: 0,
            failedCalls: 0,
            reads: 0,
            failedReads: 0,
        };
    }

    /** Starts the bot's loop; it runs until `stop()`. */
    start(): void {
        this.loop ??= this.run();
    }

    /** Stops after the call in flight and resolves with what the bot did. */
    async stop(): Promise<BotStats> {
        this.stopped = true;
        await this.loop;
        return { ...this.stats };
    }

    private async run(): Promise<void> {
        await pause(this.spec.startDelayMs ?? 0);
        while (!this.stopped) {
            await this.refreshIfStale();
            if (this.key !== undefined) await this.callOnce(this.key);
            await pause(this.pauseMs);
        }
    }

    private async refreshIfStale(): Promise<void> {
        const started = Date.now();
        if (this.key !== undefined && started - this.readAt < this.spec.cacheMs) return;
        this.stats.reads += 1;
        try {
            this.key = await this.readKey();
            // The age counts from when the read started: the version read may be that old.
            this.readAt = started;
        } catch {
            // A bot whose read fails keeps its cached key and tries again on the next call.
            this.stats.failedReads += 1;
        }
    }

    private async callOnce(key: string): Promise<void> {
        this.stats.calls += 1;
        let status = 0;
        try {
            status = await this.use(key);
        } catch {
            status = 0;
        }
        if (status >= 200 && status < 300) return;
        this.stats.failedCalls += 1;
        const at = Date.now();
        this.failures.push({ bot: this.spec.name, at, status, keyAgeMs: at - this.readAt });
    }
}

function pause(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
