/**
 * Random key IDs and secrets in each provider's documented format, and the time formats the
 * providers write. Formats matter: a rotator may check a prefix (`SG.`, `sk-or-v1-`) before
 * storing a key, and a fake that hands out `abc` would hide that check.
 */
import { randomBytes, randomInt } from "node:crypto";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const URL_SAFE = ALNUM + "-_";

/** `bytes` random bytes as lower-case hex (twice as many characters). */
export function randomHex(bytes: number): string {
    return randomBytes(bytes).toString("hex");
}

/** `length` random characters from `alphabet` (default letters and digits). */
export function randomChars(length: number, alphabet: string = ALNUM): string {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
    return out;
}

/** `length` random URL-safe characters (letters, digits, `-` and `_`). */
export function randomUrlSafe(length: number): string {
    return randomChars(length, URL_SAFE);
}

/** A random decimal string of `length` digits, not starting with 0. */
export function randomDigits(length: number): string {
    return String(randomInt(1, 10)) + randomChars(length - 1, "0123456789");
}

/** Epoch ms as an RFC 3339 timestamp with milliseconds, e.g. 2026-01-01T00:00:00.000Z. */
export function isoTime(ms: number): string {
    return new Date(ms).toISOString();
}

/** Epoch ms as an RFC 3339 timestamp to the second, e.g. 2026-01-01T00:00:00Z. */
export function isoSeconds(ms: number): string {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Epoch ms as whole Unix seconds. */
export function unixSeconds(ms: number): number {
    return Math.floor(ms / 1000);
}

/** Epoch ms as an RFC 2822 date with a numeric zone, the format Twilio writes. */
export function rfc2822(ms: number): string {
    return new Date(ms).toUTCString().replace(/GMT$/, "+0000");
}
