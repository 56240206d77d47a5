/**
 * Bad requests to the function's HTTP interface: each gets a 4xx that says what is wrong, and
 * changes nothing (no Secret Manager write, no provider call). One row per kind of bad input.
 *
 * Malformed JSON never reaches the function: the Functions Framework parses JSON bodies (in
 * strict mode: objects and arrays only) before the handler runs and answers 400 itself, with
 * Express's error page. Those rows assert what the framework really does.
 */
import * as assert from "node:assert/strict";
import { FLEET_LABEL, ROLE_LABEL } from "../../functions/rotator/policy/types";
import { seedSecret } from "../../standins/fleet/seed";
import { Answer, FLEET, PROJECT } from "../support/world";
import { KEY_NAME, MailBot, startMailBot, stateOf, writeCalls } from "./support/mail-bot";

interface Row {
    name: string;
    send(bot: MailBot): Promise<Answer>;
    status: number;
    /** A fragment of the error message; `framework` for the Functions Framework's 400 page. */
    says: string | "framework";
}

const PASTED_KEY = "SG.pasted-by-mistake.0123456789abcdefghijklmnopqrstuvwxyz";
const FRAMEWORK = "framework";
const NOT_AN_ID = '"secret" is not a secret ID';
const NOT_A_STRING = '"secret" must be a string';
const NOT_BOOLEAN = '"force" must be true or false';
const OVER_LIMIT = "the limit is 65536";
const NOT_A_TIME = "X-CloudScheduler-ScheduleTime is not a time: Cloud Scheduler sends RFC 3339";
const BIG = "x".repeat(66_000);

const json =
    (path: string, body: string, type = "application/json") =>
    (bot: MailBot) =>
        bot.world.post(path, body, { "content-type": type });
const rotate = (body: unknown) => (bot: MailBot) => bot.world.post("/rotate", body);
const request =
    (method: string, path: string) =>
    async (bot: MailBot): Promise<Answer> => {
        const response = await fetch(bot.world.fn.url + path, { method });
        return { status: response.status, body: await response.json() };
    };
const scheduled = (time: string) => (bot: MailBot) =>
    bot.world.post("/tick", undefined, { "X-CloudScheduler-ScheduleTime": time });
const row = (name: string, send: Row["send"], status: number, says: string): Row => ({
    name,
    send,
    status,
    says,
});

const ROWS: Row[] = [
    row("malformed JSON", json("/rotate", '{"secret": '), 400, FRAMEWORK),
    row("malformed JSON on /tick", json("/tick", "{tick"), 400, FRAMEWORK),
    row("JSON null", json("/rotate", "null"), 400, FRAMEWORK),
    row("a JSON string", json("/rotate", '"mail-key"'), 400, FRAMEWORK),
    row("a JSON number", json("/rotate", "42"), 400, FRAMEWORK),
    row(
        "an array body",
        json("/rotate", '[{"secret": "mail-key"}]'),
        400,
        "the body must be a JSON object",
    ),
    row(
        "text/plain",
        json("/rotate", '{"secret": "mail-key"}', "text/plain"),
        415,
        'the content type is "text/plain": send the body as application/json',
    ),
    row(
        "a form body",
        json("/rotate", "secret=mail-key", "application/x-www-form-urlencoded"),
        415,
        'the content type is "application/x-www-form-urlencoded"',
    ),
    row(
        "a body without a content type",
        json("/rotate", '{"secret": "mail-key"}', ""),
        415,
        'the content type is "missing": send the body as application/json',
    ),
    row(
        "an empty body",
        json("/rotate", ""),
        400,
        'the body is empty: send a JSON object such as {"secret": "weather-api-key"}',
    ),
    row(
        "an unknown field",
        rotate({ secret: "mail-key", forse: true }),
        400,
        'unknown field "forse": this route takes "secret" and "force"',
    ),
    row(
        "a key pasted into an unknown field",
        rotate({ secret: "mail-key", apiKey: PASTED_KEY }),
        400,
        'unknown field "apiKey"',
    ),
    row(
        "no secret",
        rotate({ force: true }),
        400,
        '"secret" is missing: give the secret ID or its full name',
    ),
    row("a numeric secret", rotate({ secret: 42 }), 400, NOT_A_STRING),
    row("a null secret", rotate({ secret: null }), 400, NOT_A_STRING),
    row("an empty secret ID", rotate({ secret: "" }), 400, NOT_AN_ID),
    row(
        "invalid characters in the ID",
        rotate({ secret: "mail key!" }),
        400,
        'use letters, digits, "-" and "_" (at most 255)',
    ),
    row("a path in the ID", rotate({ secret: "../mail-key" }), 400, NOT_AN_ID),
    row("an ID of 256 characters", rotate({ secret: "k".repeat(256) }), 400, NOT_AN_ID),
    row(
        "a full name in another project",
        rotate({ secret: "projects/other/secrets/mail-key" }),
        403,
        'the secret is in project "other"; this function manages project "keywarden-test"',
    ),
    row(
        "a version name instead of a secret",
        rotate({ secret: `projects/${PROJECT}/secrets/mail-key/versions/1` }),
        400,
        NOT_AN_ID,
    ),
    row(
        "an unknown secret",
        rotate({ secret: "no-such-key" }),
        404,
        "secret no-such-key does not exist in this project",
    ),
    row(
        "a secret without the managed label",
        rotate({ secret: "plain-secret" }),
        403,
        'secret plain-secret is not managed by fleet "test-fleet"',
    ),
    row(
        "a secret of another fleet",
        rotate({ secret: "other-fleet-key" }),
        403,
        'secret other-fleet-key is not managed by fleet "test-fleet"',
    ),
    row(
        "the state secret instead of the key",
        rotate({ secret: "mail-key-state" }),
        400,
        "secret mail-key-state is a keywarden state secret, not a key: name the key's secret",
    ),
    row(
        "the admin secret instead of the key",
        rotate({ secret: "mail-key-admin" }),
        400,
        "is a keywarden admin secret, not a key",
    ),
    row('"force" as a string', rotate({ secret: "mail-key", force: "yes" }), 400, NOT_BOOLEAN),
    row('"force" as a number', rotate({ secret: "mail-key", force: 1 }), 400, NOT_BOOLEAN),
    row("a body over 64 KiB", rotate({ secret: "mail-key", padding: BIG }), 413, OVER_LIMIT),
    row(
        "a body over 64 KiB on /tick",
        json("/tick", JSON.stringify({ padding: BIG })),
        413,
        OVER_LIMIT,
    ),
    row("GET /rotate", request("GET", "/rotate"), 405, "GET is not allowed on /rotate: use POST"),
    row("PUT /tick", request("PUT", "/tick"), 405, "PUT is not allowed on /tick: use POST"),
    row("DELETE /rotate", request("DELETE", "/rotate"), 405, "use POST"),
    row(
        "an unknown path",
        request("POST", "/rotate-all"),
        404,
        "no route /rotate-all: use POST /tick",
    ),
    row("a schedule time that is not a time", scheduled("yesterday"), 400, NOT_A_TIME),
    row(
        "an overlong schedule time",
        scheduled(`2026-07-01T00:00:00Z${" ".repeat(80)}x`),
        400,
        NOT_A_TIME,
    ),
];

