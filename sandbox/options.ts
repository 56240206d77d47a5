/**
 * The sandbox's settings, from command-line flags or `KEYWARDEN_SANDBOX_*` variables (a flag
 * wins over its variable). Every problem is reported at once, each naming the flag and the fix,
 * before anything is started.
 */
import { formatDuration, parseDuration } from "../functions/rotator/policy/duration";

/** What one sandbox run does. */
export interface SandboxOptions {
    /** Time between two scheduler ticks, in milliseconds. */
    tickMs: number;
    /** The key's rotation period, as written into the policy (e.g. "10s"). */
    rotationPeriod: string;
    /** The previous key's grace period, as written into the policy (e.g. "4s"). */
    gracePeriod: string;
    /** The sample bot re-reads its key once its cached copy is this old (milliseconds). */
    botCacheMs: number;
    /** Stop on its own after this long (milliseconds); undefined runs until a signal. */
    durationMs?: number;
    /** Also show every tick and every function log line. */
    verbose: boolean;
}

/** One setting: its flag, its variable, its default and what it means (shown by --help). */
interface Setting {
    flag: string;
    variable: string;
    fallback?: string;
    help: string;
}

/** Every setting; the README's table lists the same. */
export const SETTINGS: Setting[] = [
    {
        flag: "--tick",
        variable: "KEYWARDEN_SANDBOX_TICK",
        fallback: "2s",
        help: "time between two scheduler ticks (POST /tick), e.g. 500ms, 2s",
    },
    {
        flag: "--rotation-period",
        variable: "KEYWARDEN_SANDBOX_ROTATION_PERIOD",
        fallback: "10s",
        help: "the policy's rotationPeriod, in whole seconds or more",
    },
    {
        flag: "--grace-period",
        variable: "KEYWARDEN_SANDBOX_GRACE_PERIOD",
        fallback: "4s",
        help: "the policy's gracePeriod; shorter than the rotation period",
    },
    {
        flag: "--bot-cache",
        variable: "KEYWARDEN_SANDBOX_BOT_CACHE",
        fallback: "1s",
        help: "the bot re-reads its key this often; shorter than the grace period",
    },
    {
        flag: "--for",
        variable: "KEYWARDEN_SANDBOX_FOR",
        help: "stop after this long and print the summary; unset: run until Ctrl-C",
    },
    {
        flag: "--verbose",
        variable: "KEYWARDEN_SANDBOX_VERBOSE",
        fallback: "false",
        help: "also show every tick and every function log line",
    },
];

/** A setting's text (undefined when unset with no default) and where it came from. */
interface SettingValue {
    text?: string;
    /** The flag or variable, named in problems. */
    source: string;
}

/** The result of reading the settings. */
export type ParsedOptions =
    | { kind: "run"; options: SandboxOptions }
    | { kind: "help" }
    | { kind: "invalid"; problems: string[] };

/** Reads `argv` (the arguments after the script) and `env`. */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedOptions {
    const flags = readFlags(argv);
    if (flags === "help") return { kind: "help" };
    const { given, problems } = flags;
    const read = (flag: string): SettingValue => {
        const setting = SETTINGS.find((s) => s.flag === flag)!;
        if (given.has(flag)) return { text: given.get(flag), source: flag };
        const fromEnv = env[setting.variable];
        if (fromEnv !== undefined && fromEnv !== "") {
            return { text: fromEnv, source: setting.variable };
        }
        return { text: setting.fallback, source: flag };
    };

    const tickMs = runDuration(read("--tick"), problems);
    const rotation = policyDuration(read("--rotation-period"), problems);
    const grace = policyDuration(read("--grace-period"), problems);
    const cache = read("--bot-cache");
    const botCacheMs = runDuration(cache, problems);
    const limit = read("--for");
    const durationMs = limit.text === undefined ? undefined : runDuration(limit, problems);
    const verbose = read("--verbose");
    if (verbose.text !== "true" && verbose.text !== "false") {
        problems.push(`${verbose.source} must be "true" or "false"`);
    }

    if (rotation && grace && grace.ms >= rotation.ms) {
        problems.push(
            `${grace.source} (${grace.text}) must be shorter than ${rotation.source} ` +
                `(${rotation.text}), so that at most two keys are valid at once`,
        );
    }
    if (botCacheMs !== undefined && grace && botCacheMs >= grace.ms) {
        problems.push(
            `${cache.source} (${formatMs(botCacheMs)}) must be shorter than ` +
                `${grace.source} (${grace.text}): the bot would still hold the old key when it ` +
                `is ` +
                "revoked",
        );
    }
    const complete = rotation && grace && tickMs !== undefined && botCacheMs !== undefined;
    if (problems.length > 0 || !complete) {
        return { kind: "invalid", problems };
    }
    return {
        kind: "run",
        options: {
            tickMs,
            rotationPeriod: rotation.text,
            gracePeriod: grace.text,
            botCacheMs,
            durationMs,
            verbose: verbose.text === "true",
        },
    };
}

