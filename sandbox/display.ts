/**
 * The sandbox's terminal output: one line per event, with the time, the part of the system it
 * comes from (its lane) and what happened. Colour only when the output is a terminal (and
 * NO_COLOR is unset), so a log file or a test reads plain text.
 *
 * Every line passes a last check before it is written: if it holds any key, admin credential or
 * webhook URL the sandbox knows of (see `watchSecrets`), that text is replaced by `[redacted]`
 * and the line is counted, so the summary can say whether anything ever printed key material.
 */

/** Where an event comes from. */
export type Lane = "sandbox" | "function" | "provider" | "secrets" | "slack" | "bot" | "tick";

/** How a line should stand out. */
export type Tone = "plain" | "good" | "warn" | "bad" | "dim";

/** One event to show. */
export interface DisplayLine {
    lane: Lane;
    /** A short name for what happened ("created", "rotation.succeeded", "call FAILED"). */
    label: string;
    /** The rest of the line. */
    detail: string;
    tone?: Tone;
}

/** Where lines go: a stream with an optional `isTTY`, like process.stdout. */
export interface Output {
    write(text: string): unknown;
    isTTY?: boolean;
}

/** Options of a {@link Display}. */
export interface DisplayOptions {
    /** Use ANSI colours. Default: when the output is a TTY and NO_COLOR is unset in `env`. */
    color?: boolean;
    /** Where NO_COLOR is looked up. Default: process.env. */
    env?: NodeJS.ProcessEnv;
    /** The clock for the time column. Default: the system clock. */
    now?: () => Date;
}

const ESC = "\u001b[";
const COLOR = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90 };
const LANE_COLOR: Record<Lane, number> = {
    sandbox: 1,
    function: COLOR.magenta,
    provider: COLOR.cyan,
    secrets: COLOR.blue,
    slack: COLOR.yellow,
    bot: COLOR.green,
    tick: COLOR.gray,
};
const TONE_COLOR: Record<Tone, number | undefined> = {
    plain: undefined,
    good: COLOR.green,
    warn: COLOR.yellow,
    bad: COLOR.red,
    dim: COLOR.gray,
};

/** Writes event lines and counts the ones that had to be redacted. */
export class Display {
    private readonly color: boolean;
    private redactedLines = 0;
    private readonly secretSources: Array<() => Iterable<string>> = [];

    constructor(
        private readonly out: Output,
        private readonly options: DisplayOptions = {},
    ) {
        const noColor = (options.env ?? process.env).NO_COLOR;
        this.color = options.color ?? (Boolean(out.isTTY) && !noColor);
    }

    /**
     * Adds a source of secret values (keys, admin credentials, webhook URLs); it is asked again
     * at every line, so keys made later are covered too.
     */
    watchSecrets(source: () => Iterable<string>): void {
        this.secretSources.push(source);
    }

    /** Lines in which key material was found and replaced. */
    get redacted(): number {
        return this.redactedLines;
    }

    /** Writes one event line: time, lane, label, detail. */
    line(event: DisplayLine): void {
        const tone = event.tone ?? "plain";
        const time = clockTime((this.options.now ?? (() => new Date()))());
        const lane = this.paint(event.lane.padEnd(8), LANE_COLOR[event.lane]);
        const label = this.paint(event.label.padEnd(20), TONE_COLOR[tone]);
        const detail =
            tone === "bad" || tone === "dim"
                ? this.paint(event.detail, TONE_COLOR[tone])
                : event.detail;
        this.write(`${this.paint(time, COLOR.gray)}  ${lane} ${label} ${detail}`);
    }

    /** Writes a heading and aligned `name  value` rows (the summary). */
    table(title: string, rows: Array<[string, string]>): void {
        const width = Math.max(...rows.map(([name]) => name.length));
        this.write(this.paint(title, 1));
        for (const [name, value] of rows) this.write(`  ${name.padEnd(width)}  ${value}`);
    }

    /** Writes a line as it is (start-up banners, problems). */
    text(line: string): void {
        this.write(line);
    }

    private write(line: string): void {
        const clean = this.redact(line);
        this.out.write(clean + "\n");
    }

    private redact(line: string): string {
        let text = line;
        for (const source of this.secretSources) {
            for (const secret of source()) {
                // Short strings are not keys, and would match ordinary words.
                if (secret.length >= 8) text = text.split(secret).join("[redacted]");
            }
        }
        if (text !== line) this.redactedLines += 1;
        return text;
    }

    private paint(text: string, code: number | undefined): string {
        return this.color && code !== undefined ? `${ESC}${code}m${text}${ESC}0m` : text;
    }
}

/** HH:MM:SS.mmm in local time. */
function clockTime(date: Date): string {
    const two = (n: number) => String(n).padStart(2, "0");
    return (
        `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.` +
        String(date.getMilliseconds()).padStart(3, "0")
    );
}

/** A count with thousands separators, e.g. 12,345. */
export function count(n: number): string {
    return n.toLocaleString("en-US");
}
