/**
 * The leak scan: gathers every secret value that existed in a test run (every key the fake
 * providers issued, admin credentials, OAuth tokens, the Slack webhook URL) and finds any of them
 * in text: log lines, HTTP answers, Slack messages, error messages, stored state.
 *
 * A secret is found whole, URL-encoded, base64-encoded (as in a Basic auth header) or by any
 * FRAGMENT_LENGTH-character piece of it, so that a truncated or partly masked key counts too.
 * Pieces that also occur in a public identifier are not findings: a SendGrid key embeds its own
 * key ID (`SG.<id>.<secret>`), and key IDs are meant to be logged.
 */
import * as assert from "node:assert/strict";
import { inspect } from "node:util";
import type { KeyRegister } from "../../standins/providers";

/** Secret pieces this long or longer are findings. */
export const FRAGMENT_LENGTH = 12;

/** Admin-credential fields of the fakes that identify an account and are not secret. */
export const PUBLIC_ADMIN_FIELDS = [
    "accountId",
    "accountSid",
    "projectId",
    "projectNumber",
    "clientId",
];

/** How a secret showed up in a text. */
export type LeakForm = "whole" | "url-encoded" | "base64" | "fragment";

/** One finding. Says which secret and where, never the secret itself. */
export interface Leak {
    /** What was scanned, e.g. "log line 12". */
    where: string;
    /** The secret's label, e.g. "sendgrid key 3f9a…" (its public ID), never its value. */
    secret: string;
    form: LeakForm;
    /** Where in the text it starts (no surrounding text is kept: it could hold the rest). */
    offset: number;
}

/** A text to scan and a name for where it came from. */
export interface ScannedText {
    where: string;
    text: string;
}

/** What a fake provider exposes that the collector reads. */
export interface FakeSecrets {
    register: KeyRegister;
    admin?: Readonly<Record<string, string>>;
    /** Slack OAuth's refresh tokens. */
    refreshTokens?: KeyRegister;
}

type Source = () => Array<{ label: string; value: string }>;

/**
 * Collects the secrets of a run. Registers are read when `compile` is called, so keys issued
 * after `addFake` are included.
 */
export class SecretCollector {
    private readonly sources: Source[] = [];
    private readonly publics: Array<() => string[]> = [];

    /** A single secret value, e.g. the Slack webhook URL. */
    addSecret(label: string, value: string): this {
        this.sources.push(() => [{ label, value }]);
        return this;
    }

    /** Values that may be shown (key IDs, origins): pieces of secrets inside them are fine. */
    addPublic(...values: string[]): this {
        this.publics.push(() => values);
        return this;
    }

    /** Every key a fake ever issued, its admin credential and, for Slack, its refresh tokens. */
    addFake(name: string, fake: FakeSecrets): this {
        const fromRegister = (register: KeyRegister, kind: string) => () =>
            register
                .all()
                .map((key) => ({ label: `${name} ${kind} ${key.id}`, value: key.secret }));
        this.sources.push(fromRegister(fake.register, "key"));
        this.publics.push(() => fake.register.all().flatMap((key) => [key.id, key.name]));
        if (fake.refreshTokens) {
            this.sources.push(fromRegister(fake.refreshTokens, "refresh token"));
            const refresh = fake.refreshTokens;
            this.publics.push(() => refresh.all().flatMap((key) => [key.id, key.name]));
        }
        for (const [field, value] of Object.entries(fake.admin ?? {})) {
            if (PUBLIC_ADMIN_FIELDS.includes(field)) this.addPublic(value);
            else this.addSecret(`${name} admin ${field}`, value);
        }
        return this;
    }

    /** Builds the scanner from everything collected so far. */
    compile(): LeakScanner {
        const secrets = this.sources.flatMap((source) => source());
        const publics = this.publics.flatMap((source) => source());
        return new LeakScanner(secrets, publics);
    }
}

/** Finds collected secrets in text. Build it with `SecretCollector.compile`. */
export class LeakScanner {
    /** Whole forms (raw, URL-encoded, base64) to look for with `includes`. */
    private readonly wholes: Array<{ label: string; form: LeakForm; value: string }> = [];
    /** Every distinctive FRAGMENT_LENGTH-character piece, to its secret's label. */
    private readonly fragments = new Map<string, string>();

    /** How many secret values it looks for. */
    readonly secretCount: number;

