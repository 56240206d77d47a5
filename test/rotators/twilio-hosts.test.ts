/**
 * Twilio keys are managed on the IAM host with the account's Auth Token and checked on the REST
 * API host with the new key. These tests put a wiretap in front of the API host (a loopback
 * relay that records the raw requests it forwards) and show that the Auth Token never reaches
 * it, through any of the three layers that guard it: validation, the rotator, the transport.
 */
import * as assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { HttpRotatorSpec } from "../../functions/rotator/policy/types";
import { createRotator, RotatorConfigError } from "../../functions/rotator/rotators";
import { TransportError } from "../../functions/rotator/rotators/failures";
import { HttpSpecRotator } from "../../functions/rotator/rotators/http-spec";
import { outboundTransport } from "../../functions/rotator/rotators/outbound-transport";
import { PRESETS, resolvePreset } from "../../functions/rotator/rotators/presets";
import { validateRotatorConfig } from "../../functions/rotator/rotators/validate";
import { FakeTwilio, startFakeTwilio } from "../../standins/providers/twilio";
import {
    captureLogs,
    depsWith,
    localhostNames,
    loopbackClient,
    RecordingTransport,
    rejectsWith,
} from "./support";

/** A relay on 127.0.0.1 that records each request's raw head and body, then forwards it. */
async function startWiretap(targetPort: number) {
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
            const body = Buffer.concat(chunks);
            seen.push(`${req.method} ${req.url}\n${req.rawHeaders.join("\n")}\n\n${body}`);
            const forward = http.request(
                {
                    host: "127.0.0.1",
                    port: targetPort,
                    method: req.method,
                    path: req.url,
                    headers: req.headers,
                },
                (answer) => {
                    res.writeHead(answer.statusCode ?? 502, answer.headers);
                    answer.pipe(res);
                },
            );
            forward.on("error", () => res.destroy());
            forward.end(body);
        });
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    return {
        port: (server.address() as AddressInfo).port,
        seen,
        close: () =>
            new Promise<void>((done) => {
                server.closeAllConnections();
                server.close(() => done());
            }),
    };
}

describe("the Twilio Auth Token and the REST API host", () => {
    let twilio: FakeTwilio;
    let wiretap: Awaited<ReturnType<typeof startWiretap>>;
    let logs: ReturnType<typeof captureLogs>;
    let params: Record<string, string>;
    let tokenForms: string[];

    beforeEach(async () => {
        logs = captureLogs();
        twilio = await startFakeTwilio();
        const fakePort = new URL(twilio.baseUrl).port;
        wiretap = await startWiretap(Number(fakePort));
        params = {
            accountSid: twilio.admin.accountSid,
            baseUrl: `http://iam.localhost:${fakePort}`,
            apiBaseUrl: `http://api.localhost:${wiretap.port}`,
        };
        const { accountSid, authToken } = twilio.admin;
        tokenForms = [authToken, Buffer.from(`${accountSid}:${authToken}`).toString("base64")];
    });
    afterEach(async () => {
        await wiretap.close();
        await twilio.stop();
        logs.restore();
    });

    function assertTapClean() {
        for (const request of wiretap.seen) {
            for (const form of tokenForms) {
                assert.ok(!request.includes(form), "the Auth Token reached the API host");
            }
        }
    }

    it("goes to the IAM host only, while the new key is checked on the API host", async () => {
        const transport = new RecordingTransport(loopbackClient(localhostNames));
        const source = createRotator(
            { kind: "http", preset: "twilio", params },
            depsWith(transport, twilio.admin.authToken),
        );
        assert.equal(source.mode, "automatic");
        if (source.mode !== "automatic") return;
        const request = { keyName: "keywarden-sms-t1", attemptId: "t1" };
        const issued = await source.rotator.create(request);
        await source.rotator.verify(issued);
        assert.deepEqual(await source.rotator.findByName("keywarden-sms-t1"), [issued.keyId]);
        assert.equal(await source.rotator.revoke(issued.keyId), "revoked");

        assert.equal(wiretap.seen.length, 1, "only verify went to the API host");
        const keyAuth = Buffer.from(`${issued.keyId}:${issued.secret}`).toString("base64");
        assert.ok(wiretap.seen[0].includes(`Basic ${keyAuth}`), "verify carried the new key");
        assertTapClean();
        const iam = `iam.localhost:${new URL(twilio.baseUrl).port}`;
        const api = `api.localhost:${wiretap.port}`;
        const sent = transport.sent.map((r) => [r.method, new URL(r.url).host, r.credentialHost]);
        assert.deepEqual(sent, [
            ["POST", iam, iam],
            ["GET", api, api],
            ["GET", iam, iam],
            ["DELETE", iam, iam],
        ]);
        assert.deepEqual(
            transport.sent.map((r) => r.idempotent),
            [false, true, true, true],
            "only the create is marked not idempotent",
        );
    });

    it("is kept from the API host by validation, by the rotator and by the transport", async () => {
        const { spec } = resolvePreset(PRESETS.twilio, params);
        const leaky: HttpRotatorSpec = {
            ...spec,
            revoke: { ...spec.revoke, url: "{{params.apiBaseUrl}}/v1/Keys/{{keyId}}" },
        };
        const config = { kind: "http" as const, spec: leaky, params };

        const expected =
            `rotator.spec.revoke sends {{admin}} to api.localhost:${wiretap.port}, ` +
            "but the admin credential may only go to the create URL's host " +
            `(iam.localhost:${new URL(twilio.baseUrl).port}): use that host, or leave the admin ` +
            "credential out of this call";
        const rules = { allowLoopbackHttp: true };
        assert.deepEqual(validateRotatorConfig(config, "rotator", rules), [expected]);
        const client = loopbackClient(localhostNames);
        const deps = depsWith(new RecordingTransport(client), twilio.admin.authToken);
        assert.throws(() => createRotator(config, deps), RotatorConfigError);

        const unchecked = new HttpSpecRotator(leaky, params, deps);
        const refused = await rejectsWith(unchecked.revoke("SK0123"), "needs-human", tokenForms);
        assert.match(
            refused.message,
            /^Twilio revoke would send the admin credential to api\.localhost/,
        );

        const transport = outboundTransport(loopbackClient(localhostNames));
        const sent = transport.request({
            method: "DELETE",
            url: `${params.apiBaseUrl}/v1/Keys/SK0123`,
            idempotent: true,
            basicAuth: { username: twilio.admin.accountSid, password: twilio.admin.authToken },
            credentialHost: "iam.localhost",
            secrets: [twilio.admin.authToken],
        });
        await assert.rejects(
            sent,
            (error: unknown) =>
                error instanceof TransportError &&
                error.code === "needs-human" &&
                !error.message.includes(twilio.admin.authToken),
        );
        assert.equal(wiretap.seen.length, 0, "nothing reached the API host");
    });
});
