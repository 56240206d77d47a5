/**
 * Rotator config validation: each bad config gets whole sentences naming the field and the
 * fix, and good configs (every bundled preset included) get none.
 */
import * as assert from "node:assert/strict";
import type { HttpRotatorSpec } from "../../functions/rotator/policy/types";
import { PRESET_NAMES } from "../../functions/rotator/policy/types";
import { PRESETS, resolvePreset } from "../../functions/rotator/rotators/presets";
import { validateRotatorConfig } from "../../functions/rotator/rotators/validate";
import { validateSpec } from "../../functions/rotator/rotators/validate-spec";

const API = "https://api.example.com/v1";
const ADMIN = { Authorization: "Bearer {{admin}}" };
const KINDS = "one of http, google-api-key, oauth-refresh, manual";
const HOST_RULE =
    "but the admin credential may only go to the create URL's host " +
    "(api.example.com): use that host, or leave the admin credential out of this call";

/** A valid hand-written spec that each case below breaks in one way. */
function goodSpec(): HttpRotatorSpec {
    return {
        label: "Example",
        create: {
            method: "POST",
            url: `${API}/keys`,
            headers: ADMIN,
            json: { name: "{{keyName}}", expires: "{{expiresAt}}" },
            keyPath: "key",
            keyIdPath: "id",
        },
        verify: { method: "GET", url: `${API}/me`, headers: { "X-Key": "{{key}}" } },
        revoke: { method: "DELETE", url: `${API}/keys/{{keyId}}`, headers: ADMIN },
        list: {
            method: "GET",
            url: `${API}/keys?team={{params.team}}`,
            headers: ADMIN,
            itemsPath: "items",
            namePath: "name",
            idPath: "id",
        },
    };
}

function problemsOf(config: unknown): string[] {
    return validateRotatorConfig(config, "rotator");
}

/** Problems of the good spec after `change`, with the params given. */
function specProblems(change: (spec: any) => void, params = { team: "bots" } as object) {
    const spec = goodSpec();
    change(spec);
    return problemsOf({ kind: "http", spec, params });
}

/** Params the presets need, for the presets that have required ones. */
const REQUIRED_PARAMS: Record<string, Record<string, string>> = {
    cloudflare: { policies: "[]" },
    twilio: { accountSid: `AC${"0".repeat(32)}` },
    openai: { projectId: "proj_abc" },
};

