/**
 * Concurrent and repeated calls on one secret: the lock (a compare-and-set on the state secret's
 * etag) lets exactly one caller rotate, every other caller gets a clear answer, and a repeated
 * delivery of one scheduled run does that run's work once.
 */
import * as assert from "node:assert/strict";
import { Answer } from "../support/world";
import {
    aliasesOf,
    assertSound,
    DAY,
    KEY_NAME,
    MailBot,
    startMailBot,
    stateOf,
} from "./support/mail-bot";

/** What any one answer may say while another caller rotates the secret. */
const LOSING_MESSAGE = /in progress|holds the lock|grace period|took the lock first/;

const FORCE = { secret: "mail-key", force: true };

/** Every rotation outcome reported in an answer, /rotate and /tick alike. */
function outcomes(answer: Answer): string[] {
    if (Array.isArray(answer.body?.results)) return answer.body.results.map((r: any) => r.outcome);
    return [answer.body?.outcome ?? "none"];
}

/** Each result of a /tick answer as [action, outcome, version]. */
function summary(answer: Answer): unknown[][] {
    return answer.body.results.map((r: any) => [r.action, r.outcome, r.version]);
}

/** Interleaves `count` forced /rotate calls with `count` /tick calls and sends them at once. */
function stampede(bot: MailBot, count: number) {
    const paths = Array.from({ length: count * 2 }, (_, i) => (i % 2 === 0 ? "/rotate" : "/tick"));
    return Promise.all(
        paths.map(async (path) => ({
            path,
            answer: await bot.world.post(path, path === "/rotate" ? FORCE : undefined),
        })),
    );
}

describe("concurrent /rotate and /tick calls on one due secret", () => {
    let bot: MailBot;
    afterEach(async () => bot?.stop());

    for (const latencyMs of [0, 15]) {
        const when = latencyMs ? `with ${latencyMs} ms of Secret Manager latency` : "at full speed";
        it(`create exactly one provider key and publish one version (${when})`, async () => {
            bot = await startMailBot();
            const { world, sendgrid } = bot;
            world.emulator.faults.setLatency("*", latencyMs);
            world.clock.advance(30 * DAY + 1000);

            const answers = await stampede(bot, 10);

            assert.equal(sendgrid.requests.count("create"), 1, "one key is created at SendGrid");
            assert.equal(sendgrid.register.all().length, 2, "the hand-made key and one new key");
            assert.equal(world.emulator.calls.count("AddSecretVersion"), 1, "one version is added");
            const versions = world.emulator.inspect.secret(KEY_NAME)!.versions;
            assert.deepEqual(
                versions.map((v) => v.number),
                [1, 2],
            );
            const all = answers.flatMap(({ answer }) => outcomes(answer));
            assert.equal(all.filter((o) => o === "rotated").length, 1, `one rotated: ${all}`);
            for (const { path, answer } of answers) {
                const shown = `${path} -> ${answer.status} ${JSON.stringify(answer.body)}`;
                assert.ok(answer.status === 200 || answer.status === 409, shown);
                if (answer.status === 409) {
                    assert.match(answer.body.message ?? answer.body.error, LOSING_MESSAGE, shown);
                } else {
                    const settled = outcomes(answer).every((o) => ["rotated", "busy"].includes(o));
                    assert.ok(settled, shown);
                }
            }
            if (latencyMs > 0) {
                // Evidence that the calls overlapped: some caller read the same etag as the
                // winner and lost the compare-and-set on the state secret.
                const lostLock = answers.some(({ answer }) =>
                    /holds the lock/.test(answer.body.error),
                );
                assert.ok(all.includes("busy") || lostLock, `some caller lost the race: ${all}`);
            }
            assert.deepEqual(aliasesOf(world), { current: 2, previous: 1 });
            await assertSound(bot);
        });
    }

    it("refuse a second rotation while the first one's key is in its grace period", async () => {
        bot = await startMailBot();
        assert.equal((await bot.world.post("/rotate", FORCE)).status, 200);
        const answers = await Promise.all(
            Array.from({ length: 5 }, () => bot.world.post("/rotate", FORCE)),
        );
        for (const answer of answers) {
            assert.equal(answer.status, 409);
            assert.equal(answer.body.outcome, "previous-in-grace");
            assert.match(
                answer.body.message,
                /version 1 is still valid for its grace period until 20\d\d-/,
            );
        }
        assert.equal(bot.sendgrid.requests.count("create"), 1);
    });
});

describe("repeated deliveries of one scheduled run", () => {
    const RUN = "2026-07-01T00:00:00Z";
    const NEXT_RUN = "2026-07-01T00:05:00Z";
    const tick = (time: string) =>
        bot.world.post("/tick", undefined, { "X-CloudScheduler-ScheduleTime": time });
    let bot: MailBot;

    /** Rotates once, then moves past both the grace period and the next rotation's due date,
     * so that the run has two things to do (retire, then rotate) and may do only the first. */
    beforeEach(async () => {
        bot = await startMailBot();
        assert.equal((await bot.world.post("/rotate", FORCE)).status, 200);
        bot.world.clock.advance(30 * DAY + 1000);
        bot.world.emulator.calls.reset();
        bot.sendgrid.requests.reset();
    });
    afterEach(async () => bot.stop());

    it("retire once when delivered ten times at once, and rotate on none of them", async () => {
        bot.world.emulator.faults.setLatency("*", 10);
        const answers = await Promise.all(Array.from({ length: 10 }, () => tick(RUN)));

        const results = answers.flatMap((answer) => {
            assert.equal(answer.status, 200, JSON.stringify(answer.body));
            return answer.body.results as Array<{ action: string; outcome: string }>;
        });
        const shown = JSON.stringify(results);
        assert.equal(results.filter((r) => r.outcome === "retired").length, 1, shown);
        const allowed = ["retired", "busy", "duplicate"];
        assert.ok(
            results.every((r) => allowed.includes(r.outcome)),
            shown,
        );
        assert.equal(
            bot.world.emulator.calls.count("DisableSecretVersion"),
            1,
            "version 1 is disabled once",
        );
        assert.equal(bot.sendgrid.requests.count("create"), 0, "the run does not also rotate");
        assert.equal(stateOf(bot.world).lastSchedule, new Date(RUN).toISOString());
    });

    it("do the work once when delivered again later, and the next run does the rest", async () => {
        assert.deepEqual(summary(await tick(RUN)), [["retire", "retired", "1"]]);

        const again = await tick(RUN);
        assert.deepEqual(summary(again), [["rotate", "duplicate", undefined]]);
        assert.match(
            again.body.results[0].message,
            /already handled by the run scheduled at 2026-07-01T00:00:00/,
        );
        assert.equal(bot.sendgrid.requests.count("create"), 0, "a repeated delivery makes no key");

        assert.deepEqual(summary(await tick(NEXT_RUN)), [["rotate", "rotated", "3"]]);
        assert.equal(bot.sendgrid.requests.count("create"), 1);
        await assertSound(bot);
    });
});
