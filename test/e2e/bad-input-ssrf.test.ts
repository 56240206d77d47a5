/**
 * Policies that point a rotator at an address it must never reach: the metadata server, private
 * and other non-public ranges, however spelled, and names that resolve there. A target spelled
 * as an address is an invalid policy (422, the same check `pulumi preview` runs); a name is
 * refused by the outbound layer once it resolves, and the rotation fails cleanly. Either way no
 * request leaves for that address (checked on every connection attempt).
 */
import * as assert from "node:assert/strict";
import { POLICY_ANNOTATION, ROLE_LABEL } from "../../functions/rotator/policy/types";
import { classifyAddress } from "../../functions/rotator/net";
import { PROJECT } from "../support/world";
import { watchConnections } from "./support/connections";
import { events, KEY_NAME, MailBot, startMailBot } from "./support/mail-bot";

/** Test host names and what the function's DNS answers for them. */
const DNS: Record<string, string> = {
    "keys.internal.test": "10.1.2.3",
    "rebound.test": "169.254.169.254",
};

interface Row {
    name: string;
    baseUrl: string;
    status: number;
    says: string;
}

const AT = "rotator.params.baseUrl points at";
const CGNAT = classifyAddress("100.64.0.1");
const ULA = classifyAddress("fd00::1");

const ROWS: Row[] = [
    // Spelled as addresses (or the metadata server's names): refused by the policy check, at
    // `pulumi preview` as at rotation time, before any lookup or socket.
    {
        name: "the metadata server by address",
        baseUrl: "https://169.254.169.254",
        status: 422,
        says: `${AT} a link-local address (169.254.169.254)`,
    },
    {
        name: "the metadata server by name",
        baseUrl: "https://metadata.google.internal",
        status: 422,
        says: `${AT} the metadata server`,
    },
    {
        name: "the metadata server by its short name",
        baseUrl: "https://metadata",
        status: 422,
        says: `${AT} the metadata server`,
    },
    {
        name: "a private address",
        baseUrl: "https://10.0.0.1",
        status: 422,
        says: `${AT} a private address (10.0.0.1)`,
    },
    {
        name: "a private address with a port",
        baseUrl: "https://192.168.1.10:8443",
        status: 422,
        says: `${AT} a private address (192.168.1.10)`,
    },
    {
        name: "a carrier-grade NAT address",
        baseUrl: "https://100.64.0.1",
        status: 422,
        says: `${AT} a ${CGNAT} address (100.64.0.1)`,
    },
    {
        name: "a decimal IP literal",
        baseUrl: "https://2852039166",
        status: 422,
        says: `${AT} a link-local address (169.254.169.254)`,
    },
    {
        name: "a hexadecimal IP literal",
        baseUrl: "https://0xa9fea9fe",
        status: 422,
        says: `${AT} a link-local address (169.254.169.254)`,
    },
    {
        name: "an IPv4-mapped IPv6 literal",
        baseUrl: "https://[::ffff:169.254.169.254]",
        status: 422,
        says: `${AT} a link-local address`,
    },
    {
        name: "an IPv6 unique-local address",
        baseUrl: "https://[fd00::1]",
        status: 422,
        says: `${AT} a ${ULA} address (fd00::1)`,
    },
    // Names: only their resolution shows where they lead, so the outbound layer refuses them.
    {
        name: "a name resolving to a private address",
        baseUrl: "https://keys.internal.test",
        status: 502,
        says: "the host resolves to 10.1.2.3, a private network address",
    },
    {
        name: "a name resolving to the metadata server",
        baseUrl: "https://rebound.test",
        status: 502,
        says: "the host resolves to 169.254.169.254, a link-local address",
    },
    {
        name: "plain http to a public host",
        baseUrl: "http://api.sendgrid.com",
        status: 422,
        says: 'rotator.params.baseUrl must use https (got "http://")',
    },
];

