/**
 * The scheduler's stand-in: POSTs /tick to the function every interval, as the fleet's one Cloud
 * Scheduler job does, with the `X-CloudScheduler-ScheduleTime` header a real run carries. A tick
 * starts only after the previous one has answered, so ticks never overlap here (the function
 * copes when they do in production: its lock is the state secret's etag).
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { DisplayLine } from "./display";

/** A running ticker. */
export interface Ticker {
    /** Ticks sent so far. */
    readonly ticks: number;
    /** Ticks that did not get a 200. */
    readonly failedTicks: number;
    /** Sends no further tick and waits for the one in flight to be answered. */
    stop(): Promise<void>;
}

/** How long one tick may take before it counts as failed. */
const TICK_TIMEOUT_MS = 30_000;

/** Starts ticking `functionUrl` every `intervalMs`; the first tick comes after one interval. */
export function startTicker(
    functionUrl: string,
    intervalMs: number,
    verbose: boolean,
    report: (line: DisplayLine) => void,
): Ticker {
    const stopping = new AbortController();
    const state = { ticks: 0, failedTicks: 0 };
    const tickOnce = async () => {
        const scheduled = new Date().toISOString();
        state.ticks += 1;
        try {
            const response = await fetch(`${functionUrl}/tick`, {
                method: "POST",
                headers: { "X-CloudScheduler-ScheduleTime": scheduled },
                signal: AbortSignal.timeout(TICK_TIMEOUT_MS),
            });
            type TickAnswer = { due?: number; error?: string };
            const body = (await response.json().catch(() => ({}))) as TickAnswer;
            if (response.status !== 200) {
                state.failedTicks += 1;
                report({
                    lane: "tick",
                    label: "tick failed",
                    tone: "bad",
                    detail:
                        `POST /tick answered ${response.status}: ` +
                        (body.error ?? "no reason given"),
                });
            } else if (verbose) {
                report({
                    lane: "tick",
                    label: "tick",
                    tone: "dim",
                    detail: `POST /tick answered 200; ${body.due ?? 0} due`,
                });
            }
        } catch (error) {
            // While stopping, the function may already be gone: that is not news.
            if (stopping.signal.aborted) return;
            state.failedTicks += 1;
            report({
                lane: "tick",
                label: "tick failed",
                tone: "bad",
                detail: `POST /tick got no answer: ${(error as Error).message}`,
            });
        }
    };
    const loop = (async () => {
        while (!stopping.signal.aborted) {
            try {
                await sleep(intervalMs, undefined, { signal: stopping.signal });
            } catch {
                return; // Aborted: stop() was called during the wait.
            }
            await tickOnce();
        }
    })();
    return {
        get ticks() {
            return state.ticks;
        },
        get failedTicks() {
            return state.failedTicks;
        },
        stop: async () => {
            stopping.abort();
            await loop;
        },
    };
}
