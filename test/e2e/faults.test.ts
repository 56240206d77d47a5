/**
 * Provider faults while a key is created and verified: each ends in a retried success or in a
 * clean failure. A clean failure leaves the current key unchanged and working, logs
 * `rotation.failed`, tells Slack, leaves no pending attempt, accounts for every key the provider
 * made (revoked, or named in an `orphan.unresolved` alert), and the next due tick rotates.
 */
import * as assert from "node:assert/strict";
import { Fault } from "../../standins/providers";
import {
    assertNoKeyMaterial,
    assertSound,
    DAY,
    events,
    MailBot,
    startMailBot,
    stateOf,
} from "./support/mail-bot";

type Operation = "create" | "verify" | "revoke" | "list";

interface Arm {
    operation: Operation;
    fault: Fault;
    count?: number;
}

/** What became of a key the provider made during a failed rotation. */
type Orphan = "none" | "revoked" | "unresolved";

interface Row {
    title: string;
    arm: Arm[];
    /** A fragment of the failure message, or "rotated" for a retried success. */
    expect: "rotated" | RegExp;
    orphan?: Orphan;
    /** Why the alert could not settle the leftover key, when it is part of the guarantee. */
    unresolvedBecause?: string;
    /** Delays the outbound client waited, when they are part of the guarantee (Retry-After). */
    waited?: number[];
}

const on = (operation: Operation, fault: Fault, count?: number): Arm => ({
    operation,
    fault,
    count,
});
const KEEPS_FAILING = 12; // 3 verify tries, each with 4 attempts by the outbound client

const ORPHAN_WORDS: Record<Orphan, string> = {
    none: "no key made",
    revoked: "its key revoked",
    unresolved: "its key named in an alert",
};

const ROWS: Row[] = [
    {
        title: "create answers 429 with Retry-After: 1",
        expect: "rotated",
        waited: [1000],
        arm: [on("create", { kind: "rate-limit", retryAfterSeconds: 1 })],
    },
    {
        title: "create answers 429 asking to wait two minutes",
        orphan: "none",
        arm: [on("create", { kind: "rate-limit", retryAfterSeconds: 120 })],
        expect: /asked to wait 120 s/,
    },
    {
        title: "create answers 500",
        orphan: "none",
        arm: [on("create", { kind: "server-error" })],
        expect: /create answered HTTP 500: the provider failed/,
    },
    {
        title: "create hangs",
        orphan: "none",
        arm: [on("create", { kind: "hang" })],
        expect: /no complete answer within 300 ms/,
    },
    {
        title: "create answers a body cut in half",
        orphan: "revoked",
        arm: [on("create", { kind: "malformed-body" })],
        expect: /without a key at "api_key"/,
    },
    {
        title: "create answers without the key",
        orphan: "revoked",
        arm: [on("create", { kind: "missing-key" })],
        expect: /without a key at "api_key"/,
    },
    {
        title: "create makes the key, then answers 502",
        orphan: "revoked",
        arm: [on("create", { kind: "orphan" })],
        expect: /create answered HTTP 502/,
    },
    {
        title: "create makes the key, then resets the connection",
        orphan: "revoked",
        arm: [on("create", { kind: "orphan", after: "reset" })],
        expect: /ECONNRESET/,
    },
    {
        title: "create makes the key and answers 502, and the key list fails too",
        orphan: "unresolved",
        expect: /create answered HTTP 502/,
        unresolvedBecause:
            "the provider's key list could not be read to its end: SendGrid list got no " +
            "usable answer",
        arm: [on("create", { kind: "orphan" }), on("list", { kind: "server-error" }, 4)],
    },
    {
        title: "verify answers 500 once",
        expect: "rotated",
        arm: [on("verify", { kind: "server-error" })],
    },
    { title: "verify hangs once", expect: "rotated", arm: [on("verify", { kind: "hang" })] },
    {
        title: "verify answers 429 with Retry-After: 1",
        expect: "rotated",
        waited: [1000],
        arm: [on("verify", { kind: "rate-limit", retryAfterSeconds: 1 })],
    },
    {
        title: "verify keeps answering 500",
        orphan: "revoked",
        expect: /did not pass its check/,
        arm: [on("verify", { kind: "server-error" }, KEEPS_FAILING)],
    },
    {
        title: "verify keeps answering 500, and revoking the new key fails too",
        orphan: "unresolved",
        expect: /did not pass its check/,
        arm: [
            on("verify", { kind: "server-error" }, KEEPS_FAILING),
            on("revoke", { kind: "server-error" }, 4),
        ],
    },
];