/** Flags read from the command line, and what was wrong with them. */
interface GivenFlags {
    /** Value per flag ("true" for --verbose). */
    given: Map<string, string>;
    problems: string[];
}

/** The flags given, as `--flag value` or `--flag=value`, and what is wrong with them. */
function readFlags(argv: readonly string[]): "help" | GivenFlags {
    const problems: string[] = [];
    const given = new Map<string, string>();
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--help" || arg === "-h") return "help";
        const equals = arg.indexOf("=");
        const flag = equals < 0 ? arg : arg.slice(0, equals);
        const inline = equals < 0 ? undefined : arg.slice(equals + 1);
        const next = argv[i + 1];
        const nextIsValue = inline === undefined && next !== undefined && !next.startsWith("--");
        const setting = SETTINGS.find((s) => s.flag === flag);
        if (!setting) {
            const known = SETTINGS.map((s) => s.flag).join(", ");
            problems.push(`${flag} is not an option: use one of ${known} (or --help)`);
            // Its value, if it has one, is not a second problem.
            if (flag.startsWith("--") && nextIsValue) i += 1;
        } else if (flag === "--verbose") {
            if (inline !== undefined) {
                problems.push("--verbose takes no value: write just --verbose");
            }
            given.set(flag, "true");
        } else if (inline !== undefined || nextIsValue) {
            given.set(flag, inline ?? next);
            if (inline === undefined) i += 1;
        } else {
            problems.push(`${flag} needs a value, e.g. ${flag} ${setting.fallback ?? "60s"}`);
        }
    }
    return { given, problems };
}

/** The --help text. */
export function usage(): string {
    const rows = SETTINGS.map((s) => {
        const flag = `  ${s.flag}${s.flag === "--verbose" ? "" : " <duration>"}`;
        const fallback = s.fallback && s.flag !== "--verbose" ? `default ${s.fallback}; ` : "";
        return `${flag.padEnd(32)}${s.help}\n${"".padEnd(32)}${fallback}env ${s.variable}`;
    });
    return (
        "keywarden sandbox: the whole rotation loop on this machine, no cloud account.\n\n" +
        "Usage: npm start -- [options]\n\n" +
        rows.join("\n") +
        "\n\nDurations: a whole number and a unit (ms, s, m, h), e.g. 500ms, 4s, 1m. The " +
        "rotation and\ngrace periods go into the policy, which counts in whole seconds.\n"
    );
}

/** A run-time duration (the tick, the bot's cache, the run length): milliseconds allowed. */
function runDuration(value: SettingValue, problems: string[]): number | undefined {
    const text = (value.text ?? "").trim();
    const millis = /^(\d+)ms$/.exec(text);
    if (millis) {
        const ms = Number(millis[1]);
        if (ms > 0) return ms;
        problems.push(`${value.source} is zero: give a positive duration such as 500ms`);
        return undefined;
    }
    const parsed = parseDuration(text);
    if (typeof parsed === "number") return parsed;
    problems.push(`${value.source} "${text}" is not a duration: write e.g. 500ms, 2s or 1m`);
    return undefined;
}

/** A policy duration: what the policy validator accepts (whole seconds at the finest). */
function policyDuration(value: SettingValue, problems: string[]) {
    const text = (value.text ?? "").trim();
    const parsed = parseDuration(text);
    if (typeof parsed === "number") return { text, ms: parsed, source: value.source };
    const hint = /ms$/.test(text) ? " (the policy counts in whole seconds)" : "";
    problems.push(
        `${value.source} "${text}" is not a policy duration${hint}: ` + "write e.g. 4s, 10s or 1m",
    );
    return undefined;
}

function formatMs(ms: number): string {
    return ms % 1000 === 0 ? formatDuration(ms) : `${ms}ms`;
}
