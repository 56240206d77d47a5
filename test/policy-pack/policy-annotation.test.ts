/**
 * Rule keywarden-policy-annotation: a key secret keywarden would rotate must carry a policy the
 * rotation function accepts, or the preview fails.
 */
import * as assert from "node:assert/strict";
import { policyAnnotationRule } from "../../policy-pack/rules/policy-annotation";
import { keySecret, rotationPolicy, runResourceRule, UNKNOWN } from "./support";

const rule = policyAnnotationRule;

describe("policy rule keywarden-policy-annotation", () => {
    it("passes a key secret whose policy the rotation function accepts", async () => {
        const secret = keySecret(rotationPolicy({ healthUrl: "https://bot.example.com/healthz" }));
        assert.deepEqual(await runResourceRule(rule, secret), []);
    });

    it("fails a key secret without a policy annotation, saying how to fix it", async () => {
        assert.deepEqual(await runResourceRule(rule, keySecret(undefined)), [
            'secret "mailer-bot-sendgrid" is labelled as a keywarden key of fleet "prod" but ' +
                "has no keywarden-policy annotation, so it will never be rotated: declare it " +
                "with keywarden's Bot component, or remove the keywarden-fleet label if " +
                "keywarden should not manage it",
        ]);
    });

    it("fails a policy the function would refuse, once per problem", async () => {
        const policy = rotationPolicy({ gracePeriod: "40d", healthUrl: "http://bot.example.com/" });
        const prefix =
            'secret "mailer-bot-sendgrid" has a keywarden-policy annotation the ' +
            "rotation function would refuse: ";
        assert.deepEqual(await runResourceRule(rule, keySecret(policy)), [
            `${prefix}gracePeriod (40d) must be shorter than rotationPeriod (30d), so that at ` +
                "most two keys are valid at once: shorten it",
            `${prefix}healthUrl must use https (got "http://"): serve the health endpoint over TLS`,
        ]);
    });

    it("fails an annotation that is not JSON", async () => {
        assert.deepEqual(await runResourceRule(rule, keySecret("{rotationPeriod: 30d")), [
            'secret "mailer-bot-sendgrid" has a keywarden-policy annotation the rotation ' +
                "function would refuse: the policy annotation is not valid JSON: rewrite it with " +
                "`pulumi up`",
        ]);
    });

    it("leaves state secrets, unlabelled secrets and other resources alone", async () => {
        const state = keySecret(undefined, "mailer-bot-sendgrid-state");
        state.props.labels["keywarden-role"] = "state";
        const plain = keySecret(undefined, "someone-elses-secret");
        plain.props.labels = { team: "payments" };
        const bucket = { type: "gcp:storage/bucket:Bucket", name: "b", props: { labels: {} } };
        for (const resource of [state, plain, bucket]) {
            assert.deepEqual(await runResourceRule(rule, resource), [], resource.name);
        }
    });

    it("draws no conclusion while preview does not know the annotations", async () => {
        const secret = keySecret(undefined);
        secret.props.annotations = UNKNOWN;
        assert.deepEqual(await runResourceRule(rule, secret), []);
    });
});
