/**
 * Keeps request bodies the Functions Framework could not parse out of the logs.
 *
 * The framework parses JSON bodies before the function runs, so a malformed one never reaches
 * the handler: the body parser answers 400 and Express prints the parser's error with
 * `console.error(error)`. That error carries the raw body (`error.body`), so a key pasted into
 * a malformed request would be written to Cloud Logging whole. No hook runs before that print,
 * so the print itself is replaced: such errors become one `request.rejected` line naming only
 * the parser's error type.
 */
import { logEvent } from "../log";

let installed = false;

/** Installs the filter on `console.error`, once per process; other prints pass unchanged. */
export function keepUnparsedBodiesOutOfLogs(): void {
    if (installed) return;
    installed = true;
    const print = console.error;
    console.error = (...args: unknown[]) => {
        const type = args.length === 1 ? bodyParserErrorType(args[0]) : undefined;
        if (type === undefined) return print.apply(console, args);
        logEvent(
            "WARNING",
            "request.rejected",
            `a request body could not be read (${type}); the ` +
                "Functions Framework refused it with HTTP 400 before it reached the function: " +
                "send a JSON object as application/json",
            { status: 400, reason: type },
        );
    };
}

/**
 * The `type` of a body-parser error (`entity.parse.failed`, `entity.too.large`, ...): an Error
 * with a 4xx `status` and a dotted `type`, the shape the body-parser package gives them.
 */
function bodyParserErrorType(value: unknown): string | undefined {
    if (!(value instanceof Error)) return undefined;
    const { type, status } = value as Error & { type?: unknown; status?: unknown };
    if (typeof type !== "string" || !/^[a-z]+(\.[a-z]+)+$/.test(type)) return undefined;
    return typeof status === "number" && status >= 400 && status < 500 ? type : undefined;
}
