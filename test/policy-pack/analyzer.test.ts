/**
 * The pack works where teams run it: started by Pulumi's own policy-pack runner as a separate
 * process and driven over the analyzer gRPC protocol the Pulumi CLI speaks, it describes its
 * rules, takes the team's limits, reports violations as mandatory, and stays quiet about values
 * preview does not know yet.
 */
import * as assert from "node:assert/strict";
import { noPublicAccessRule } from "../../policy-pack/rules/public-access";
import { rotationLimitsRule } from "../../policy-pack/rules/rotation-limits";
import { PackProcess } from "./analyzer-process";
import { keySecret, rotationPolicy, TestResource, UNKNOWN, urnOf } from "./support";

const INVOKER = "gcp:cloudrunv2/serviceIamMember:ServiceIamMember";

describe("the policy pack, run by Pulumi's policy-pack runner", function () {
    // The runner compiles the pack's TypeScript before it serves; that takes a few seconds.
    this.timeout(30_000);
    let pack: PackProcess;

    before(async () => (pack = await PackProcess.start()));
    after(async () => pack?.stop());

    it("describes its four rules and the limits a team can configure", async () => {
        const info = await pack.info();
        assert.equal(info.getName(), "keywarden");
        const policies = info.getPoliciesList();
        assert.deepEqual(
            policies.map((policy) => policy.getName()),
            [
                "keywarden-policy-annotation",
                "keywarden-no-public-access",
                "keywarden-rotation-limits",
                "keywarden-uptime-checks",
            ],
        );
        const schema = policies[2].getConfigschema()!.getProperties()!.toJavaScript() as any;
        const defaults = Object.entries(schema).map(([key, value]: any) => [key, value.default]);
        assert.deepEqual(Object.fromEntries(defaults), {
            minRotationPeriod: "1d",
            maxRotationPeriod: "180d",
            maxGracePeriod: "7d",
        });
    });

    it(
        "reports a public invoker as a mandatory violation, after the rule's " + "description",
        async () => {
            const invoker: TestResource = {
                type: INVOKER,
                name: "open",
                props: {
                    name: "prod-rotator",
                    location: "europe-west1",
                    role: "roles/run.invoker",
                    member: "allUsers",
                },
            };
            // The engine knows which resource it asked about: the diagnostic carries no URN.
            assert.deepEqual(
                await pack.analyze(invoker),
                [
                    {
                        policyName: "keywarden-no-public-access",
                        message:
                            `${noPublicAccessRule.description}\n${INVOKER} "open" grants ` +
                            "roles/run.invoker to allUsers (anyone on the internet): grant it to " +
                            "a named service account, user or group instead",
                        urn: "",
                        mandatory: true,
                    },
                ],
                pack.stderr(),
            );
        },
    );

    it("reports nothing for an invoker whose member preview does not know yet", async () => {
        const invoker: TestResource = {
            type: INVOKER,
            name: "scheduler",
            props: {
                name: "prod-rotator",
                location: "europe-west1",
                role: "roles/run.invoker",
                member: UNKNOWN,
            },
        };
        assert.deepEqual(await pack.analyze(invoker), [], pack.stderr());
    });

    it("applies the limits the team configures", async () => {
        const secret = keySecret(rotationPolicy({ rotationPeriod: "30d" }));
        assert.deepEqual(await pack.analyze(secret), []);
        await pack.configure({ "keywarden-rotation-limits": { maxRotationPeriod: "14d" } });
        const found = await pack.analyze(secret);
        assert.deepEqual(
            found.map((d) => [d.policyName, d.message]),
            [
                [
                    "keywarden-rotation-limits",
                    `${rotationLimitsRule.description}\n` +
                        'secret "mailer-bot-sendgrid" has rotationPeriod 30d, longer than this ' +
                        "team's maxRotationPeriod (14d): shorten rotationPeriod in the bot's " +
                        "configuration, or raise the limit in the policy pack's configuration",
                ],
            ],
        );
    });

    it("checks the whole stack for uptime checks on health URLs", async () => {
        const secret = keySecret(rotationPolicy({ healthUrl: "https://bot.example.com/healthz" }));
        const found = await pack.analyzeStack([secret]);
        assert.deepEqual(
            found.map((d) => [d.policyName, d.urn]),
            [["keywarden-uptime-checks", urnOf(secret)]],
        );
    });
});
