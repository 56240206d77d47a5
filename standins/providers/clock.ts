/**
 * Time as the fakes see it.
 *
 * Every fake reads the time through a `Clock`, so a test can move time forward by twelve hours
 * (Slack access tokens) or past a Cloudflare `expires_on` without waiting, and then ask the key
 * register which keys were valid at any instant.
 */

/** A source of the current time, in milliseconds since the Unix epoch. */
export interface Clock {
    /** The current instant in epoch milliseconds. */
    now(): number;
}

/** The machine's own clock: what a fake uses when no clock is injected. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when the test moves it. */
export class ManualClock implements Clock {
    private current: number;

    /** Starts at `start` (epoch ms or a Date); defaults to 2026-01-01T00:00:00Z. */
    constructor(start: number | Date = Date.UTC(2026, 0, 1)) {
        this.current = typeof start === "number" ? start : start.getTime();
    }

    /** The instant the clock is stopped at. */
    now(): number {
        return this.current;
    }

    /** Moves the clock forward by `ms` milliseconds; going backwards is a test bug. */
    advance(ms: number): void {
        if (!(ms >= 0)) throw new Error(`ManualClock.advance: \`ms\` must be >= 0, got ${ms}.`);
        this.current += ms;
    }

    /** Jumps to `instant`, which must not be earlier than the current time. */
    set(instant: number | Date): void {
        const next = typeof instant === "number" ? instant : instant.getTime();
        if (next < this.current) {
            throw new Error("ManualClock.set: time cannot go backwards; pass a later instant.");
        }
        this.current = next;
    }
}

/** Seconds as milliseconds, for readable clock arithmetic in tests. */
export const SECOND = 1000;
/** One minute in milliseconds. */
export const MINUTE = 60 * SECOND;
/** One hour in milliseconds. */
export const HOUR = 60 * MINUTE;
/** One day in milliseconds. */
export const DAY = 24 * HOUR;
