/**
 * Continuous traffic: a group of simulated bots reading one secret and calling one provider
 * while something rotates the key underneath them. Stopping the traffic gives the totals a test
 * asserts on: how many calls were made and how many failed, per bot and overall.
 */
import type { SecretManagerServiceClient } from "@google-cloud/secret-manager";
import { BotSpec, BotStats, FailedCall, KeyReader, SimulatedBot, UseCall } from "./bot";

/** What to run. */
export interface TrafficOptions {
    bots: BotSpec[];
    /** How every bot reads its key. */
    readKey: KeyReader;
    /** How every bot calls the provider. */
    use: UseCall;
    /** Think time between two calls of one bot (milliseconds). Default 5. */
    pauseMs?: number;
}

/** The totals of a traffic run. */
export interface TrafficReport {
    /** Provider calls made by all bots. */
    calls: number;
    /** Calls that did not get a 2xx. */
    failedCalls: number;
    /** Secret Manager reads made by all bots. */
    reads: number;
    failedReads: number;
    /** Per bot, in the order the bots were given. */
    bots: BotStats[];
    /** Every failed call, oldest first (no key material: bot, time, status, key age). */
    failures: FailedCall[];
    /** How long the traffic ran (milliseconds). */
    durationMs: number;
}

/** Running traffic. */
export interface Traffic {
    /** Failed calls so far (the array grows while the bots run). */
    readonly failures: readonly FailedCall[];
    /** Stops every bot after its call in flight and totals what they did. */
    stop(): Promise<TrafficReport>;
}

/** Starts every bot at once. */
export function startTraffic(options: TrafficOptions): Traffic {
    const failures: FailedCall[] = [];
    const started = Date.now();
    const bots = options.bots.map(
        (spec) =>
            new SimulatedBot(spec, options.readKey, options.use, options.pauseMs ?? 5, failures),
    );
    bots.forEach((bot) => bot.start());
    return {
        failures,
        stop: async () => {
            const stats = await Promise.all(bots.map((bot) => bot.stop()));
            const sum = (pick: (s: BotStats) => number) => stats.reduce((n, s) => n + pick(s), 0);
            return {
                calls: sum((s) => s.calls),
                failedCalls: sum((s) => s.failedCalls),
                reads: sum((s) => s.reads),
                failedReads: sum((s) => s.failedReads),
                bots: stats,
                failures: [...failures].sort((a, b) => a.at - b.at),
                durationMs: Date.now() - started,
            };
        },
    };
}

/**
 * Bots with each of the given cache lengths, `perCache` of each, their first reads spread over
 * one cache length so that re-reads fall at every phase of a rotation.
 */
export function botsWithCaches(cachesMs: number[], perCache: number): BotSpec[] {
    return cachesMs.flatMap((cacheMs) =>
        Array.from({ length: perCache }, (_, i) => ({
            name: `cache-${cacheMs}ms-${String.fromCharCode(97 + i)}`,
            cacheMs,
            startDelayMs: Math.floor((cacheMs * i) / perCache),
        })),
    );
}

/**
 * A key reader for `versions/latest` of a secret through the official client: what a bot that
 * follows the newest version does. `secretName` is `projects/P/secrets/ID`.
 */
export function latestVersionReader(
    client: SecretManagerServiceClient,
    secretName: string,
): KeyReader {
    return async () => {
        const name = `${secretName}/versions/latest`;
        const [version] = await client.accessSecretVersion({ name });
        const data = version.payload?.data;
        if (!data) throw new Error(`${secretName}/versions/latest has no payload`);
        return Buffer.from(data as Uint8Array).toString("utf8");
    };
}
