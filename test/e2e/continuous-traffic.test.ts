/**
 * Bots keep working through rotations: simulated bots re-read `versions/latest` on a short cache
 * and call the fake SendGrid without pause while keys are rotated under them, once by keywarden
 * (through the function's /rotate and /tick) and once by the usual create-sleep-revoke script.
 *
 * Time is compressed: a bot caches its key for tens of milliseconds instead of minutes. The
 * relation that matters is kept: keywarden revokes an old key only after its grace period, which
 * here lasts GRACE_REAL_MS of real time, twice the longest cache (the test moves the function's
 * clock past the policy's grace period once that much real time has passed, and checks that a
 * tick before then retires nothing); the script revokes it after NAIVE_SLEEP_MS, longer than the
 * shortest cache and shorter than the others.
 */
import * as assert from "node:assert/strict";
import type { SecretManagerServiceClient } from "@google-cloud/secret-manager";
import { parseDuration } from "../../functions/rotator/policy/duration";
import { createSecretManagerClient } from "../../functions/rotator/secret-manager-client";
import { FakeSendGrid, IssuedKey, startFakeSendGrid } from "../../standins/providers";
import {
    botsWithCaches,
    latestVersionReader,
    naiveRotations,
    sendGridKeyAdmin,
    sendGridMailSend,
    startTraffic,
    Traffic,
    TrafficReport,
    UseCall,
} from "../../standins/traffic";
import { PROJECT, startWorld, World } from "../support/world";

/** How long bots cache their key before re-reading it (two bots per length). */
const CACHES_MS = [40, 80, 160];
const LONGEST_CACHE_MS = Math.max(...CACHES_MS);
/** Think time of a bot between two calls. */
const PAUSE_MS = 5;
/** Rotations per run. */
const ROTATIONS = 20;
/** The policy's grace period, as the function sees it on its clock. */
const GRACE_POLICY = "1h";
const GRACE_POLICY_MS = parseDuration(GRACE_POLICY) as number;
/** The same grace period in the bots' real time: when the test moves the function's clock. */
const GRACE_REAL_MS = 2 * LONGEST_CACHE_MS;
/** The naive script's sleep between publishing the new key and revoking the old one. */
const NAIVE_SLEEP_MS = 60;
/** Fewer calls than this would say nothing about 20 rotations. */
const MEANINGFUL_CALLS = 200;

