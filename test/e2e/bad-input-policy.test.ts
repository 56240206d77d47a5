/**
 * Invalid policies and states, written straight into Secret Manager with the client (as a hand
 * edit or a broken deployment would): `/rotate` answers 422 naming the problem, `/tick` skips
 * the secret with a `policy.invalid` line, and neither writes anything or calls the provider.
 */
import * as assert from "node:assert/strict";
import { FLEET_LABEL, POLICY_ANNOTATION, ROLE_LABEL } from "../../functions/rotator/policy/types";
import { STATE_ANNOTATION } from "../../functions/rotator/state/types";
import { FLEET, PROJECT, World } from "../support/world";
import { DAY, events, KEY_NAME, MailBot, startMailBot, writeCalls } from "./support/mail-bot";

interface Row {
    name: string;
    /** The policy annotation: JSON text, or changes to mail-key's policy; undefined: none. */
    policy: string | Record<string, unknown> | undefined;
    /** The state secret, when not a fresh one of this fleet: its annotations, its fleet, or
     * none at all. */
    state?: { annotations?: Record<string, string>; fleet?: string; missing?: boolean };
    says: string;
}

const NO_STATE_SECRET = "does not exist or is not labelled keywarden-role=state for this fleet";
const admin = { Authorization: "Bearer {{admin}}" };

/** A spec whose revoke call would carry the admin credential to a second host. */
const LEAKY_SPEC = {
    label: "Mailer",
    create: {
        method: "POST",
        url: "https://api.mailer.example/keys",
        headers: admin,
        keyPath: "key",
        keyIdPath: "id",
    },
    verify: {
        method: "GET",
        url: "https://api.mailer.example/me",
        headers: { Authorization: "Bearer {{key}}" },
    },
    revoke: { method: "DELETE", url: "https://collector.example/keys/{{keyId}}", headers: admin },
};

const ROWS: Row[] = [
    {
        name: "a policy that is not JSON",
        policy: "{rotator: sendgrid",
        says: "the policy annotation is not valid JSON: rewrite it with `pulumi up`",
    },
    {
        name: "no policy annotation",
        policy: undefined,
        says: "it has no keywarden-policy annotation: declare it with the bot component",
    },
    { name: "a policy that is an array", policy: "[]", says: "the policy must be a JSON object" },
    { name: "a policy of an unknown schema", policy: { schema: 2 }, says: "schema must be 1" },
    {
        name: "an unknown policy field",
        policy: { rotationPeriods: "30d" },
        says: "rotationPeriods is not a policy field: remove it",
    },
    {
        name: "an unknown rotator",
        policy: { rotator: { kind: "ftp" } },
        says: 'rotator.kind is "ftp": use one of http, google-api-key',
    },
    {
        name: "an unknown preset",
        policy: { rotator: { kind: "http", preset: "mailgun" } },
        says: 'rotator.preset is "mailgun", which is not a bundled preset',
    },
    {
        name: "a grace period as long as the rotation period",
        policy: { gracePeriod: "30d" },
        says: "gracePeriod (30d) must be shorter than rotationPeriod (30d)",
    },
    {
        name: "a duration that cannot be read",
        policy: { rotationPeriod: "30 days" },
        says: 'rotationPeriod "30 days" is not a duration: use a whole number and a unit',
    },
    {
        name: "a health URL over http",
        policy: { healthUrl: "http://bot.example.com/healthz" },
        says: 'healthUrl must use https (got "http://")',
    },
    {
        name: "no admin secret for a rotator that needs one",
        policy: { adminSecret: undefined },
        says: "adminSecret is missing",
    },
    {
        name: "an admin credential sent to another host",
        policy: { rotator: { kind: "http", spec: LEAKY_SPEC } },
        says: "the admin credential may only go to the create URL's host (api.mailer.example)",
    },
    {
        name: "a state secret that does not exist",
        policy: {},
        state: { missing: true },
        says: NO_STATE_SECRET,
    },
    {
        name: "a state secret of another fleet",
        policy: {},
        state: { fleet: "other-fleet" },
        says: NO_STATE_SECRET,
    },
    {
        name: "a state annotation that is not JSON",
        policy: {},
        state: { annotations: { [STATE_ANNOTATION]: "{oops" } },
        says: "the keywarden-state annotation is not JSON: it was edited by hand",
    },
    {
        name: "a state annotation of an unknown shape",
        policy: {},
        state: { annotations: { [STATE_ANNOTATION]: '{"schema":9}' } },
        says: "the keywarden-state annotation has an unknown shape",
    },
];

