/**
 * Secret Manager failing (UNAVAILABLE) on each call the protocol makes, and answering slowly.
 * Every case ends in a retried success or a clean failure: the key bots read keeps working, the
 * failure is logged (and, when it stops one secret's step, sent to Slack), the state always
 * decodes, an attempt cut short is finished or undone by the first tick after its lease, and the
 * secret then rotates normally.
 */
import * as assert from "node:assert/strict";
import { SecretManagerMethod } from "../../standins/secret-manager";
import { failNthCall } from "./support/emulator-faults";
import {
    assertNoKeyMaterial,
    assertSound,
    DAY,
    events,
    MailBot,
    startMailBot,
    stateOf,
    writeCalls,
} from "./support/mail-bot";

const LEASE_MS = 60_000;
const FORCE = { secret: "mail-key", force: true };

interface Row {
    /** The protocol step, and the call that fails (the Nth of its method, counted from the
     * start of the rotation or retirement). */
    step: string;
    method: SecretManagerMethod;
    nth?: number;
    /**
     * - `refused`: the whole request fails (500) before anything is written;
     * - `stopped`: the step fails; `pending` says which attempt step is left locked, if any;
     * - `retried`: the client retries the call and the rotation succeeds.
     */
    expect: "refused" | "stopped" | "retried";
    pending?: "locked" | "created" | "publishing";
    /** What the first tick after the lease does with the left-over attempt. */
    recovery?: "undone" | "finished";
}

const ROTATION_ROWS: Row[] = [
    { step: "listing the fleet", method: "ListSecrets", expect: "refused" },
    { step: "taking the lock", method: "UpdateSecret", nth: 1, expect: "stopped" },
    {
        step: "recording the key ID",
        method: "UpdateSecret",
        nth: 2,
        expect: "stopped",
        pending: "locked",
        recovery: "undone",
    },
    {
        step: "recording the checksum",
        method: "UpdateSecret",
        nth: 3,
        expect: "stopped",
        pending: "created",
        recovery: "undone",
    },
    {
        step: "adding the version",
        method: "AddSecretVersion",
        expect: "stopped",
        pending: "publishing",
        recovery: "undone",
    },
    {
        step: "finding the hand-made version",
        method: "ListSecretVersions",
        expect: "stopped",
        pending: "publishing",
        recovery: "finished",
    },
    {
        step: "re-reading the key secret",
        method: "GetSecret",
        expect: "stopped",
        pending: "publishing",
        recovery: "finished",
    },
    {
        step: "moving the aliases",
        method: "UpdateSecret",
        nth: 4,
        expect: "stopped",
        pending: "publishing",
        recovery: "finished",
    },
    {
        step: "committing the promotion",
        method: "UpdateSecret",
        nth: 5,
        expect: "stopped",
        pending: "publishing",
        recovery: "finished",
    },
    { step: "reading the admin credential", method: "AccessSecretVersion", expect: "retried" },
];

const RETIREMENT_ROWS: Row[] = [
    { step: "taking the lock", method: "UpdateSecret", expect: "stopped" },
    { step: "re-reading the aliases", method: "GetSecret", expect: "stopped" },
    { step: "disabling the version", method: "DisableSecretVersion", expect: "stopped" },
    { step: "destroying the version", method: "DestroySecretVersion", expect: "stopped" },
];

const title = (row: Row) => `${row.step} (${row.method}${row.nth ? ` ${row.nth}` : ""})`;

async function tick(bot: MailBot) {
    const answer = await bot.world.post("/tick");
    const results: any[] = answer.body.results ?? [];
    return {
        status: answer.status,
        body: answer.body,
        results,
        summary: results.map((r) => [r.action, r.outcome]),
    };
}

/** Arms the row's fault and checks afterwards that the aimed call happened. */
async function tickWithFault(bot: MailBot, row: Row) {
    const fault = failNthCall(bot.world.emulator, row.method, row.nth ?? 1);
    const answer = await tick(bot);
    assert.ok(fault.fired(), `call ${row.nth ?? 1} of ${row.method} happened and failed`);
    return answer;
}

/** The key bots read (`latest`) works at the provider. */
async function assertBotsKeyWorks(bot: MailBot) {
    const key = bot.sendgrid.register.findBySecret(await bot.world.read("mail-key", "latest"));
    assert.ok(key && bot.sendgrid.register.isValid(key), "the key bots read works");
}

