/**
 * Turns the function's log lines into terminal lines. The label is the log line's own `event`
 * name (docs/events.md lists them), so what the sandbox shows is what an operator would search
 * for in Cloud Logging. Rotations and retirements are counted here for the summary.
 */
import type { DisplayLine, Tone } from "./display";
import type { FunctionOutput } from "./function-process";

/** Events that mean a person would have to act. */
const FAILURES = new Set([
    "rotation.failed",
    "retirement.failed",
    "orphan.unresolved",
    "policy.invalid",
    "notify.failed",
    "request.rejected",
    "outbound.blocked",
]);

/** Events that are good news. */
const SUCCESSES = new Set([
    "rotation.succeeded",
    "retirement.succeeded",
    "attempt.recovered",
    "orphan.revoked",
]);

/** Events shown only with --verbose: they repeat on every tick. */
const CHATTY = new Set(["tick.completed", "tick.duplicate"]);

/** What the function did so far, from its log lines. */
export interface FunctionTally {
    rotations: number;
    retirements: number;
    /** Lines of the failure events above. */
    failures: number;
}

/** Reads the function's output, keeps the tally and says what to show. */
export class FunctionEvents {
    readonly tally: FunctionTally = { rotations: 0, retirements: 0, failures: 0 };

    constructor(private readonly verbose: boolean) {}

    /** Records one output line; returns what to show, or undefined to show nothing. */
    read(line: FunctionOutput): DisplayLine | undefined {
        const entry = line.entry;
        if (!entry || typeof entry.event !== "string") {
            // The framework's own messages and crash reports: rare, and worth seeing as they are.
            if (line.text.trim() === "") return undefined;
            return {
                lane: "function",
                label: line.stream,
                detail: line.text,
                tone: line.stream === "stderr" ? "bad" : "plain",
            };
        }
        const event = entry.event;
        if (event === "rotation.succeeded") this.tally.rotations += 1;
        if (event === "retirement.succeeded") this.tally.retirements += 1;
        if (FAILURES.has(event)) this.tally.failures += 1;
        if (event === "function.listening") return undefined; // The sandbox says it with the pid.
        if (CHATTY.has(event) && !this.verbose) return undefined;
        const message = typeof entry.message === "string" ? entry.message : "";
        const tone = toneOf(event, entry.severity);
        return { lane: "function", label: event, detail: message, tone };
    }
}

function toneOf(event: string, severity: unknown): Tone {
    if (FAILURES.has(event) || severity === "ERROR" || severity === "ALERT") return "bad";
    if (SUCCESSES.has(event)) return "good";
    if (severity === "WARNING") return "warn";
    if (CHATTY.has(event)) return "dim";
    return "plain";
}
