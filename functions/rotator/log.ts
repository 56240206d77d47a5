/**
 * Structured logging for the rotator function.
 *
 * Cloud Logging parses one JSON object per line on stdout and reads `severity` from it, so every
 * line written here is exactly that. The `event` field is a contract: log-based metrics and the
 * fleet's alert policies match on it (see docs/events.md). Callers pass identifiers (bot, secret,
 * version, key ID, attempt ID), never key material: nothing in this module can tell a key from
 * any other string, so the rule is kept at the call sites and checked by the leak-scan test.
 */

/** Cloud Logging severities this project uses. */
export type Severity = "DEBUG" | "INFO" | "NOTICE" | "WARNING" | "ERROR" | "ALERT";

/** Fields that may accompany an event. Values must be identifiers or figures, never secrets. */
export type LogFields = Record<string, string | number | boolean | null | undefined | string[]>;

/** Where log lines go. Tests swap it to capture lines; production writes to stdout. */
export type LogSink = (line: string) => void;

let sink: LogSink = (line) => process.stdout.write(line + "\n");

/** Replaces the sink and returns the previous one (tests capture lines with it). */
export function setLogSink(next: LogSink): LogSink {
    const previous = sink;
    sink = next;
    return previous;
}

/**
 * Writes one event as one JSON line. `message` is the human sentence shown in the Logs
 * Explorer; `event` is the stable machine name.
 */
export function logEvent(
    severity: Severity,
    event: string,
    message: string,
    fields: LogFields = {},
) {
    const entry: Record<string, unknown> = { severity, event, message };
    for (const [name, value] of Object.entries(fields)) {
        if (value !== undefined) entry[name] = value;
    }
    entry.time = new Date().toISOString();
    sink(JSON.stringify(entry));
}
