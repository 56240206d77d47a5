/**
 * Provider faults while the previous key is revoked at the end of its grace period: a retried
 * success, or a clean failure that keeps the previous version enabled and recorded, logs
 * `retirement.failed`, tells Slack, never touches the current key, and is retried by the next
 * tick until the key is revoked.
 */
import * as assert from "node:assert/strict";
import { Fault, IssuedKey } from "../../standins/providers";
import {
    aliasesOf,
    assertNoKeyMaterial,
    assertSound,
    DAY,
    events,
    KEY_NAME,
    MailBot,
    startMailBot,
    stateOf,
} from "./support/mail-bot";

interface Row {
    title: string;
    fault: Fault;
    count?: number;
    /** A fragment of the failure message, or "retired" for a retried success. */
    expect: "retired" | RegExp;
    waited?: number[];
}

const ROWS: Row[] = [
    { title: "revoke answers 500 once", fault: { kind: "server-error" }, expect: "retired" },
    {
        title: "revoke answers 429 with Retry-After: 1",
        expect: "retired",
        waited: [1000],
        fault: { kind: "rate-limit", retryAfterSeconds: 1 },
    },
    { title: "revoke hangs once", fault: { kind: "hang" }, expect: "retired" },
    {
        title: "revoke deletes the key, then answers 502",
        fault: { kind: "orphan" },
        expect: "retired",
    },
    {
        title: "revoke answers 429 asking to wait two minutes",
        expect: /asked to wait 120 s/,
        fault: { kind: "rate-limit", retryAfterSeconds: 120 },
    },
    {
        title: "revoke keeps answering 503",
        fault: { kind: "server-error", status: 503 },
        count: 4,
        expect: /gave up after 4 attempts; the last answer was HTTP 503/,
    },
];

interface Result {
    action: string;
    outcome: string;
    version?: string;
    message?: string;
}

async function tick(bot: MailBot): Promise<Result[]> {
    const answer = await bot.world.post("/tick");
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body.results;
}

const summary = (result: Result) => [result.action, result.outcome, result.version];

describe("provider faults while the previous key is revoked", () => {
    let bot: MailBot;
    let waited: number[];
    /** The key of version 2: keywarden made it, so retiring version 2 revokes it by its ID. */
    let previousKey: IssuedKey;

    beforeEach(async () => {
        waited = [];
        const sleep = async (ms: number) => void waited.push(ms);
        bot = await startMailBot({ slack: true, world: { outbound: { timeoutMs: 300, sleep } } });
        const { world } = bot;
        const first = await world.post("/rotate", { secret: "mail-key", force: true });
        assert.equal(first.status, 200);
        world.clock.advance(2 * DAY);
        assert.deepEqual(summary((await tick(bot))[0]), ["retire", "retired", "1"]);
        world.clock.advance(28 * DAY);
        assert.deepEqual(summary((await tick(bot))[0]), ["rotate", "rotated", "3"]);
        world.clock.advance(2 * DAY);
        previousKey = bot.sendgrid.register.findBySecret(await world.read("mail-key", "previous"))!;
        bot.slack!.clear();
        bot.sendgrid.requests.reset();
        waited.length = 0;
    });
    afterEach(async () => bot.stop());

    for (const row of ROWS) {
        const ending =
            row.expect === "retired"
                ? "a retried success"
                : "a clean failure, retried by the next tick";
        it(`${row.title}: ends in ${ending}`, async () => {
            const { world, sendgrid } = bot;
            const current = await world.read("mail-key", "current");
            sendgrid.faults.inject("revoke", row.fault, row.count);
            const [result] = await tick(bot);

            if (row.expect === "retired") {
                assert.deepEqual(summary(result), ["retire", "retired", "2"]);
                if (row.waited)
                    assert.deepEqual(
                        waited.filter((ms) => ms >= 1000),
                        row.waited,
                    );
            } else {
                assert.deepEqual(summary(result), ["retire", "failed", "2"]);
                assert.match(result.message!, row.expect);
                await assertCleanFailure();
                assert.deepEqual(summary((await tick(bot))[0]), ["retire", "retired", "2"]);
            }
            assert.equal(sendgrid.register.isValid(previousKey), false, "the old key is revoked");
            const currentKey = sendgrid.register.findBySecret(current)!;
            assert.ok(sendgrid.register.isValid(currentKey), "the current key is untouched");
            assert.deepEqual(aliasesOf(world), { current: 3 });
            assert.equal(world.emulator.inspect.version(KEY_NAME, 2)!.state, "DESTROYED");
            assert.ok(stateOf(world).versions["2"].retiredAt, "the retirement is recorded");
            await assertSound(bot);
            assertNoKeyMaterial(bot);
        });
    }

    async function assertCleanFailure() {
        const { world, sendgrid, slack } = bot;
        const state = stateOf(world);
        assert.deepEqual([state.pending, state.current, state.previous], [undefined, "3", "2"]);
        assert.equal(state.lastResult?.outcome, "failed");
        assert.ok(sendgrid.register.isValid(previousKey), "the previous key was not revoked");
        assert.deepEqual(aliasesOf(world), { current: 3, previous: 2 }, "2 keeps its alias");
        assert.equal(world.emulator.inspect.version(KEY_NAME, 2)!.state, "ENABLED");
        const failed = events(world, "retirement.failed");
        assert.deepEqual(
            failed.map((line) => [line.secret, line.version, line.keyId]),
            [["mail-key", "2", previousKey.id]],
        );
        const [message] = await slack!.waitForMessages(1);
        const text = String(message.body.text);
        assert.match(text, /^Retiring the previous key failed for mail-bot/);
        assert.match(text, /Version 2 stays enabled; the current key is unaffected/);
        await assertSound(bot);
    }
});
