/**
 * Rule keywarden-rotation-limits: rotation and grace periods stay within the bounds the team
 * configures, with defaults when it configures none.
 */
import * as assert from "node:assert/strict";
import { rotationLimitsRule } from "../../policy-pack/rules/rotation-limits";
import { keySecret, rotationPolicy, runResourceRule } from "./support";

const rule = rotationLimitsRule;
const FIX_CONFIG = "the policy pack's configuration";

describe("policy rule keywarden-rotation-limits", () => {
    it("passes the periods of the example stacks under the default limits", async () => {
        const examples = [
            ["30d", "2d"],
            ["14d", "1d"],
            ["180d", "1d"],
        ];
        for (const [rotationPeriod, gracePeriod] of examples) {
            const secret = keySecret(rotationPolicy({ rotationPeriod, gracePeriod }));
            assert.deepEqual(await runResourceRule(rule, secret), [], rotationPeriod);
        }
    });

    it("fails periods outside the default limits, naming the limit and both fixes", async () => {
        const rare = keySecret(rotationPolicy({ rotationPeriod: "365d", gracePeriod: "10d" }));
        assert.deepEqual(await runResourceRule(rule, rare), [
            'secret "mailer-bot-sendgrid" has rotationPeriod 365d, longer than this team\'s ' +
                "maxRotationPeriod (180d): shorten rotationPeriod in the bot's configuration, or " +
                `raise the limit in ${FIX_CONFIG}`,
            'secret "mailer-bot-sendgrid" has gracePeriod 10d, longer than this team\'s ' +
                "maxGracePeriod (7d): shorten gracePeriod in the bot's configuration, or raise " +
                "the " +
                `limit in ${FIX_CONFIG}`,
        ]);
        const frequent = keySecret(rotationPolicy({ rotationPeriod: "12h", gracePeriod: "1h" }));
        assert.deepEqual(await runResourceRule(rule, frequent), [
            'secret "mailer-bot-sendgrid" has rotationPeriod 12h, shorter than this team\'s ' +
                "minRotationPeriod (1d): lengthen rotationPeriod in the bot's configuration, or " +
                `lower the limit in ${FIX_CONFIG}`,
        ]);
    });

    it("applies the team's own limits, each bound included", async () => {
        const config = { minRotationPeriod: "7d", maxRotationPeriod: "2w", maxGracePeriod: "1d" };
        const atBounds = keySecret(rotationPolicy({ rotationPeriod: "14d", gracePeriod: "24h" }));
        assert.deepEqual(await runResourceRule(rule, atBounds, config), []);
        const monthly = keySecret(rotationPolicy({ rotationPeriod: "30d", gracePeriod: "2d" }));
        assert.deepEqual(await runResourceRule(rule, monthly, config), [
            'secret "mailer-bot-sendgrid" has rotationPeriod 30d, longer than this team\'s ' +
                "maxRotationPeriod (2w): shorten rotationPeriod in the bot's configuration, or " +
                `raise the limit in ${FIX_CONFIG}`,
            'secret "mailer-bot-sendgrid" has gracePeriod 2d, longer than this team\'s ' +
                "maxGracePeriod (1d): shorten gracePeriod in the bot's configuration, or raise " +
                "the " +
                `limit in ${FIX_CONFIG}`,
        ]);
    });

    it("stops the run on limits that are not durations or cannot be met together", async () => {
        const secret = keySecret(rotationPolicy());
        await assert.rejects(runResourceRule(rule, secret, { maxRotationPeriod: "90 days" }), {
            message:
                "the configuration of policy keywarden-rotation-limits is not usable: " +
                'maxRotationPeriod "90 days" is not a duration: use a whole number and a unit ' +
                '(w, d, h, m, s), for example "30d", "12h" or "1d12h"',
        });
        await assert.rejects(runResourceRule(rule, secret, { minRotationPeriod: "200d" }), {
            message:
                "the configuration of policy keywarden-rotation-limits is not usable: " +
                "minRotationPeriod (200d) is longer than maxRotationPeriod (180d), so no key " +
                "could pass: lower the one or raise the other",
        });
    });

    it("leaves policies it cannot read to the annotation rule", async () => {
        for (const secret of [
            keySecret(rotationPolicy({ rotationPeriod: "monthly", gracePeriod: "-" })),
            keySecret("not json"),
            keySecret(undefined),
        ]) {
            assert.deepEqual(await runResourceRule(rule, secret), []);
        }
    });
});