/** The function's DNS in this test: only the names above resolve. */
function testResolver(asked: string[]) {
    return async (host: string) => {
        asked.push(host);
        const address = DNS[host];
        if (!address) {
            throw Object.assign(new Error(`no test DNS entry for ${host}`), { code: "ENOTFOUND" });
        }
        return [{ address, family: 4 as const }];
    };
}

describe("SSRF targets in a policy are refused, and nothing is sent there", () => {
    let bot: MailBot;
    const asked: string[] = [];

    before(async () => {
        bot = await startMailBot({ world: { outbound: { resolve: testResolver(asked) } } });
        // One key secret per row, declared like mail-key but pointing SendGrid at the target. The
        // policy annotation is written directly: the seed would refuse the plain-http one.
        const { client, emulator } = bot.world;
        const template = emulator.inspect.secret(KEY_NAME)!;
        const policy = JSON.parse(template.annotations[POLICY_ANNOTATION]);
        const parent = `projects/${PROJECT}`;
        const replication = { automatic: {} };
        for (const [index, row] of ROWS.entries()) {
            const id = `target-${index}`;
            const rowPolicy = {
                ...policy,
                stateSecret: `${id}-state`,
                rotator: { ...policy.rotator, params: { baseUrl: row.baseUrl } },
            };
            await client.createSecret({
                parent,
                secretId: id,
                secret: {
                    replication,
                    labels: template.labels,
                    annotations: { [POLICY_ANNOTATION]: JSON.stringify(rowPolicy) },
                },
            });
            await client.createSecret({
                parent,
                secretId: `${id}-state`,
                secret: { replication, labels: { ...template.labels, [ROLE_LABEL]: "state" } },
            });
            await client.addSecretVersion({
                parent: `${parent}/secrets/${id}`,
                payload: { data: Buffer.from(`hand-made key ${index}`) },
            });
        }
    });
    after(async () => bot.stop());

    for (const [index, row] of ROWS.entries()) {
        it(`${row.name} (${row.baseUrl}): ${row.status}`, async () => {
            const { world, sendgrid } = bot;
            const secret = `target-${index}`;
            sendgrid.requests.reset();
            const connections = watchConnections();
            let answer;
            try {
                answer = await world.post("/rotate", { secret, force: true });
            } finally {
                connections.stop();
            }

            assert.equal(answer.status, row.status, JSON.stringify(answer.body));
            const message: string = answer.body.message ?? answer.body.error;
            assert.ok(message.includes(row.says), `"${message}" should say "${row.says}"`);
            if (row.status === 502) {
                assert.equal(answer.body.outcome, "failed");
                assert.match(message, /^creating the key at SendGrid failed/);
            }
            const sockets = connections.sockets();
            for (const socket of sockets) {
                const loopback = socket.outcome === "connected" && socket.address === "127.0.0.1";
                const shown = JSON.stringify(socket);
                assert.ok(loopback || socket.outcome === "refused", `a socket left: ${shown}`);
            }
            const host = new URL(row.baseUrl).hostname;
            const refused = sockets.filter((s) => s.outcome === "refused").map((s) => s.host);
            assert.deepEqual(
                refused,
                DNS[host] ? [host] : [],
                "only a name's lookup is refused; a literal is refused before any socket",
            );
            assert.equal(sendgrid.requests.total(), 0);
            assert.equal(await world.read(secret, "latest"), `hand-made key ${index}`);
            const stored = world.emulator.inspect.secret(`projects/${PROJECT}/secrets/${secret}`)!;
            assert.equal(stored.versions.length, 1, "no version was added");
            const alerts = events(world, "orphan.unresolved").filter((l) => l.secret === secret);
            assert.deepEqual(alerts, [], "nothing was sent, so no key can have been left behind");
            const admin = sendgrid.admin.apiKey;
            assert.ok(!world.logs.some((line) => JSON.stringify(line).includes(admin)));
        });
    }

    it("asked DNS only for names, never for a host refused by its spelling", () => {
        assert.deepEqual([...new Set(asked)].sort(), Object.keys(DNS).sort());
    });
});