describe("rotator config validation", () => {
    it("accepts a complete hand-written spec, and every preset's own spec", () => {
        assert.deepEqual(
            specProblems(() => undefined),
            [],
        );
        for (const name of PRESET_NAMES) {
            const params = REQUIRED_PARAMS[name] ?? {};
            assert.deepEqual(problemsOf({ kind: "http", preset: name, params }), [], name);
            const resolved = resolvePreset(PRESETS[name], params);
            assert.deepEqual(validateSpec(resolved.spec, name, resolved.params, {}), [], name);
        }
    });

    it("names the kinds when the config is not an object or the kind is unknown", () => {
        assert.deepEqual(problemsOf("sendgrid"), [
            `rotator must be an object with a "kind": ${KINDS}`,
        ]);
        assert.deepEqual(problemsOf({ kind: "https" }), [`rotator.kind is "https": use ${KINDS}`]);
    });

    it("lists the presets for an unknown one, and refuses spec and preset together", () => {
        assert.deepEqual(problemsOf({ kind: "http", preset: "mailgun" }), [
            'rotator.preset is "mailgun", which is not a bundled preset: use one of sendgrid, ' +
                "cloudflare, twilio, datadog, openai, openrouter, or describe the provider with " +
                '"spec"',
        ]);
        assert.deepEqual(problemsOf({ kind: "http", preset: "sendgrid", spec: goodSpec() }), [
            'rotator has both spec and preset: keep "preset" for a bundled provider or "spec" to ' +
                "describe one, not both",
        ]);
    });

    it("names a missing, an unknown and a malformed preset param", () => {
        const twilio = { kind: "http", preset: "twilio", params: { accountSID: "AC1" } };
        assert.deepEqual(problemsOf(twilio), [
            "rotator.params.accountSID is not a param of the twilio preset: remove it (its " +
                "params: accountSid, baseUrl, apiBaseUrl)",
            "rotator.params.accountSid is missing: the twilio preset needs it (The Account SID " +
                'the keys belong to, e.g. "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX".)',
        ]);
        const params = { accountId: "my-account", policies: '{"effect":"allow"}' };
        assert.deepEqual(problemsOf({ kind: "http", preset: "cloudflare", params }), [
            "rotator.params.accountId does not look right: it must be 32 lowercase hex digits, " +
                "as shown in the dashboard's URL",
            "rotator.params.policies must be the JSON text of an array, e.g. " +
                '\'[{"effect": "allow", ...}]\'',
        ]);
    });

    it("requires https for a preset's base URL unless loopback http is allowed", () => {
        const params = { baseUrl: "http://127.0.0.1:8080" };
        const config = { kind: "http", preset: "openrouter", params };
        assert.deepEqual(problemsOf(config), [
            "rotator.params.baseUrl must use https (got " +
                '"http://"): provider APIs are only called over TLS',
        ]);
        assert.deepEqual(validateRotatorConfig(config, "rotator", { allowLoopbackHttp: true }), []);
    });

    it("asks for each missing response path with an example", () => {
        assert.deepEqual(
            specProblems((s) => {
                delete s.create.keyPath;
                delete s.list.idPath;
            }),
            [
                "rotator.spec.create.keyPath is missing: give the dotted path of the key in the " +
                    'create response, e.g. "api_key"',
                "rotator.spec.list.idPath is missing: give the dotted path of a key's ID within " +
                    "one " +
                    'list item, e.g. "id"',
            ],
        );
    });

    it("names a bad method, a plain-http URL and a body on GET", () => {
        assert.deepEqual(
            specProblems((s) => {
                s.create.method = "FETCH";
                s.revoke.url = "http://api.example.com/v1/keys/{{keyId}}";
                s.verify.json = { probe: true };
            }),
            [
                'rotator.spec.create.method is "FETCH": use one of GET, POST, PUT, PATCH, DELETE',
                "rotator.spec.verify has a body on GET: remove json/form or use POST",
                'rotator.spec.revoke.url must use https (got "http://"): provider APIs are only ' +
                    "called over TLS",
            ],
        );
    });

    it("refuses json and form together", () => {
        assert.deepEqual(
            specProblems((s) => {
                s.create.form = { name: "{{keyName}}" };
            }),
            ["rotator.spec.create has both json and form: a request has one body; keep one"],
        );
    });

    it("names an unknown placeholder and lists the known ones", () => {
        assert.deepEqual(
            specProblems((s) => {
                s.create.json.name = "{{key_name}}";
            }),
            [
                "rotator.spec.create uses {{key_name}}, which is not a placeholder: use one of " +
                    "{{admin}}, {{keyName}}, {{keyId}}, {{key}}, {{expiresAt}}, {{admin.FIELD}}, " +
                    "{{params.NAME}}",
                "rotator.spec.create does not send {{keyName}}: give each key its name, so that " +
                    "a key left by a crash can be found and revoked",
            ],
        );
    });

    it("refuses the admin credential on a host other than the create URL's", () => {
        const otherHost = (s: any) => {
            s.list.url = "https://list.example.com/v1/keys";
        };
        assert.deepEqual(specProblems(otherHost), [
            `rotator.spec.list sends {{admin}} to list.example.com, ${HOST_RULE}`,
            "rotator.params.team is not used by the spec: remove it, or use it as {{params.team}}",
        ]);
    });

    it("keeps the new key out of all calls but verify, and the admin key out of verify", () => {
        assert.deepEqual(
            specProblems((s) => {
                s.create.json.copy = "{{key}}";
                s.verify.headers = { Authorization: "Bearer {{admin}}" };
            }),
            [
                "rotator.spec.create uses {{key}}, which create cannot use: the new key may only " +
                    "be sent by verify, which checks it",
                "rotator.spec.verify uses {{admin}}, which verify cannot use: verify must check " +
                    "the new key with the key itself, not the admin credential; remove it",
                "rotator.spec.verify does not send {{key}}: verify must check the new key itself " +
                    "(in a header, basic auth or the URL)",
            ],
        );
    });

    it("names a param the spec uses but the config does not give", () => {
        assert.deepEqual(
            specProblems(() => undefined, {}),
            [
                "rotator.spec.list uses {{params.team}} but rotator.params.team is missing: add " +
                    "it to the rotator's params",
            ],
        );
    });

    it("names unknown fields and an expected value without its path", () => {
        assert.deepEqual(
            specProblems((s) => {
                s.delete = {};
                s.verify.expectValue = "active";
            }),
            [
                "rotator.spec.delete is not a spec field: remove it (spec fields: label, create, " +
                    "verify, revoke, list)",
                "rotator.spec.verify.expectValue is set without expectPath: give the path of the " +
                    'response field to compare, e.g. "result.status"',
            ],
        );
    });

    it("accepts each way of paging a list, and names what is wrong with a paging", () => {
        for (const paging of [
            { nextUrlPath: "meta.next_page_url" },
            { cursorPath: "last_id", cursorParam: "after", morePath: "has_more", maxPages: 5 },
            { pageParam: "page", totalPagesPath: "result_info.total_pages" },
            { offsetParam: "offset" },
        ]) {
            assert.deepEqual(
                specProblems((s) => (s.list.paging = paging)),
                [],
                JSON.stringify(paging),
            );
        }
        const ways =
            'e.g. { "nextUrlPath": "meta.next_page_url" }, { "cursorPath": "last_id", ' +
            '"cursorParam": "after", "morePath": "has_more" }, { "pageParam": "page", ' +
            '"totalPagesPath": "result_info.total_pages" } or { "offsetParam": "offset" }';
        const field = "rotator.spec.list.paging";
        assert.deepEqual(
            specProblems((s) => (s.list.paging = "next")),
            [`${field} must be an object, ${ways}`],
        );
        assert.deepEqual(
            specProblems((s) => (s.list.paging = { maxPages: 5 })),
            [`${field} must say one way to reach the next page: ${ways}`],
        );
        assert.deepEqual(
            specProblems(
                (s) => (s.list.paging = { nextUrlPath: "next", offsetParam: "offset", size: 2 }),
            ),
            [
                `${field}.size is not a paging field: remove it (fields: nextUrlPath, ` +
                    "cursorPath, cursorParam, pageParam, totalPagesPath, offsetParam, morePath, " +
                    "maxPages)",
                `${field} must say one way to reach the next page: ${ways}; it mixes several`,
            ],
        );
        assert.deepEqual(
            specProblems(
                (s) =>
                    (s.list.paging = {
                        cursorPath: "last id",
                        cursorParam: "after&x=1",
                        maxPages: 101,
                    }),
            ),
            [
                `${field}.cursorPath must be a dotted path such as "meta.next_page_url"`,
                `${field}.cursorParam must be a query parameter name such as "after" or "page"`,
                `${field}.maxPages must be a whole number from 1 to 100 (default 20)`,
            ],
        );
        assert.deepEqual(
            specProblems((s) => (s.list.paging = { pageParam: "page", morePath: "more" })),
            [
                `${field}.totalPagesPath is missing: pageParam and totalPagesPath go together`,
                `${field}.morePath goes with cursorPath: remove it or page by cursor`,
            ],
        );
    });

    it("names an unknown manual verifier, and an endpoint without one", () => {
        assert.deepEqual(problemsOf({ kind: "manual", verify: "slack" }), [
            'rotator.verify is "slack", which has no built-in check: use one of telegram, ' +
                "discord, anthropic, github, stripe, or leave it out",
        ]);
        assert.deepEqual(problemsOf({ kind: "manual", endpoint: "https://api.telegram.org" }), [
            "rotator.endpoint is set but verify is not: name the check it is for, or remove " +
                "endpoint",
        ]);
    });

    it("checks the Google API key fields", () => {
        const config = {
            kind: "google-api-key",
            serviceAccountEmail: "bot@example.com",
            region: "eu",
            verifyUrl: "https://generativelanguage.googleapis.com/v1beta/models",
        };
        assert.deepEqual(problemsOf(config), [
            'rotator.region is not a field of a "google-api-key" rotator: remove it (its fields: ' +
                "kind, project, displayName, restrictions, serviceAccountEmail, verifyUrl, " +
                "endpoint)",
            "rotator.project is missing: give the ID or number of the project that owns the keys",
            "rotator.serviceAccountEmail must be a service account's email, e.g. " +
                '"gemini-bot@my-project.iam.gserviceaccount.com"',
            "rotator.verifyUrl does not hold {{key}}: put the key where the API expects it, " +
                'e.g. "https://generativelanguage.googleapis.com/v1beta/models?key={{key}}"',
        ]);
    });

    it("checks the Slack refresh-token fields", () => {
        const config = {
            kind: "oauth-refresh",
            provider: "discord",
            clientId: "abc",
            endpoint: "slack.com",
        };
        assert.deepEqual(problemsOf(config), [
            'rotator.provider is "discord": use "slack" (the only refresh-token provider ' +
                "supported)",
            'rotator.clientId must be the Slack app\'s client ID, e.g. "1234567890.9876543210" ' +
                "(Basic Information page of the app)",
            'rotator.endpoint is not a URL: write it as "https://slack.com"',
        ]);
    });
});
