import assert from "node:assert/strict";
import { setLogSink, type LogSink } from "../../functions/rotator/log";
import { OutboundClient, OutboundError, type OutboundRequest } from "../../functions/rotator/net";
import {
    reply,
    startServer,
    watchConnections,
    type ConnectionWatch,
    type LoopbackServer,
} from "./loopback";

const ADMIN_TOKEN = "SG.admin-token-value-0001";
const TWILIO_AUTH = "twilio-auth-token-0002";
const DD_KEY = "dd-app-key-0003";
const PATH_TOKEN = "123456:bot-token-0004";
const QUERY_TOKEN = "query-token-0005";
const BODY_KEY = "sk-live-body-key-0006";
const ALL_SECRETS = [ADMIN_TOKEN, TWILIO_AUTH, DD_KEY, PATH_TOKEN, QUERY_TOKEN, BODY_KEY];

async function failure(client: OutboundClient, request: OutboundRequest): Promise<OutboundError> {
    const error = await client.request(request).then(
        () => assert.fail("expected the request to fail"),
        (caught: unknown) => caught,
    );
    assert.ok(error instanceof OutboundError, `expected an OutboundError, got ${error}`);
    return error;
}

function assertNoSecret(text: string) {
    for (const secret of ALL_SECRETS) {
        assert.ok(!text.includes(secret), `leaked ${secret} in: ${text}`);
        assert.ok(!text.includes(encodeURIComponent(secret)), `leaked encoded ${secret}`);
    }
}

