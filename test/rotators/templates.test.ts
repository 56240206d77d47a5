import * as assert from "node:assert/strict";
import {
    formatExpiry,
    lookupPath,
    placeholdersIn,
    renderForm,
    renderJson,
    renderString,
    renderUrl,
    TemplateError,
    TemplateValues,
} from "../../functions/rotator/rotators/templates";

const values: TemplateValues = {
    admin: JSON.stringify({ apiKey: "dd-api-secret", appKey: "dd-app-secret" }),
    keyName: "keywarden-mail-bot-abc",
    keyId: "id/with slash",
    key: "SG.new-key",
    expiresAt: "2026-03-01T00:00:00Z",
    params: { baseUrl: "https://api.example.com/v4", scopes: "mail.send" },
};

function templateError(run: () => unknown): TemplateError {
    try {
        run();
    } catch (error) {
        assert.ok(error instanceof TemplateError, String(error));
        return error;
    }
    assert.fail("expected a TemplateError");
}

describe("spec templates", () => {
    it("fill every kind of placeholder in a string", () => {
        const all = "{{keyName}}|{{keyId}}|{{key}}|{{expiresAt}}|{{params.scopes}}";
        assert.equal(
            renderString(all, values),
            "keywarden-mail-bot-abc|id/with slash|SG.new-key|2026-03-01T00:00:00Z|mail.send",
        );
        assert.equal(
            renderString("{{admin.apiKey}}/{{admin.appKey}}", values),
            "dd-api-secret/dd-app-secret",
        );
        assert.equal(
            renderString("Bearer {{admin}}", { admin: "plain-token" }),
            "Bearer plain-token",
        );
    });

    it("percent-encode runtime values in URLs, so a key ID cannot add path segments", () => {
        assert.equal(
            renderUrl("{{params.baseUrl}}/keys/{{keyId}}", values),
            "https://api.example.com/v4/keys/id%2Fwith%20slash",
            "params are not encoded",
        );
    });

    it("fill the strings of a JSON tree, leaving other values and object keys alone", () => {
        const tree = {
            name: "{{keyName}}",
            "{{key}}": 1,
            nested: [{ scope: "{{params.scopes}}" }, true, null],
        };
        assert.deepEqual(renderJson(tree, values), {
            name: "keywarden-mail-bot-abc",
            "{{key}}": 1,
            nested: [{ scope: "mail.send" }, true, null],
        });
    });

    it("leave out a JSON member or form field that is just {{expiresAt}} without expiry", () => {
        const noExpiry = { ...values, expiresAt: undefined };
        const json = { name: "{{keyName}}", expires_on: "{{expiresAt}}" };
        assert.deepEqual(renderJson(json, noExpiry), { name: "keywarden-mail-bot-abc" });
        const form = { Name: "{{keyName}}", Expiry: "{{expiresAt}}" };
        assert.deepEqual(renderForm(form, noExpiry), { Name: "keywarden-mail-bot-abc" });
        const error = templateError(() => renderString("until {{expiresAt}}", noExpiry));
        assert.equal(
            error.message,
            "{{expiresAt}} has no value in this call (no expiry was requested)",
        );
    });

    it("name an unknown placeholder and list the known ones", () => {
        const error = templateError(() => renderString("{{keyname}}", values));
        assert.equal(error.placeholder, "{{keyname}}");
        assert.equal(
            error.message,
            "{{keyname}} is not a known placeholder: use one of " +
                "{{admin}}, {{keyName}}, {{keyId}}, {{key}}, {{expiresAt}}, {{admin.FIELD}}, " +
                "{{params.NAME}}",
        );
    });

    it("name a missing param and a missing value without showing any value", () => {
        assert.equal(
            templateError(() => renderString("{{params.accountId}}", values)).message,
            '{{params.accountId}} has no value: add "accountId" to the rotator\'s params',
        );
        assert.equal(
            templateError(() => renderString("{{key}}", { keyName: "x" })).message,
            "{{key}} has no value in this call (the new key exists in verify only)",
        );
    });

    it("blame the admin secret, without quoting it, for a missing field or non-JSON", () => {
        const partial = { admin: '{"apiKey":"dd-1"}' };
        const missing = templateError(() => renderString("{{admin.appKey}}", partial));
        assert.equal(missing.adminAtFault, true);
        assert.equal(
            missing.message,
            "{{admin.appKey}} has no value: the admin secret's JSON " +
                'has no string field "appKey"; add it',
        );
        const raw = { admin: "raw-secret-token" };
        const notJson = templateError(() => renderString("{{admin.appKey}}", raw));
        assert.equal(
            notJson.message,
            "{{admin.appKey}} needs the admin secret to hold a JSON " +
                'object with the field "appKey", and it does not hold one: store it as JSON',
        );
    });

    it("list the placeholders used in strings and JSON trees, in order", () => {
        const parts = ["{{params.baseUrl}}/x/{{keyId}}", { a: ["{{admin.appKey}}"] }];
        assert.deepEqual(placeholdersIn(parts), ["params.baseUrl", "keyId", "admin.appKey"]);
    });

    it("format expiry as RFC 3339 to the second, rounded down", () => {
        assert.equal(formatExpiry(new Date("2026-03-01T10:20:30.999Z")), "2026-03-01T10:20:30Z");
    });
});

describe("response paths", () => {
    const body = {
        data: { id: 7, attributes: { key: "k-1", "dash-ed": "d" } },
        result: { id: "r-1" },
        items: [{ id: "first" }, { id: "second" }],
    };

    it("follow dotted paths through objects and numeric segments through arrays", () => {
        assert.equal(lookupPath(body, "data.attributes.key"), "k-1");
        assert.equal(lookupPath(body, "result.id"), "r-1");
        assert.equal(lookupPath(body, "items.1.id"), "second");
        assert.equal(lookupPath(body, "data.id"), 7);
        assert.equal(lookupPath(body, "data.attributes.dash-ed"), "d");
    });

    it("answer undefined for any missing step instead of throwing", () => {
        assert.equal(lookupPath(body, "data.attributes.missing"), undefined);
        assert.equal(lookupPath(body, "items.5.id"), undefined);
        assert.equal(lookupPath(body, "items.first"), undefined);
        assert.equal(lookupPath("text body", "data"), undefined);
        assert.equal(lookupPath(null, "data"), undefined);
        assert.equal(lookupPath(body, "data.toString"), undefined, "inherited is not a field");
    });
});