describe("bad requests get a 4xx naming the problem, and change nothing", () => {
    let bot: MailBot;

    before(async () => {
        bot = await startMailBot();
        const { client } = bot.world;
        await client.createSecret({
            parent: `projects/${PROJECT}`,
            secretId: "plain-secret",
            secret: { replication: { automatic: {} } },
        });
        await seedSecret(client, {
            project: PROJECT,
            fleet: "other-fleet",
            id: "other-fleet-key",
            policy: {
                bot: "other-bot",
                rotator: { kind: "manual" },
                rotationPeriod: "90d",
                gracePeriod: "1d",
            },
        });
        const admin = bot.world.emulator.inspect.secret(`${KEY_NAME}-admin`)!;
        assert.deepEqual([admin.labels[FLEET_LABEL], admin.labels[ROLE_LABEL]], [FLEET, "admin"]);
    });
    after(async () => bot.stop());

    it(`covers at least 30 kinds of bad request (${ROWS.length})`, () => {
        assert.ok(ROWS.length >= 30);
        assert.equal(new Set(ROWS.map((row) => row.name)).size, ROWS.length, "one row per kind");
    });

    for (const row of ROWS) {
        it(`${row.name}: ${row.status}`, async () => {
            const { world, sendgrid } = bot;
            world.emulator.calls.reset();
            sendgrid.requests.reset();
            const stateBefore = stateOf(world);
            const logged = world.logs.length;

            const answer = await row.send(bot);

            assert.equal(answer.status, row.status, JSON.stringify(answer.body).slice(0, 300));
            const handlerLines = world.logs
                .slice(logged)
                .filter(
                    (line) => line.event === "request.rejected" && /^[A-Z]+ \//.test(line.message),
                );
            if (row.says === FRAMEWORK) {
                // Express's error page (HTML, not the function's JSON), written before the
                // handler runs: the function never sees the request.
                assert.equal(typeof answer.body, "string");
                assert.match(answer.body, /<title>Error<\/title>/);
                assert.deepEqual(handlerLines, [], "the handler did not run");
            } else {
                assert.ok(
                    answer.body.error.includes(row.says),
                    `"${answer.body.error}" should say "${row.says}"`,
                );
                assert.deepEqual(
                    handlerLines.map((line) => line.status),
                    [row.status],
                    "the refusal is logged once as request.rejected",
                );
            }
            assert.ok(!JSON.stringify(answer.body).includes(PASTED_KEY), "the body is not echoed");
            assert.equal(writeCalls(world), 0, "no Secret Manager write");
            assert.equal(sendgrid.requests.total(), 0, "no provider call");
            assert.deepEqual(stateOf(world), stateBefore);
        });
    }
});