/** Declares key secret `id` (and its state secret) as the row describes. */
async function declare(world: World, id: string, row: Row) {
    const key = world.emulator.inspect.secret(KEY_NAME)!;
    const base = JSON.parse(key.annotations[POLICY_ANNOTATION]);
    const policy =
        typeof row.policy === "object"
            ? JSON.stringify({ ...base, stateSecret: `${id}-state`, ...row.policy })
            : row.policy;
    const parent = `projects/${PROJECT}`;
    const replication = { automatic: {} };
    await world.client.createSecret({
        parent,
        secretId: id,
        secret: {
            replication,
            labels: { [FLEET_LABEL]: FLEET, [ROLE_LABEL]: "key" },
            annotations: policy === undefined ? {} : { [POLICY_ANNOTATION]: policy },
        },
    });
    if (row.state?.missing) return;
    await world.client.createSecret({
        parent,
        secretId: `${id}-state`,
        secret: {
            replication,
            labels: { [FLEET_LABEL]: row.state?.fleet ?? FLEET, [ROLE_LABEL]: "state" },
            annotations: row.state?.annotations ?? {},
        },
    });
}

describe("invalid policies and states: refused by name, nothing written", () => {
    let bot: MailBot;

    before(async () => {
        bot = await startMailBot();
        for (const [index, row] of ROWS.entries()) await declare(bot.world, `broken-${index}`, row);
    });
    after(async () => bot.stop());

    for (const [index, row] of ROWS.entries()) {
        it(`${row.name}: /rotate answers 422`, async () => {
            bot.world.emulator.calls.reset();
            bot.sendgrid.requests.reset();
            const secret = `broken-${index}`;
            const answer = await bot.world.post("/rotate", { secret, force: true });
            assert.equal(answer.status, 422, JSON.stringify(answer.body));
            const error: string = answer.body.error;
            assert.ok(error.startsWith(`secret ${secret} cannot be rotated: `), error);
            assert.ok(error.includes(row.says), `"${error}" should say "${row.says}"`);
            assert.equal(writeCalls(bot.world), 0, "no Secret Manager write");
            assert.equal(bot.sendgrid.requests.total(), 0, "no provider call");
        });
    }

    it("/tick skips each broken secret with a policy.invalid line, serves the rest", async () => {
        const { inspect } = bot.world.emulator;
        const etags = () =>
            inspect
                .secretNames()
                .filter((name) => name.includes("/broken-"))
                .map((name) => inspect.secret(name)!.etag);
        const before = etags();
        bot.world.clock.advance(31 * DAY);
        const answer = await bot.world.post("/tick");
        assert.equal(answer.status, 200);
        const results = new Map<string, any>(answer.body.results.map((r: any) => [r.secret, r]));
        for (const [index, row] of ROWS.entries()) {
            const result = results.get(`broken-${index}`);
            assert.deepEqual([result?.action, result?.outcome], ["skip", "invalid"], row.name);
            assert.ok(result.message.includes(row.says), `${row.name}: "${result.message}"`);
        }
        const invalid = events(bot.world, "policy.invalid").map((line) => line.secret);
        for (const index of ROWS.keys()) assert.ok(invalid.includes(`broken-${index}`));
        assert.equal(results.get("mail-key")?.outcome, "rotated", "the others are still served");
        assert.deepEqual(etags(), before, "no broken secret (or its state secret) was written");
        assert.equal(bot.sendgrid.requests.count("create"), 1, "only mail-key's key was created");
    });
});