describe("provider faults while a key is created and verified", () => {
    let bot: MailBot;
    let waited: number[];

    beforeEach(async () => {
        waited = [];
        // A short timeout makes hangs cheap; the recording sleep makes Retry-After visible
        // without waiting it out.
        const sleep = async (ms: number) => void waited.push(ms);
        bot = await startMailBot({ slack: true, world: { outbound: { timeoutMs: 300, sleep } } });
    });
    afterEach(async () => bot.stop());

    for (const row of ROWS) {
        const ending =
            row.expect === "rotated"
                ? "a retried success"
                : `a clean failure (${ORPHAN_WORDS[row.orphan!]})`;
        it(`${row.title}: ends in ${ending}`, async () => {
            const { world, sendgrid } = bot;
            for (const arm of row.arm) sendgrid.faults.inject(arm.operation, arm.fault, arm.count);
            const answer = await world.post("/rotate", { secret: "mail-key", force: true });

            if (row.expect === "rotated") {
                assert.equal(answer.status, 200, JSON.stringify(answer.body));
                assert.equal(answer.body.outcome, "rotated");
                assert.equal(sendgrid.register.all().length, 2, "exactly one new key");
                if (row.waited)
                    assert.deepEqual(
                        waited.filter((ms) => ms >= 1000),
                        row.waited,
                    );
                await bot.slack!.waitForMessages(1);
                await assertSound(bot);
                return;
            }
            assert.equal(answer.status, 502, JSON.stringify(answer.body));
            assert.equal(answer.body.outcome, "failed");
            assert.match(answer.body.message, row.expect);
            await assertCleanFailure(answer.body.attemptId, row.orphan!, row.unresolvedBecause);
        });
    }

    async function assertCleanFailure(attemptId: string, orphan: Orphan, because?: string) {
        const { world, sendgrid, slack } = bot;
        assert.equal(
            await world.read("mail-key", "latest"),
            bot.initial.secret,
            "the current key is unchanged",
        );
        assert.ok(sendgrid.register.isValid(bot.initial), "and still works");
        const state = stateOf(world);
        assert.deepEqual(
            [state.pending, state.failures, state.lastResult?.outcome],
            [undefined, 1, "failed"],
        );
        const failed = events(world, "rotation.failed");
        assert.deepEqual(
            failed.map((line) => [line.secret, line.attemptId]),
            [["mail-key", attemptId]],
        );

        const made = sendgrid.register.all().filter((key) => key.name.includes(attemptId));
        const unresolved = events(world, "orphan.unresolved");
        assert.equal(made.length, orphan === "none" ? 0 : 1, "keys the provider made");
        if (orphan === "revoked") {
            assert.ok(made[0].revokedAt !== undefined, "the key the provider made is revoked");
            assert.equal(events(world, "orphan.revoked")[0]?.keyId, made[0].id);
        }
        assert.deepEqual(
            unresolved.map((line) => line.attemptId),
            orphan === "unresolved" ? [attemptId] : [],
            "alerts naming a leftover key",
        );
        if (because !== undefined) {
            assert.ok(unresolved[0].message.includes(because), unresolved[0].message);
        }

        // The fallback text says what happened; the attempt ID is in the field table.
        const messages = await slack!.waitForMessages(orphan === "unresolved" ? 2 : 1);
        const texts = messages.map((m) => JSON.stringify(m.body));
        const sent = (title: string, id: string) =>
            texts.some((t) => t.includes(`"text":"${title}`) && t.includes(id));
        assert.ok(sent("Key rotation failed for mail-bot", attemptId), texts.join("\n"));
        if (orphan === "unresolved") {
            const title = "Possible leftover SendGrid key for mail-bot";
            assert.ok(sent(title, `keywarden-mail-bot-${attemptId}`), texts.join("\n"));
        }
        await assertSound(bot);
        assertNoKeyMaterial(bot);

        // The next due tick rotates as if nothing had happened.
        world.clock.advance(30 * DAY);
        const tick = await world.post("/tick");
        assert.deepEqual(
            tick.body.results.map((r: any) => [r.action, r.outcome]),
            [["rotate", "rotated"]],
        );
        assert.equal(stateOf(world).failures, 0);
        await assertSound(bot);
    }
});
