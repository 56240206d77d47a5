/**
 * Rule keywarden-uptime-checks (a stack rule): each key whose policy names a health URL has an
 * uptime check calling that host and path.
 */
import * as assert from "node:assert/strict";
import { uptimeChecksRule } from "../../policy-pack/rules/uptime-checks";
import { keySecret, rotationPolicy, runStackRule, TestResource, UNKNOWN, urnOf } from "./support";

const rule = uptimeChecksRule;
const HEALTH_URL = "https://mailer-bot.acme.example/healthz";

/** An uptime check as the Bot component declares it. */
function uptimeCheck(host: string, path: string): TestResource {
    return {
        type: "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig",
        name: `check-${host}`,
        props: {
            displayName: "keywarden prod: mailer-bot health",
            period: "300s",
            monitoredResource: { type: "uptime_url", labels: { project_id: "p", host } },
            httpCheck: { requestMethod: "GET", path, port: 443, useSsl: true },
        },
    };
}

describe("policy rule keywarden-uptime-checks", () => {
    it("passes when an uptime check calls the health URL's host and path", async () => {
        const secret = keySecret(rotationPolicy({ healthUrl: `${HEALTH_URL}?probe=1` }));
        const check = uptimeCheck("mailer-bot.acme.example", "/healthz?probe=1");
        assert.deepEqual(await runStackRule(rule, [secret, check]), []);
    });

    it("fails a health URL no uptime check calls, on the secret's URN", async () => {
        const secret = keySecret(rotationPolicy({ healthUrl: HEALTH_URL }));
        const elsewhere = uptimeCheck("mailer-bot.acme.example", "/status");
        assert.deepEqual(await runStackRule(rule, [secret, elsewhere]), [
            {
                message:
                    'secret "mailer-bot-sendgrid" of bot "mailer-bot" declares the health ' +
                    `URL ${HEALTH_URL}, but no uptime check calls host mailer-bot.acme.example ` +
                    "path /healthz: give the bot a healthCheck with this URL (the Bot component " +
                    "declares the check), or turn healthGate off for this secret",
                urn: urnOf(secret),
            },
        ]);
    });

    it("asks nothing of keys without a health URL", async () => {
        assert.deepEqual(await runStackRule(rule, [keySecret(rotationPolicy())]), []);
    });

    it("draws no conclusion while preview does not know a check's host", async () => {
        const secret = keySecret(rotationPolicy({ healthUrl: HEALTH_URL }));
        const check = uptimeCheck(UNKNOWN, "/healthz");
        assert.deepEqual(await runStackRule(rule, [secret, check]), []);
    });
});