    constructor(secrets: Array<{ label: string; value: string }>, publics: string[]) {
        const short = secrets.find((s) => s.value.length < FRAGMENT_LENGTH);
        if (short) {
            throw new Error(
                `leak scan: ${short.label} is shorter than ${FRAGMENT_LENGTH} ` +
                    "characters; use longer test secrets so that finding them means something",
            );
        }
        this.secretCount = secrets.length;
        for (const { label, value } of secrets) {
            this.wholes.push({ label, form: "whole", value });
            const encoded = encodeURIComponent(value);
            if (encoded !== value) this.wholes.push({ label, form: "url-encoded", value: encoded });
            for (const core of base64Cores(value)) {
                this.wholes.push({ label, form: "base64", value: core });
            }
            for (const form of new Set([value, encoded])) {
                for (let i = 0; i + FRAGMENT_LENGTH <= form.length; i++) {
                    const piece = form.slice(i, i + FRAGMENT_LENGTH);
                    if (!publics.some((p) => p.includes(piece))) this.fragments.set(piece, label);
                }
            }
        }
    }

    /** Every secret found in `text`: at most one finding per secret and form. */
    find(where: string, text: string): Leak[] {
        const leaks: Leak[] = [];
        const seen = new Set<string>();
        const note = (secret: string, form: LeakForm, at: number) => {
            if (seen.has(`${secret}|${form}`)) return;
            seen.add(`${secret}|${form}`);
            leaks.push({ where, secret, form, offset: at });
        };
        for (const whole of this.wholes) {
            const at = text.indexOf(whole.value);
            if (at >= 0) note(whole.label, whole.form, at);
        }
        for (let i = 0; i + FRAGMENT_LENGTH <= text.length; i++) {
            const label = this.fragments.get(text.slice(i, i + FRAGMENT_LENGTH));
            if (label !== undefined && !seen.has(`${label}|whole`)) note(label, "fragment", i);
        }
        return leaks;
    }

    /** Scans every text and returns all findings. */
    findAll(texts: Iterable<ScannedText>): Leak[] {
        return [...texts].flatMap(({ where, text }) => this.find(where, text));
    }

    /** Fails, listing where and which secret (never the value), when any text holds one. */
    assertClean(texts: Iterable<ScannedText>): void {
        const leaks = this.findAll(texts);
        const lines = leaks
            .slice(0, 20)
            .map((l) => `- ${l.where}: ${l.secret} (${l.form}) at character ${l.offset}`);
        assert.equal(
            leaks.length,
            0,
            `key material found in ${leaks.length} places:\n${lines.join("\n")}`,
        );
    }
}

/**
 * The base64 forms of `value` that appear in the base64 of any longer text containing it: one
 * per alignment of the value in the encoder's 3-byte groups, cut to the complete groups.
 */
function base64Cores(value: string): string[] {
    const bytes = Buffer.from(value, "utf8");
    const cores: string[] = [];
    for (let shift = 0; shift < 3; shift++) {
        const whole = Math.floor((bytes.length - shift) / 3) * 3;
        const core = bytes.subarray(shift, shift + whole).toString("base64");
        if (core.length >= FRAGMENT_LENGTH) cores.push(core);
    }
    return cores;
}

/**
 * Records every error thrown by the objects and functions it watches, as the text a careless
 * `console.error(error)` would print: message, stack, causes and every own property.
 */
export class ErrorTrap {
    /** One entry per error thrown, in order. */
    readonly errors: ScannedText[] = [];

    /** `target` with each method reporting what it throws (sync or async), then rethrowing. */
    watch<T extends object>(target: T, name: string): T {
        return new Proxy(target, {
            get: (object, property) => {
                const value = Reflect.get(object, property, object);
                if (typeof value !== "function") return value;
                return this.watchFunction(
                    (...args: unknown[]) => value.apply(object, args),
                    `${name}.${String(property)}`,
                );
            },
        });
    }

    /** `fn` reporting what it throws (sync or async), then rethrowing. */
    watchFunction<A extends unknown[], R>(fn: (...args: A) => R, name: string): (...args: A) => R {
        return (...args: A): R => {
            try {
                const result = fn(...args);
                if (result instanceof Promise) {
                    return result.catch((error: unknown) => {
                        this.record(name, error);
                        throw error;
                    }) as R;
                }
                return result;
            } catch (error) {
                this.record(name, error);
                throw error;
            }
        };
    }

    private record(name: string, error: unknown): void {
        const text = inspect(error, { depth: 8, breakLength: Infinity });
        this.errors.push({ where: `error thrown by ${name}`, text });
    }
}

/**
 * Captures everything written to this process's stdout and stderr until `restore`: what Cloud
 * Run would log for the function besides its own log lines (framework and library prints).
 */
export function captureProcessOutput(): { texts: ScannedText[]; restore(): void } {
    const texts: ScannedText[] = [];
    const streams = [process.stdout, process.stderr] as const;
    const originals = streams.map((stream) => stream.write);
    streams.forEach((stream, i) => {
        const name = i === 0 ? "stdout" : "stderr";
        stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
            const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
            texts.push({ where: `${name} write ${texts.length + 1}`, text });
            const done = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
            done?.();
            return true;
        }) as typeof stream.write;
    });
    return { texts, restore: () => streams.forEach((stream, i) => (stream.write = originals[i])) };
}
