/**
 * `POST /rotate {"secret": "<id or full name>", "force": false}`: rotate one secret now.
 *
 * Without `force` the secret is rotated only when due; with it, at once. Either way a rotation
 * never makes a third valid key: while the previous key is in its grace period the answer is
 * 409 with the time it will be retired. Keys replaced by hand (`manual`) are adopted instead: a
 * person adds the new version, then calls this route.
 */
import { FLEET_LABEL, POLICY_ANNOTATION, ROLE_LABEL } from "../policy/types";
import { SECRET_ID } from "../policy/validate";
import { Busy, EngineDeps, Tracked } from "../protocol/engine";
import { adopt } from "../protocol/manual";
import { dueAt, planSecret, retireAt } from "../protocol/plan";
import { recover } from "../protocol/recover";
import { rotate } from "../protocol/rotate";
import { track } from "../protocol/tick";
import { SecretResult } from "../protocol/secret-unit";
import { jsonObject, onlyFields } from "./body";
import { Incoming, Refusal } from "./respond";
import { describeError } from "../describe-error";

/** The answer of `/rotate`: an HTTP status and a JSON body. */
export interface RouteAnswer {
    status: number;
    body: Record<string, unknown>;
}

/** Handles one `/rotate` request. */
export async function rotateRoute(
    deps: EngineDeps,
    project: string,
    req: Incoming,
): Promise<RouteAnswer> {
    const body = jsonObject(req, false);
    onlyFields(body, ["secret", "force"]);
    const { id, project: named } = secretIdFrom(body.secret);
    const otherProject = () =>
        new Refusal(
            403,
            `the secret is in project "${named!.slice(0, 64)}"; ` +
                `this function manages project "${project}" only`,
        );
    // A project number can only be checked against the secret's own name, read below.
    if (named !== undefined && named !== project && !/^\d+$/.test(named)) throw otherProject();
    if (body.force !== undefined && typeof body.force !== "boolean") {
        throw new Refusal(400, '"force" must be true or false');
    }
    const tracked = await load(deps, id);
    // Secret Manager writes names with the project number, people with the project ID: a full
    // name may use either, but no other project.
    if (
        named !== undefined &&
        named !== project &&
        `projects/${named}/secrets/${id}` !== tracked.key.name
    ) {
        throw otherProject();
    }
    let source: ReturnType<EngineDeps["keySource"]>;
    try {
        source = deps.keySource(tracked.policy);
    } catch (error) {
        throw new Refusal(
            422,
            `secret ${id} cannot be rotated: ${describeError(error, "its rotator is invalid")}`,
        );
    }

    if (source.mode === "manual") {
        const result = await guard(id, () => adopt(deps, tracked, source.checker));
        return { status: result.outcome === "failed" ? 409 : 200, body: { secret: id, ...result } };
    }
    const plan = planSecret(tracked.policy, tracked.state, deps.now(), tracked.key.createTime);
    if (plan.kind === "busy") {
        const until = plan.until.toISOString();
        return {
            status: 409,
            body: {
                secret: id,
                outcome: "busy",
                attemptId: tracked.state.pending?.attemptId,
                message: `a rotation is in progress; its lock expires at ${until}`,
            },
        };
    }
    if (plan.kind === "recover") {
        await guard(id, () => recover(deps, tracked, source));
    }
    if (tracked.state.previous) {
        const until = retireAt(tracked.policy, tracked.state);
        return {
            status: 409,
            body: {
                secret: id,
                outcome: "previous-in-grace",
                message:
                    `version ${tracked.state.previous} is still valid for its grace period until ` +
                    `${until?.toISOString()}; a rotation now would make a third valid key. ` +
                    "Rotate after it is retired.",
            },
        };
    }
    const due = dueAt(tracked.policy, tracked.state, tracked.key.createTime);
    if (body.force !== true && deps.now() < due) {
        return {
            status: 200,
            body: {
                secret: id,
                outcome: "not-due",
                dueAt: due.toISOString(),
                message: `not due until ${due.toISOString()}; send "force": true to rotate now`,
            },
        };
    }
    const result = await guard(id, () => rotate(deps, tracked, source.rotator));
    return { status: result.outcome === "rotated" ? 200 : 502, body: { secret: id, ...result } };
}

/** The secret ID, and the project when a full name was given. */
function secretIdFrom(value: unknown): { id: string; project?: string } {
    if (value === undefined)
        throw new Refusal(400, '"secret" is missing: give the secret ID or its full name');
    if (typeof value !== "string") throw new Refusal(400, '"secret" must be a string');
    const full = /^projects\/([^/]+)\/secrets\/([^/]+)$/.exec(value);
    const id = full ? full[2] : value;
    if (!SECRET_ID.test(id)) {
        throw new Refusal(
            400,
            '"secret" is not a secret ID: use letters, digits, "-" and "_" (at most 255), ' +
                "or projects/PROJECT/secrets/ID",
        );
    }
    return { id, project: full?.[1] };
}

/** Reads the key secret, its policy and its state, refusing secrets this fleet does not manage. */
async function load(deps: EngineDeps, id: string): Promise<Tracked> {
    const key = await deps.store.get(id);
    if (!key) throw new Refusal(404, `secret ${id} does not exist in this project`);
    if (key.labels[FLEET_LABEL] !== deps.fleet) {
        throw new Refusal(
            403,
            `secret ${id} is not managed by fleet "${deps.fleet}" (label ${FLEET_LABEL}): ` +
                "declare it with this fleet's bot component",
        );
    }
    if (key.labels[ROLE_LABEL] !== "key") {
        throw new Refusal(
            400,
            `secret ${id} is a keywarden ${key.labels[ROLE_LABEL] ?? "unlabelled"} secret, ` +
                "not a key: name the key's secret",
        );
    }
    const results: SecretResult[] = [];
    const stateId = (() => {
        try {
            return (
                JSON.parse(key.annotations[POLICY_ANNOTATION] ?? "{}") as { stateSecret?: unknown }
            ).stateSecret;
        } catch {
            return undefined;
        }
    })();
    const stateSecret =
        typeof stateId === "string" && SECRET_ID.test(stateId)
            ? await deps.store.get(stateId)
            : undefined;
    const states = new Map<string, typeof key>();
    if (
        stateSecret &&
        stateSecret.labels[FLEET_LABEL] === deps.fleet &&
        stateSecret.labels[ROLE_LABEL] === "state"
    ) {
        states.set(stateSecret.id, stateSecret);
    }
    const tracked = track(key, states, results, deps.allowLoopback);
    if (!tracked)
        throw new Refusal(
            422,
            `secret ${id} cannot be rotated: ${results[0]?.message ?? "unknown reason"}`,
        );
    return tracked;
}

async function guard<T>(id: string, work: () => Promise<T>): Promise<T> {
    try {
        return await work();
    } catch (error) {
        if (error instanceof Busy)
            throw new Refusal(
                409,
                `secret ${id}: another caller holds the lock; try again shortly`,
            );
        throw error;
    }
}