describe("outbound client: credential pinning and redaction", () => {
    let server: LoopbackServer;
    let logs: string[];
    let previousSink: LogSink;
    const client = new OutboundClient({ allowLoopback: true, sleep: async () => {} });

    let watch: ConnectionWatch;
    beforeEach(async () => {
        watch = watchConnections();
        server = await startServer((request, response) => {
            if (request.path.startsWith("/fail")) {
                reply(response, 500, { error: "boom", api_key: BODY_KEY });
            } else {
                reply(response, 201, { ok: true });
            }
        });
        logs = [];
        previousSink = setLogSink((line) => logs.push(line));
    });
    afterEach(async () => {
        setLogSink(previousSink);
        await server.close();
        watch.restore();
        assert.deepEqual(watch.refused, [], "a socket headed off loopback");
    });

    it("sends a bearer token to its pinned host", async () => {
        const response = await client.request({
            method: "POST",
            url: `${server.origin}/v3/api_keys`,
            json: { name: "bot-1" },
            headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
            credentialHost: "127.0.0.1",
        });
        assert.equal(response.status, 201);
        assert.equal(server.seen[0].headers.authorization, `Bearer ${ADMIN_TOKEN}`);
    });

    it("sends basic auth and a form to the pinned host", async () => {
        await client.request({
            method: "POST",
            url: `${server.origin}/v1/Keys`,
            basicAuth: { username: "AC123", password: TWILIO_AUTH },
            form: { AccountSid: "AC123", FriendlyName: "bot 1 & co" },
            credentialHost: "127.0.0.1",
        });
        const seen = server.seen[0];
        const expected = "Basic " + Buffer.from(`AC123:${TWILIO_AUTH}`).toString("base64");
        assert.equal(seen.headers.authorization, expected);
        assert.equal(seen.headers["content-type"], "application/x-www-form-urlencoded");
        assert.equal(seen.body, "AccountSid=AC123&FriendlyName=bot+1+%26+co");
    });

    it("refuses credentials bound for another host, before any connection", async () => {
        const cases: OutboundRequest[] = [
            {
                method: "GET",
                url: `http://localhost:${server.port}/`,
                credentialHost: "127.0.0.1",
                headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
            },
            {
                method: "GET",
                url: `${server.origin}/`,
                credentialHost: "api.twilio.example",
                basicAuth: { username: "AC123", password: TWILIO_AUTH },
            },
            {
                method: "GET",
                url: `${server.origin}/`,
                credentialHost: "api.datadoghq.example",
                headers: { "DD-APPLICATION-KEY": DD_KEY },
                credentialHeaders: ["dd-application-key"],
            },
        ];
        for (const request of cases) {
            const error = await failure(client, request);
            assert.equal(error.code, "credential-host");
            assert.equal(error.attempts, 0);
            assert.match(error.message, /pinned to \S+, not to the URL's host/);
            assertNoSecret(error.message);
        }
        assert.equal(server.connections(), 0);
    });

    it("refuses an Authorization header sent without a credentialHost", async () => {
        const error = await failure(client, {
            method: "GET",
            url: `${server.origin}/`,
            headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
        });
        assert.equal(error.code, "credential-host");
        assert.equal(
            error.message,
            `GET ${server.origin}/: the request carries credentials but ` +
                "declares no `credentialHost`; set `credentialHost` to the provider API host the " +
                "credentials belong to",
        );
        assert.equal(server.connections(), 0);
    });

    it("rejects malformed requests, naming the field and the fix", async () => {
        const cases: Array<[OutboundRequest, RegExp]> = [
            [
                {
                    method: "GET",
                    url: `${server.origin}/`,
                    credentialHost: "https://127.0.0.1/",
                    headers: { authorization: "x" },
                },
                /`credentialHost` is not a bare host name/,
            ],
            [
                {
                    method: "GET",
                    url: `${server.origin}/`,
                    basicAuth: { username: "a", password: "b" },
                    headers: { Authorization: "y" },
                    credentialHost: "127.0.0.1",
                },
                /both `basicAuth` and an Authorization header/,
            ],
            [
                { method: "POST", url: `${server.origin}/`, json: {}, form: {} },
                /both `json` and `form` are set/,
            ],
            [
                { method: "GET", url: `${server.origin}/`, json: { a: 1 } },
                /a GET request cannot have a body/,
            ],
            [
                { method: "GET", url: `${server.origin}/`, headers: { "x-a": "1", "X-A": "2" } },
                /header `x-a` is given twice/,
            ],
            [
                {
                    method: "GET",
                    url: `${server.origin}/`,
                    headers: { "x-key": `v\r\nInjected: 1` },
                },
                /header `x-key` holds a line break/,
            ],
            [{ method: "TRACE" as "GET", url: `${server.origin}/` }, /use one of GET, HEAD/],
        ];
        for (const [request, expected] of cases) {
            const error = await failure(client, request);
            assert.equal(error.code, "invalid-request");
            assert.match(error.message, expected);
        }
        assert.equal(server.connections(), 0);
    });

    it("keeps every secret out of errors and logs: path, query, headers and body", async () => {
        const error = await failure(
            new OutboundClient({
                allowLoopback: true,
                maxAttempts: 2,
                sleep: async () => {},
            }),
            {
                method: "GET",
                url: `${server.origin}/fail/bot${PATH_TOKEN}/getMe?key=${QUERY_TOKEN}`,
                headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "DD-API-KEY": DD_KEY },
                credentialHeaders: ["DD-API-KEY"],
                credentialHost: "127.0.0.1",
                secrets: [PATH_TOKEN],
            },
        );
        assert.equal(error.code, "retries-exhausted");
        assert.equal(error.status, 500);
        assert.equal(
            error.message,
            `GET ${server.origin}/fail/bot[redacted]/getMe: gave up ` +
                "after 2 attempts; the last answer was HTTP 500; the host is failing or " +
                "overloaded: try again later, and check its status page if it persists",
        );
        assertNoSecret(error.message);
        assertNoSecret(JSON.stringify({ ...error }));
        assert.equal(logs.length, 1, "one retry logged");
        assertNoSecret(logs.join("\n"));
        assert.equal(server.seen.length, 2);
    });

    it("shows only the origin when the whole path is a secret", async () => {
        const error = await failure(new OutboundClient({ allowLoopback: true, maxAttempts: 1 }), {
            method: "GET",
            url: `${server.origin}/fail/services/T0/B0/${PATH_TOKEN}`,
            secretPath: true,
        });
        assert.equal(error.code, "retries-exhausted");
        assert.equal(error.url, `${server.origin}/[redacted]`);
        assert.match(error.message, /gave up after 1 attempt;/);
        assertNoSecret(error.message);
        assert.ok(!error.message.includes("/services/"));
    });
});
