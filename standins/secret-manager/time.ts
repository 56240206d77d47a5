/**
 * Time as the emulator sees it, and conversions to and from the protobuf time types.
 *
 * The emulator's clock is the wall clock plus an offset that tests move forward, so a test can
 * let a version's delayed destruction or a secret's expiry fall due without sleeping.
 */
import { invalidArgument } from "./errors";
import type { Duration, Timestamp } from "./messages";

/** The emulator's clock: real time, shifted by `advance`. */
export class EmulatorClock {
    private offsetMs = 0;

    /** Milliseconds since the epoch, as the emulator sees it. */
    now(): number {
        return Date.now() + this.offsetMs;
    }

    /** Moves the emulator's time forward by `ms` milliseconds (never backwards). */
    advance(ms: number): void {
        if (!Number.isFinite(ms) || ms < 0) {
            throw new RangeError(`advance(ms): ms must be a finite number >= 0, got ${ms}`);
        }
        this.offsetMs += ms;
    }

    /** Puts the clock back to real time. */
    reset(): void {
        this.offsetMs = 0;
    }
}

/** Converts epoch milliseconds to a `google.protobuf.Timestamp`. */
export function toTimestamp(ms: number): Timestamp {
    const seconds = Math.floor(ms / 1000);
    return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

/** Converts a `google.protobuf.Timestamp` to epoch milliseconds. */
export function timestampToMs(timestamp: Timestamp): number {
    return Number(timestamp.seconds ?? 0) * 1000 + Math.floor((timestamp.nanos ?? 0) / 1e6);
}

/**
 * Converts a `google.protobuf.Duration` to milliseconds, rejecting a negative or malformed one
 * with INVALID_ARGUMENT on `field`.
 */
export function durationToMs(duration: Duration, field: string): number {
    const seconds = Number(duration.seconds ?? 0);
    const nanos = duration.nanos ?? 0;
    if (!Number.isSafeInteger(seconds) || seconds < 0 || nanos < 0 || nanos > 999_999_999) {
        throw invalidArgument(
            field,
            "must be a non-negative duration (seconds >= 0, nanos 0-999999999)",
        );
    }
    return seconds * 1000 + Math.floor(nanos / 1e6);
}
