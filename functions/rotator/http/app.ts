/**
 * The function's HTTP interface: routes, input checks and answers. Cloud Run's IAM has already
 * admitted the caller (only the scheduler's identity may invoke); this layer refuses malformed
 * requests with a 4xx that says what is wrong, before anything is read or changed.
 */
import { logEvent } from "../log";
import { EngineDeps } from "../protocol/engine";
import { tick } from "../protocol/tick";
import { rawBody } from "./body";
import { keepUnparsedBodiesOutOfLogs } from "./parse-errors";
import { header, Incoming, refuse, Refusal, Reply } from "./respond";
import { relayRoute, SlackSend } from "./relay-route";
import { rotateRoute } from "./rotate-route";
import { describeError } from "../describe-error";

/** What the routes need: the engine, the project it manages, and the Slack sender if any. */
export interface AppRuntime {
    deps: EngineDeps;
    project: string;
    slack?: SlackSend;
}

const ROUTES = ["/tick", "/rotate", "/relay"];

/** Builds the request handler. `runtime` is built on first use, so a cold start stays cheap. */
export function createHandler(runtime: () => Promise<AppRuntime>) {
    keepUnparsedBodiesOutOfLogs();
    return async function handle(req: Incoming, res: Reply): Promise<void> {
        try {
            if (!ROUTES.includes(req.path)) {
                throw new Refusal(
                    404,
                    `no route ${req.path.slice(0, 80)}: use POST /tick, /rotate or /relay`,
                );
            }
            if (req.method !== "POST") {
                res.set("Allow", "POST");
                throw new Refusal(405, `${req.method} is not allowed on ${req.path}: use POST`);
            }
            const { deps, project, slack } = await runtime();
            if (req.path === "/relay") {
                const answer = await relayRoute(slack, req);
                res.status(answer.status).json(answer.body);
                return;
            }
            if (req.path === "/tick") {
                rawBody(req);
                const schedule = scheduleTime(req);
                res.status(200).json(await tick(deps, schedule));
                return;
            }
            const answer = await rotateRoute(deps, project, req);
            res.status(answer.status).json(answer.body);
        } catch (error) {
            if (error instanceof Refusal) return refuse(req, res, error);
            const message = describeError(error);
            const event = req.path === "/tick" ? "tick.failed" : "rotation.failed";
            logEvent("ERROR", event, `${req.path}: the request failed: ${message}`, {
                path: req.path,
            });
            res.status(500).json({ error: `the request failed: ${message}` });
        }
    };
}

/**
 * The scheduled time of the run, which Cloud Scheduler repeats unchanged on every retry of one
 * run: the key for doing each run's work once.
 */
function scheduleTime(req: Incoming): string | undefined {
    const value = header(req, "x-cloudscheduler-scheduletime");
    if (value === undefined) return undefined;
    if (value.length > 64 || Number.isNaN(Date.parse(value))) {
        throw new Refusal(
            400,
            "X-CloudScheduler-ScheduleTime is not a time: Cloud Scheduler sends RFC 3339",
        );
    }
    return new Date(value).toISOString();
}
