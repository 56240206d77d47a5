import * as assert from "node:assert/strict";
import { KeyRegister } from "../../standins/providers/register";
import { BusyFakes, seedBusyFleet, startBusyFakes } from "./support/busy-fleet";
import { PROJECT, startWorld, World } from "../support/world";

const DAY = 86_400_000;

describe(
    "every rotator and preset, end to end through the function, the official client and the " +
        "emulator",
    () => {
        let world: World;
        let fakes: BusyFakes;
        let rotated: string[];

        before(async () => {
            world = await startWorld();
            fakes = await startBusyFakes();
            rotated = (await seedBusyFleet(world, fakes)).filter(
                (id) => id !== "slack-token-spent",
            );
        });
        after(async () => {
            for (const fake of Object.values(fakes)) await fake.stop();
            await world.stop();
        });

        /** The fake that issued the keys of each secret. */
        function registerOf(id: string): KeyRegister {
            const fake = {
                "sendgrid-key": fakes.sendgrid,
                "cloudflare-key": fakes.cloudflare,
                "twilio-key": fakes.twilio,
                "datadog-key": fakes.datadog,
                "openai-key": fakes.openai,
                "openrouter-key": fakes.openrouter,
                "backend-key": fakes.botBackend,
                "gemini-key": fakes.google,
                "slack-token": fakes.slackOAuth,
            }[id];
            assert.ok(fake, `no fake for ${id}`);
            return fake.register;
        }

        async function keyBehind(id: string, alias: string) {
            const secret = await world.read(id, alias);
            const key = registerOf(id).findBySecret(secret);
            assert.ok(key, `${id}@${alias} holds a key its provider issued`);
            return key!;
        }

        it(
            "covers the six presets, a hand-written spec, Google API keys and Slack token " +
                "rotation",
            () => {
                assert.deepEqual(rotated, [
                    "sendgrid-key",
                    "cloudflare-key",
                    "twilio-key",
                    "datadog-key",
                    "openai-key",
                    "openrouter-key",
                    "backend-key",
                    "gemini-key",
                    "slack-token",
                ]);
            },
        );

        it(
            "rotates each secret on /rotate: the current version holds a new key that works at " +
                "its provider",
            async () => {
                for (const id of rotated) {
                    const initial = await world.read(id, "latest");
                    const answer = await world.post("/rotate", { secret: id, force: true });
                    assert.equal(answer.status, 200, `${id}: ${JSON.stringify(answer.body)}`);
                    assert.equal(answer.body.outcome, "rotated", id);
                    const current = await keyBehind(id, "current");
                    assert.notEqual(current.secret, initial, `${id} has a new key`);
                    assert.equal(registerOf(id).isValid(current), true, `${id}'s new key works`);
                    assert.equal(
                        await world.read(id, "latest"),
                        current.secret,
                        `${id}: latest is current`,
                    );
                    assert.equal(
                        await world.read(id, "previous"),
                        initial,
                        `${id}: the key made by hand is previous`,
                    );
                }
            },
        );

        it(
            "after a second rotation and the grace period, revokes each previous key it made and " +
                "keeps the current one",
            async () => {
                world.clock.advance(2 * DAY);
                const retire = await world.post("/tick");
                assert.deepEqual(
                    retire.body.results
                        .filter((r: any) => rotated.includes(r.secret))
                        .map((r: any) => `${r.secret}:${r.action}:${r.outcome}`)
                        .sort(),
                    rotated.map((id) => `${id}:retire:retired`).sort(),
                );

                world.clock.advance(30 * DAY);
                const again = await world.post("/tick");
                for (const id of rotated) {
                    const result = again.body.results.find((r: any) => r.secret === id);
                    assert.deepEqual(
                        [result?.action, result?.outcome],
                        ["rotate", "rotated"],
                        `${id}: ${JSON.stringify(result)}`,
                    );
                }
                const previous = new Map<string, Awaited<ReturnType<typeof keyBehind>>>();
                for (const id of rotated) previous.set(id, await keyBehind(id, "previous"));

                world.clock.advance(2 * DAY);
                await world.post("/tick");
                for (const id of rotated) {
                    const old = previous.get(id)!;
                    const current = await keyBehind(id, "current");
                    assert.equal(
                        registerOf(id).isValid(current),
                        true,
                        `${id}: the current key still works`,
                    );
                    if (id === "slack-token") {
                        // Slack access tokens cannot be revoked by ID; they die 12 hours after
                        // issue.
                        assert.equal(
                            registerOf(id).isValid(old, Date.now() + 13 * 3_600_000),
                            false,
                        );
                    } else {
                        assert.equal(
                            registerOf(id).isValid(old),
                            false,
                            `${id}: the previous key is revoked`,
                        );
                    }
                    const [versions] = await world.client.listSecretVersions({
                        parent: `projects/${PROJECT}/secrets/${id}`,
                    });
                    const enabled = versions
                        .filter((v) => v.state === "ENABLED")
                        .map((v) => v.name!.split("/").pop());
                    assert.deepEqual(enabled, ["3"], `${id}: only the current version is enabled`);
                }
                const [adminVersions] = await world.client.listSecretVersions({
                    parent: `projects/${PROJECT}/secrets/slack-token-admin`,
                });
                assert.deepEqual(
                    adminVersions
                        .filter((v) => v.state !== "DESTROYED")
                        .map((v) => v.name!.split("/").pop()),
                    ["3"],
                    "spent refresh tokens are destroyed: only the newest admin version is kept",
                );
            },
        );

        it(
            "adopts a Telegram token a person added by hand, after checking it with " + "Telegram",
            async () => {
                const replacement = fakes.telegram.seedKey("weather_bot");
                await world.client.addSecretVersion({
                    parent: `projects/${PROJECT}/secrets/telegram-token`,
                    payload: { data: Buffer.from(replacement.secret) },
                });
                const answer = await world.post("/rotate", { secret: "telegram-token" });
                assert.equal(answer.status, 200, JSON.stringify(answer.body));
                assert.deepEqual([answer.body.outcome, answer.body.version], ["adopted", "2"]);
                assert.equal(await world.read("telegram-token", "current"), replacement.secret);
            },
        );
    },
);