describe("Secret Manager unavailable during a rotation", () => {
    let bot: MailBot;
    beforeEach(async () => {
        bot = await startMailBot({ slack: true, world: { leaseMs: LEASE_MS } });
        bot.world.clock.advance(30 * DAY + 1000);
    });
    afterEach(async () => bot.stop());

    for (const row of ROTATION_ROWS) {
        const ending =
            row.expect === "retried"
                ? "a retried success"
                : row.recovery
                  ? `a clean failure, ${row.recovery} after the lease`
                  : "a clean failure";
        it(`${title(row)}: ends in ${ending}`, async () => {
            const { world, sendgrid } = bot;
            const first = await tickWithFault(bot, row);
            if (row.expect === "retried") {
                assert.deepEqual(first.summary, [["rotate", "rotated"]]);
                await assertSound(bot);
                return;
            }
            if (row.expect === "refused") {
                assert.equal(first.status, 500);
                assert.match(first.body.error, /^the request failed: 14 UNAVAILABLE/);
                assert.equal(writeCalls(world), 0, "nothing was written");
            } else {
                assert.deepEqual(first.summary, [["rotate", "error"]]);
                assert.match(first.results[0].message, /UNAVAILABLE/);
                const [message] = await bot.slack!.waitForMessages(1);
                assert.match(String(message.body.text), /^Key rotation stopped for mail-bot/);
            }
            const failure = row.expect === "refused" ? "tick.failed" : "rotation.failed";
            assert.equal(events(world, failure).length, 1, `one ${failure} line`);
            assert.equal(stateOf(world).pending?.step, row.pending, "the attempt step left locked");
            await assertBotsKeyWorks(bot);
            if (!row.pending) assert.equal(sendgrid.register.all().length, 1, "no key was made");

            if (row.recovery) {
                assert.deepEqual(
                    (await tick(bot)).summary,
                    [["busy", "busy"]],
                    "left alone until the lease ends",
                );
                world.clock.advance(LEASE_MS);
                assert.deepEqual((await tick(bot)).summary, [["recover", row.recovery]]);
                assert.equal(stateOf(world).pending, undefined, "no attempt stuck after the lease");
                await assertSound(bot);
            }
            if (row.recovery !== "finished") {
                assert.deepEqual((await tick(bot)).summary, [["rotate", "rotated"]]);
            }
            assert.equal(stateOf(world).current, "2");
            assert.equal(sendgrid.register.validNow().length, 2, "the new key and the old one");
            await assertSound(bot);
            assertNoKeyMaterial(bot);
        });
    }

    it("answering every call 40 ms late: rotates and retires as usual", async () => {
        bot.world.emulator.faults.setLatency("*", 40);
        assert.deepEqual((await tick(bot)).summary, [["rotate", "rotated"]]);
        bot.world.clock.advance(2 * DAY);
        assert.deepEqual((await tick(bot)).summary, [["retire", "retired"]]);
        await assertSound(bot);
    });

    it("reading the secret for /rotate (GetSecret): refuses with 500, writes nothing", async () => {
        const fault = failNthCall(bot.world.emulator, "GetSecret", 1);
        const answer = await bot.world.post("/rotate", FORCE);
        assert.ok(fault.fired());
        assert.equal(answer.status, 500);
        assert.match(answer.body.error, /^the request failed: 14 UNAVAILABLE/);
        assert.equal(writeCalls(bot.world), 0);
        assert.equal(bot.sendgrid.requests.count("create"), 0);
        assert.equal((await bot.world.post("/rotate", FORCE)).status, 200);
    });
});

describe("Secret Manager unavailable during a retirement", () => {
    let bot: MailBot;
    beforeEach(async () => {
        bot = await startMailBot({ slack: true, world: { leaseMs: LEASE_MS } });
        assert.equal((await bot.world.post("/rotate", FORCE)).status, 200);
        bot.world.clock.advance(2 * DAY);
        bot.slack!.clear();
        bot.world.emulator.calls.reset();
    });
    afterEach(async () => bot.stop());

    for (const row of RETIREMENT_ROWS) {
        it(`${title(row)}: ends in a clean failure, retried by the next tick`, async () => {
            const { world } = bot;
            const [first] = (await tickWithFault(bot, row)).results;
            // A refused provider or version call ends as `failed`; a failed lock as `error`.
            assert.deepEqual([first.action, first.version ?? "1"], ["retire", "1"]);
            assert.ok(["failed", "error"].includes(first.outcome), JSON.stringify(first));
            assert.match(first.message, /UNAVAILABLE/);
            const logged = ["retirement.failed", "rotation.failed"].flatMap((event) =>
                events(world, event),
            );
            assert.equal(logged.length, 1);
            const [message] = await bot.slack!.waitForMessages(1);
            assert.match(
                String(message.body.text),
                /^Retiring the previous key (failed|stopped) for mail-bot/,
            );
            const state = stateOf(world);
            assert.deepEqual([state.pending, state.current, state.previous], [undefined, "2", "1"]);
            const current = await world.read("mail-key", "current");
            assert.equal(current, await world.read("mail-key", "2"));
            await assertBotsKeyWorks(bot);

            const [again] = (await tick(bot)).results;
            assert.deepEqual(
                [again.action, again.outcome, again.version],
                ["retire", "retired", "1"],
            );
            assert.equal(stateOf(world).previous, undefined);
            await assertSound(bot);
        });
    }
});
