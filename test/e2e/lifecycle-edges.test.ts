import * as assert from "node:assert/strict";
import { FakeSendGrid, startFakeSendGrid } from "../../standins/providers/sendgrid";
import { PROJECT, startWorld, World } from "../support/world";

const DAY = 86_400_000;
const KEY = `projects/${PROJECT}/secrets/mail-key`;

describe("lifecycle edges: empty secrets, rollbacks by hand, health checks that never pass", () => {
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

    const seed = (extra: { initialKey?: string; healthUrl?: string } = {}) =>
        world.seed({
            id: "mail-key",
            adminCredential: sendgrid.admin.apiKey,
            initialKey: extra.initialKey,
            policy: {
                bot: "mail-bot",
                rotationPeriod: "30d",
                gracePeriod: "2d",
                healthUrl: extra.healthUrl,
                rotator: {
                    kind: "http",
                    preset: "sendgrid",
                    params: { baseUrl: sendgrid.baseUrl },
                },
            },
        });

    it(
        "gives a secret declared without a value its first key on the first tick, not a period " +
            "later",
        async () => {
            await seed();
            const tick = await world.post("/tick");
            assert.deepEqual(
                tick.body.results.map((r: any) => [r.action, r.outcome, r.version]),
                [["rotate", "rotated", "1"]],
            );
            const key = sendgrid.register.findBySecret(await world.read("mail-key", "current"));
            assert.ok(key && sendgrid.register.isValid(key));
        },
    );

    it("looks at a secret that already has a key once, then leaves it to its period", async () => {
        await seed({ initialKey: sendgrid.seedKey().secret });
        const first = await world.post("/tick");
        assert.deepEqual(
            first.body.results.map((r: any) => [r.action, r.outcome]),
            [["none", "seen"]],
        );
        world.emulator.calls.reset();
        const second = await world.post("/tick");
        assert.deepEqual(second.body.results, []);
        assert.deepEqual(
            world.emulator.calls.snapshot(),
            { ListSecrets: 1 },
            "no per-secret call on later ticks",
        );
        assert.equal(sendgrid.requests.count("create"), 0);
    });

    it(
        "does not retire a version a person rolled `current` back to, and says what to " + "do",
        async () => {
            await seed({ initialKey: sendgrid.seedKey().secret });
            await world.post("/rotate", { secret: "mail-key", force: true });
            const [secret] = await world.client.getSecret({ name: KEY });
            await world.client.updateSecret({
                secret: {
                    name: KEY,
                    etag: secret.etag,
                    versionAliases: { current: 1, previous: 1 },
                },
                updateMask: { paths: ["version_aliases"] },
            });

            world.clock.advance(2 * DAY);
            const tick = await world.post("/tick");
            const result = tick.body.results[0];
            assert.deepEqual([result.action, result.outcome], ["retire", "failed"]);
            assert.match(
                result.message,
                /the current alias points at version 1 \(moved by hand\?\)/,
            );
            const [versions] = await world.client.listSecretVersions({ parent: KEY });
            assert.ok(
                versions.every((v) => v.state === "ENABLED"),
                "no version was disabled",
            );
            assert.equal(world.logs.filter((l) => l.event === "retirement.failed").length, 1);
        },
    );

    it(
        "keeps the previous key while the health check fails, and says the rotation is overdue " +
            "once it is",
        async () => {
            // Nothing answers on this port: the health check fails like an endpoint that is down.
            await seed({
                initialKey: sendgrid.seedKey().secret,
                healthUrl: "https://127.0.0.1:9/healthz",
            });
            await world.post("/rotate", { secret: "mail-key", force: true });
            world.clock.advance(2 * DAY);
            const waiting = await world.post("/tick");
            assert.deepEqual(
                waiting.body.results.map((r: any) => [r.action, r.outcome]),
                [["retire", "waiting"]],
            );
            assert.equal(
                world.logs.filter((l) => l.event === "rotation.overdue").length,
                0,
                "not overdue yet",
            );

            world.clock.advance(30 * DAY);
            await world.post("/tick");
            const overdue = world.logs.filter((l) => l.event === "rotation.overdue");
            assert.equal(
                overdue.length,
                1,
                "the overdue alert's event is logged while retirement waits",
            );
            assert.equal(overdue[0].secret, "mail-key");
            assert.equal(
                await world.read("mail-key", "previous"),
                await world.read("mail-key", "1"),
            );
        },
    );
});
