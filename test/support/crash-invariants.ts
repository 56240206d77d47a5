/**
 * What must hold after any crash, once the function has been given ticks to recover (issue 2):
 * exactly one current key is published and valid, at most one other key is valid and only as
 * the previous key within its grace period, and every key the provider ever issued is current,
 * previous, revoked, or named in an `orphan.unresolved` alert. Checked against the ground truth
 * (the fake's key register, the emulator's stored versions) and through the official client, as
 * a bot reads its key. Messages name keys by ID and name only, never by their value.
 */
import * as assert from "node:assert/strict";
import type { RotationState } from "../../functions/rotator/state/types";
import type { IssuedKey } from "../../standins/providers";
import type { LogLine } from "./crash-function";
import { CrashWorld, GRACE_MS, KEY_NAME } from "./crash-world";

/** A published version as bots read it, and the provider's record of its key. */
interface Published {
    version: string;
    key: IssuedKey | undefined;
}

/**
 * Checks every invariant and fails with all violations at once. `decidedAt` is when the tick or
 * rotation that produced the state started: a previous key may be kept only if its grace period
 * had not ended by then.
 */
export async function assertSettled(world: CrashWorld, moment: string, decidedAt: number) {
    const problems: string[] = [];
    const state = world.state();
    if (state.pending) {
        const { attemptId, step } = state.pending;
        problems.push(`attempt ${attemptId} is still pending at step ${step}`);
    }
    const [secret] = await world.client.getSecret({ name: KEY_NAME });
    const aliases: Record<string, string | undefined> = Object.fromEntries(
        Object.entries(secret.versionAliases ?? {}).map(([alias, n]) => [alias, String(n)]),
    );
    const current = await checkCurrent(world, state, aliases.current, problems);
    const previous = await checkPrevious(world, state, aliases.previous, decidedAt, problems);

    const allowed = [current?.version, previous?.version];
    const stray = world.emulator.inspect
        .secret(KEY_NAME)!
        .versions.filter((v) => v.state === "ENABLED" && !allowed.includes(String(v.number)))
        .map((v) => v.number);
    if (stray.length > 0) {
        problems.push(`versions ${stray.join(", ")} are enabled but neither current nor previous`);
    }
    checkEveryKey(world, current?.key, previous?.key, problems);
    if (problems.length > 0) {
        assert.fail(`${world.provider}, ${moment}:\n- ${problems.join("\n- ")}`);
    }
}

/** The current version equals latest, matches the state, and holds a valid key. */
async function checkCurrent(
    world: CrashWorld,
    state: RotationState,
    alias: string | undefined,
    problems: string[],
): Promise<Published | undefined> {
    const latest = await read(world, "latest");
    // Until keywarden promotes a version there is no current alias: bots read latest, which
    // is the hand-made first version.
    const neverPromoted = alias === undefined && state.current === undefined;
    if (alias === undefined && !neverPromoted) {
        problems.push(`the state says version ${state.current} is current, but there is no alias`);
        return undefined;
    }
    const current = neverPromoted ? latest : await read(world, "current");
    if (current.version !== latest.version) {
        problems.push(`current is version ${current.version}, latest is version ${latest.version}`);
    }
    if (!neverPromoted && state.current !== current.version) {
        problems.push(`the state says version ${state.current} is current, the alias ${alias}`);
    }
    if (!current.key) {
        problems.push(`current version ${current.version} holds no key the provider issued`);
    } else if (!world.fake.register.isValid(current.key)) {
        problems.push(
            `current version ${current.version} holds key ${current.key.id}, which the ` +
                `provider no longer accepts (${world.fake.register.stateOf(current.key)})`,
        );
    }
    return current;
}

/** A previous version is the state's, within its grace period, and its key still works. */
async function checkPrevious(
    world: CrashWorld,
    state: RotationState,
    alias: string | undefined,
    decidedAt: number,
    problems: string[],
): Promise<Published | undefined> {
    if (alias !== state.previous) {
        problems.push(`the previous alias is ${alias}, the state says ${state.previous}`);
        return undefined;
    }
    if (!state.previous) return undefined;
    const previous = await read(world, "previous");
    const graceEnds = Date.parse(state.previousSince ?? "") + GRACE_MS;
    if (!(graceEnds > decidedAt)) {
        problems.push(`previous version ${state.previous} is kept past its grace period`);
    }
    if (!previous.key || !world.fake.register.isValid(previous.key)) {
        problems.push(`previous version ${state.previous} stopped working within its grace period`);
    }
    return previous;
}

/**
 * Every key the provider ever issued is current, previous, revoked, or named in an orphan
 * alert; and besides the current key, at most one key that no alert names still works.
 */
function checkEveryKey(
    world: CrashWorld,
    current: IssuedKey | undefined,
    previous: IssuedKey | undefined,
    problems: string[],
) {
    const { register } = world.fake;
    const alerts = world.logs.filter((line) => line.event === "orphan.unresolved");
    let otherValid = 0;
    for (const key of register.all()) {
        if (key.id === current?.id) continue;
        const alerted = alerts.some((line) => namesKey(line, key));
        if (register.isValid(key) && !alerted) otherValid += 1;
        if (key.id === previous?.id || key.revokedAt !== undefined || alerted) continue;
        problems.push(
            `key ${key.id} named "${key.name}" is ${register.stateOf(key)} but neither ` +
                "current, previous within its grace period, revoked, nor named in an alert",
        );
    }
    if (otherValid > 1) problems.push(`${otherValid} keys besides the current one are valid`);
}

/** Whether an orphan alert names this key: by ID, by name, or by the attempt in its name. */
function namesKey(line: LogLine, key: IssuedKey): boolean {
    if (line.keyId === key.id || line.keyName === key.name) return true;
    return typeof line.attemptId === "string" && key.name.endsWith(`-${line.attemptId}`);
}

/** Reads a version the way a bot does (through the official client), and finds its key. */
async function read(world: CrashWorld, version: string): Promise<Published> {
    const [response] = await world.client.accessSecretVersion({
        name: `${KEY_NAME}/versions/${version}`,
    });
    const payload = Buffer.from(response.payload!.data as Uint8Array).toString("utf8");
    const number = String(response.name).split("/").pop()!;
    return { version: number, key: world.fake.register.findBySecret(payload) };
}
