/**
 * A policy change applied the way the Google provider applies it: without a refresh, Pulumi
 * PATCHes the key secret's WHOLE annotation map (and its labels) as it last saw them. The
 * function keeps its state in the companion state secret and in the version aliases, so the
 * write-back must leave rotation state, aliases and key IDs exactly as they were, and the new
 * policy must take effect from the next decision on.
 */
import * as assert from "node:assert/strict";
import { POLICY_ANNOTATION } from "../../functions/rotator/policy/types";
import { SecretSnapshot } from "../../standins/secret-manager";
import { World } from "../support/world";
import {
    aliasesOf,
    assertSound,
    DAY,
    KEY_NAME,
    MailBot,
    startMailBot,
    STATE_NAME,
    stateOf,
} from "./support/mail-bot";

/** What Pulumi writes: the annotations and labels it last saw, the policy changed in them. */
async function pulumiUp(world: World, lastSeen: SecretSnapshot, change: Record<string, unknown>) {
    const policy = { ...JSON.parse(lastSeen.annotations[POLICY_ANNOTATION]), ...change };
    await world.client.updateSecret({
        secret: {
            name: KEY_NAME,
            annotations: { ...lastSeen.annotations, [POLICY_ANNOTATION]: JSON.stringify(policy) },
            labels: { ...lastSeen.labels, team: "mail" },
        },
        updateMask: { paths: ["annotations", "labels"] },
    });
}

async function tickOutcomes(world: World): Promise<string[][]> {
    const answer = await world.post("/tick");
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body.results.map((r: any) => [r.action, r.outcome, r.version]);
}

describe("a policy change Pulumi writes over the key secret's whole annotation map", () => {
    let bot: MailBot;
    let lastSeen: SecretSnapshot;

    beforeEach(async () => {
        bot = await startMailBot();
        // Pulumi's stored view of the key secret: what it created, nothing the function did since.
        lastSeen = bot.world.emulator.inspect.secret(KEY_NAME)!;
    });
    afterEach(async () => bot.stop());

    /** Three rotations and two retirements: version 4 is current, 3 is in its grace period. */
    async function rotateThreeTimes() {
        const { world } = bot;
        const first = await world.post("/rotate", { secret: "mail-key", force: true });
        assert.equal(first.status, 200);
        world.clock.advance(2 * DAY);
        assert.deepEqual(await tickOutcomes(world), [["retire", "retired", "1"]]);
        world.clock.advance(28 * DAY);
        assert.deepEqual(await tickOutcomes(world), [["rotate", "rotated", "3"]]);
        world.clock.advance(2 * DAY);
        assert.deepEqual(await tickOutcomes(world), [["retire", "retired", "2"]]);
        world.clock.advance(28 * DAY);
        assert.deepEqual(await tickOutcomes(world), [["rotate", "rotated", "4"]]);
    }

    it("leaves the state secret, the aliases and every version's key ID untouched", async () => {
        await rotateThreeTimes();
        const stateBefore = bot.world.emulator.inspect.secret(STATE_NAME)!;
        const state = stateOf(bot.world);
        assert.deepEqual([state.current, state.previous], ["4", "3"]);
        const key = () => bot.world.emulator.inspect.secret(KEY_NAME)!;
        assert.deepEqual(
            key().annotations,
            lastSeen.annotations,
            "the function never writes the key secret's annotations",
        );

        await pulumiUp(bot.world, lastSeen, { rotationPeriod: "14d", gracePeriod: "1d" });

        const stateAfter = bot.world.emulator.inspect.secret(STATE_NAME)!;
        assert.equal(stateAfter.etag, stateBefore.etag, "the state secret was not written");
        assert.deepEqual(stateAfter.annotations, stateBefore.annotations);
        assert.deepEqual(stateOf(bot.world), state);
        assert.deepEqual(aliasesOf(bot.world), { current: 4, previous: 3 });
        assert.equal(key().labels.team, "mail");
        assert.match(key().annotations[POLICY_ANNOTATION], /"gracePeriod":"1d"/);
    });

    it("retires and rotates on the new schedule, revoking keys by their recorded IDs", async () => {
        await rotateThreeTimes();
        const state = stateOf(bot.world);
        const keyOfVersion3 = bot.sendgrid.register.find(state.versions["3"].keyId)!;
        const publishedAt = Date.parse(state.versions["4"].publishedAt);
        await pulumiUp(bot.world, lastSeen, { rotationPeriod: "14d", gracePeriod: "1d" });

        // The new grace period (1 day, was 2) counts from when version 3 stopped being current.
        bot.world.clock.advance(DAY - 60_000);
        assert.deepEqual(await tickOutcomes(bot.world), []);
        bot.world.clock.advance(60_000);
        assert.deepEqual(await tickOutcomes(bot.world), [["retire", "retired", "3"]]);
        assert.equal(
            bot.sendgrid.register.isValid(keyOfVersion3),
            false,
            "version 3's key is revoked by its ID",
        );

        const notDue = await bot.world.post("/rotate", { secret: "mail-key" });
        assert.equal(notDue.body.outcome, "not-due");
        assert.equal(
            notDue.body.dueAt,
            new Date(publishedAt + 14 * DAY).toISOString(),
            "the new rotation period (14 days, was 30) counts from version 4's publication",
        );
        bot.world.clock.advance(13 * DAY);
        assert.deepEqual(await tickOutcomes(bot.world), [["rotate", "rotated", "5"]]);

        const after = stateOf(bot.world);
        for (const version of ["3", "4"]) {
            assert.equal(
                after.versions[version].keyId,
                state.versions[version].keyId,
                `key ID of version ${version}`,
            );
        }
        const version4 = await bot.world.read("mail-key", "4");
        const keyOfVersion4 = bot.sendgrid.register.findBySecret(version4);
        assert.equal(after.versions["4"].keyId, keyOfVersion4!.id);
        await assertSound(bot);
    });

    it("does not disturb a rotation it lands in (just before the alias move)", async () => {
        const { world } = bot;
        // Hold each UpdateSecret for a moment so that Pulumi's write can overtake the function's
        // alias move: the 4th UpdateSecret of a first rotation (lock, created, publishing,
        // aliases).
        world.emulator.faults.setLatency("UpdateSecret", 100);
        const rotation = world.post("/rotate", { secret: "mail-key", force: true });
        const deadline = Date.now() + 5000;
        while (world.emulator.calls.count("UpdateSecret") < 4) {
            assert.ok(Date.now() < deadline, "the rotation reached its alias move");
            await new Promise((resolve) => setTimeout(resolve, 2));
        }
        world.emulator.faults.setLatency("UpdateSecret", 0);
        await pulumiUp(world, lastSeen, { gracePeriod: "1d" });

        const answer = await rotation;
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        assert.equal(answer.body.outcome, "rotated");
        // lock, created, publishing, aliases (lost to Pulumi's write), aliases again, promote;
        // plus Pulumi's own write.
        assert.equal(world.emulator.calls.count("UpdateSecret"), 7);
        assert.deepEqual(aliasesOf(world), { current: 2, previous: 1 });
        const policy = world.emulator.inspect.secret(KEY_NAME)!.annotations[POLICY_ANNOTATION];
        assert.match(policy, /"gracePeriod":"1d"/);
        const state = stateOf(world);
        assert.equal(state.versions["2"].keyId, answer.body.keyId);
        await assertSound(bot);
    });
});