const SECRET_ID = "mail-key";
const SECRET_NAME = `projects/${PROJECT}/secrets/${SECRET_ID}`;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("continuous traffic through 20 rotations", function () {
    this.timeout(25_000);
    let world: World;
    let sendgrid: FakeSendGrid;
    let botClient: SecretManagerServiceClient;
    let initial: IssuedKey;
    let traffic: Traffic | undefined;

    beforeEach(async () => {
        world = await startWorld();
        sendgrid = await startFakeSendGrid();
        // The bots' own client, as a separate bot process would have.
        botClient = createSecretManagerClient({
            SECRET_MANAGER_EMULATOR_HOST: world.emulator.address,
        });
        initial = sendgrid.seedKey("set up by hand");
        await world.seed({
            id: SECRET_ID,
            initialKey: initial.secret,
            adminCredential: sendgrid.admin.apiKey,
            policy: {
                bot: "mail-bot",
                rotationPeriod: "30d",
                gracePeriod: GRACE_POLICY,
                rotator: {
                    kind: "http",
                    preset: "sendgrid",
                    params: { baseUrl: sendgrid.baseUrl },
                },
            },
        });
    });
    afterEach(async () => {
        await traffic?.stop();
        traffic = undefined;
        await botClient.close();
        await sendgrid.stop();
        await world.stop();
    });

    /** The bots' provider call, also noting which issued key each call used. */
    function recordingUse(usedKeyIds: Set<string>): UseCall {
        const send = sendGridMailSend(sendgrid.baseUrl);
        return async (key) => {
            const issued = sendgrid.register.findBySecret(key);
            if (issued) usedKeyIds.add(issued.id);
            return send(key);
        };
    }

    function startBots(usedKeyIds: Set<string>): Traffic {
        traffic = startTraffic({
            bots: botsWithCaches(CACHES_MS, 2),
            pauseMs: PAUSE_MS,
            readKey: latestVersionReader(botClient, SECRET_NAME),
            use: recordingUse(usedKeyIds),
        });
        return traffic;
    }

    async function stopBots(): Promise<TrafficReport> {
        const report = await traffic!.stop();
        traffic = undefined;
        return report;
    }

    it(
        "keywarden: bots re-reading every 40-160 ms see 0 failed calls when the grace period " +
            "outlasts their cache",
        async () => {
            const used = new Set<string>();
            startBots(used);
            await pause(LONGEST_CACHE_MS);
            for (let rotation = 1; rotation <= ROTATIONS; rotation++) {
                const rotated = await world.post("/rotate", { secret: SECRET_ID, force: true });
                assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
                assert.equal(rotated.body.version, String(rotation + 1));
                const early = await world.post("/tick");
                assert.equal(
                    early.body.due,
                    0,
                    "the previous key is kept through its grace period",
                );

                await pause(GRACE_REAL_MS);
                world.clock.advance(GRACE_POLICY_MS);
                const tick = await world.post("/tick");
                assert.deepEqual(
                    tick.body.results.map((r: any) => [r.action, r.outcome, r.version]),
                    [["retire", "retired", String(rotation)]],
                );
            }
            await pause(LONGEST_CACHE_MS);
            const report = await stopBots();
            say(
                `keywarden: ${ROTATIONS} rotations, ${report.calls} bot calls, ` +
                    `${report.failedCalls} failed, ${report.reads} key reads, ` +
                    `${report.durationMs} ms`,
            );

            assert.equal(
                report.failedCalls,
                0,
                `failed calls: ${JSON.stringify(report.failures.slice(0, 5))}`,
            );
            assert.equal(report.failedReads, 0);
            assert.ok(report.calls > MEANINGFUL_CALLS, `only ${report.calls} calls were made`);
            assert.equal(
                sendgrid.requests.count("use"),
                report.calls,
                "the provider saw every call",
            );
            assert.equal(sendgrid.requests.failures("use"), 0, "the provider refused no call");
            assert.equal(
                used.size,
                ROTATIONS + 1,
                "bots used every key published, so they did re-read",
            );
            const made = sendgrid.register
                .all()
                .filter((key) => key.name.startsWith("keywarden-mail-bot-"));
            assert.equal(made.length, ROTATIONS);
            assert.equal(
                made.filter((key) => key.revokedAt !== undefined).length,
                ROTATIONS - 1,
                "every key keywarden replaced was revoked: the bots kept working despite it",
            );
        },
    );

    it(
        `the create-sleep-revoke script (sleep ${NAIVE_SLEEP_MS} ms) breaks the bots that cache ` +
            "their key longer than it sleeps",
        async () => {
            const used = new Set<string>();
            startBots(used);
            const script = {
                api: sendGridKeyAdmin(sendgrid.baseUrl, sendgrid.admin.apiKey),
                client: world.client,
                secretName: SECRET_NAME,
                sleepMs: NAIVE_SLEEP_MS,
            };
            const runs = await naiveRotations(script, initial.id, ROTATIONS, LONGEST_CACHE_MS);
            await pause(LONGEST_CACHE_MS);
            const report = await stopBots();
            const perCache = CACHES_MS.map(
                (cache) =>
                    `${cache} ms: ` +
                    report.bots
                        .filter((b) => b.cacheMs === cache)
                        .reduce((n, b) => n + b.failedCalls, 0),
            );
            say(
                `create-sleep-revoke: ${ROTATIONS} rotations, ${report.calls} bot calls, ` +
                    `${report.failedCalls} failed (by cache length ${perCache.join(", ")}), ` +
                    `${report.durationMs} ms`,
            );

            assert.equal(runs.length, ROTATIONS);
            assert.equal(used.size, ROTATIONS + 1, "bots used every key the script published");
            assert.ok(report.calls > MEANINGFUL_CALLS, `only ${report.calls} calls were made`);
            assert.ok(
                report.failedCalls > 0,
                "the script's revocations broke bots that had not re-read",
            );
            assert.equal(
                sendgrid.requests.failures("use"),
                report.failedCalls,
                "the provider refused those calls",
            );
            for (const failure of report.failures) {
                assert.equal(failure.status, 401, "a revoked key is refused with 401");
                assert.ok(
                    failure.keyAgeMs >= NAIVE_SLEEP_MS,
                    "a failing bot held a key read " +
                        `before the new one was published (${failure.keyAgeMs} ms old)`,
                );
            }
        },
    );
});

/** Prints one result line under the test title, so the figures show in the test output. */
function say(line: string): void {
    process.stdout.write(`      ${line}\n`);
}
