import * as assert from "node:assert/strict";
import type { DisplayLine } from "../../sandbox/display";
import { ProviderRelay, startProviderRelay } from "../../sandbox/provider-relay";
import { FakeSendGrid, startFakeSendGrid } from "../../standins/providers/sendgrid";
import { call } from "../../standins/providers/http-client";

describe("the sandbox's provider relay", () => {
    let sendgrid: FakeSendGrid;
    let relay: ProviderRelay;
    let shown: DisplayLine[];

    beforeEach(async () => {
        sendgrid = await startFakeSendGrid();
        shown = [];
        relay = await startProviderRelay(sendgrid, (line) => shown.push(line));
    });
    afterEach(async () => {
        await relay.stop();
        await sendgrid.stop();
    });

    it("passes key calls through unchanged and reports create, verify and revoke", async () => {
        const admin = sendgrid.admin.apiKey;
        const created = await call(relay.baseUrl, "POST", "/v3/api_keys", {
            bearer: admin,
            json: { name: "keywarden-mail-bot-a1", scopes: ["mail.send"] },
        });
        assert.equal(created.status, 201);
        const key = sendgrid.register.find(created.body.api_key_id)!;
        assert.equal(created.body.api_key, key.secret, "the new key reaches the caller");
        const verified = await call(relay.baseUrl, "GET", "/v3/scopes", { bearer: key.secret });
        assert.deepEqual(verified.body, { scopes: ["mail.send"] });
        const revoked = await call(relay.baseUrl, "DELETE", `/v3/api_keys/${key.id}`, {
            bearer: admin,
        });
        assert.equal(revoked.status, 204);
        assert.equal(sendgrid.register.isValid(key), false);

        assert.deepEqual(shown, [
            {
                lane: "provider",
                label: "created",
                detail:
                    "SendGrid key keywarden-mail-bot-a1 " +
                    `(key ID ${key.id}): POST /v3/api_keys answered 201`,
            },
            {
                lane: "provider",
                label: "verified",
                detail: "the new key works: GET /v3/scopes answered 200",
            },
            {
                lane: "provider",
                label: "revoked",
                detail: `SendGrid key ID ${key.id}: ` + "DELETE /v3/api_keys/{id} answered 204",
            },
        ]);
        const printed = JSON.stringify(shown);
        assert.ok(!printed.includes(key.secret), "no key in the report");
        assert.ok(!printed.includes(admin), "no admin key in the report");
    });

    it("reports a refused call as a failure, with the provider's status", async () => {
        const answer = await call(relay.baseUrl, "POST", "/v3/api_keys", {
            bearer: "SG.not-a-key",
            json: { name: "x" },
        });
        assert.equal(answer.status, 401);
        assert.deepEqual(answer.body.errors, [{ field: null, message: "authorization required" }]);
        assert.deepEqual(shown, [
            {
                lane: "provider",
                label: "call refused",
                tone: "bad",
                detail: "SendGrid: POST /v3/api_keys answered 401",
            },
        ]);
    });
});
