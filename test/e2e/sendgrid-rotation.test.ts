import * as assert from "node:assert/strict";
import { FakeSendGrid, startFakeSendGrid } from "../../standins/providers/sendgrid";
import { startWorld, World } from "../support/world";

const DAY = 86_400_000;

describe("a SendGrid key rotated end to end through /rotate and /tick", () => {
    let world: World;
    let sendgrid: FakeSendGrid;

    beforeEach(async () => {
        world = await startWorld();
        sendgrid = await startFakeSendGrid();
    });
    afterEach(async () => {
        await sendgrid.stop();
        await world.stop();
    });

    async function seedWeatherBot() {
        const initial = sendgrid.seedKey("set up by hand");
        await world.seed({
            id: "mail-key",
            initialKey: initial.secret,
            adminCredential: sendgrid.admin.apiKey,
            policy: {
                bot: "mail-bot",
                rotator: {
                    kind: "http",
                    preset: "sendgrid",
                    params: { baseUrl: sendgrid.baseUrl },
                },
                rotationPeriod: "30d",
                gracePeriod: "2d",
            },
        });
        return initial;
    }

    it(
        "publishes a verified new key as the current version and keeps the old one valid for the " +
            "grace period",
        async () => {
            const initial = await seedWeatherBot();
            const answer = await world.post("/rotate", { secret: "mail-key", force: true });
            assert.equal(answer.status, 200, JSON.stringify(answer.body));
            assert.equal(answer.body.outcome, "rotated");
            assert.equal(answer.body.version, "2");

            const latest = await world.read("mail-key", "latest");
            assert.equal(await world.read("mail-key", "current"), latest);
            assert.equal(await world.read("mail-key", "previous"), initial.secret);
            const issued = sendgrid.register.findBySecret(latest);
            assert.ok(
                issued && sendgrid.register.isValid(issued),
                "the published key works at the provider",
            );
            assert.equal(issued!.id, answer.body.keyId);
            assert.match(issued!.name, /^keywarden-mail-bot-/);
            assert.ok(
                sendgrid.register.isValid(sendgrid.register.findBySecret(initial.secret)!),
                "the old key still works during the grace period",
            );
        },
    );

    it(
        "retires the previous key on the first tick after the grace period, never the current " +
            "one",
        async () => {
            const initial = await seedWeatherBot();
            await world.post("/rotate", { secret: "mail-key", force: true });
            const early = await world.post("/tick");
            assert.equal(early.body.due, 0, "nothing is due inside the grace period");

            world.clock.advance(2 * DAY);
            const first = await world.post("/tick");
            assert.deepEqual(
                first.body.results.map((r: any) => [r.secret, r.action, r.outcome]),
                [["mail-key", "retire", "retired"]],
            );
            // The initial key was made by hand: keywarden has no key ID for it, so it disables the
            // version and asks a person to revoke the key (checked in the notification tests).
            assert.equal(
                sendgrid.register.isValid(sendgrid.register.findBySecret(initial.secret)!),
                true,
            );

            world.clock.advance(30 * DAY);
            const rotated = await world.post("/tick");
            const second = rotated.body.results[0];
            assert.deepEqual(
                [second.action, second.outcome, second.version],
                ["rotate", "rotated", "3"],
            );
            const keyOf = async (alias: string) =>
                sendgrid.register.findBySecret(await world.read("mail-key", alias))!;
            const previousKey = await keyOf("previous");
            world.clock.advance(2 * DAY);
            const retired = await world.post("/tick");
            assert.deepEqual(
                retired.body.results.map((r: any) => [r.action, r.outcome, r.version]),
                [["retire", "retired", "2"]],
            );
            assert.equal(
                sendgrid.register.isValid(previousKey),
                false,
                "a key keywarden made is revoked at the provider",
            );
            assert.equal(
                sendgrid.register.isValid(await keyOf("current")),
                true,
                "the current key is untouched",
            );
            const [versions] = await world.client.listSecretVersions({
                parent: "projects/keywarden-test/secrets/mail-key",
            });
            const states = Object.fromEntries(
                versions.map((v) => [v.name!.split("/").pop(), v.state]),
            );
            assert.deepEqual(states, { "1": "DESTROYED", "2": "DESTROYED", "3": "ENABLED" });
        },
    );

    it(
        "rotates on a tick once the rotation period is over, and a not-due /rotate changes " +
            "nothing",
        async () => {
            await seedWeatherBot();
            const notDue = await world.post("/rotate", { secret: "mail-key" });
            assert.equal(notDue.status, 200);
            assert.equal(notDue.body.outcome, "not-due");
            assert.equal(sendgrid.requests.count("create"), 0);

            world.clock.advance(30 * DAY);
            const tick = await world.post("/tick", undefined, {
                "X-CloudScheduler-ScheduleTime": "2026-07-01T00:00:00Z",
            });
            assert.deepEqual(
                tick.body.results.map((r: any) => [r.action, r.outcome]),
                [["rotate", "rotated"]],
            );
            const again = await world.post("/tick", undefined, {
                "X-CloudScheduler-ScheduleTime": "2026-07-01T00:00:00Z",
            });
            assert.equal(
                again.body.due,
                0,
                "a repeated delivery of the same run finds nothing to do",
            );
            assert.equal(sendgrid.requests.count("create"), 1);
        },
    );
});
