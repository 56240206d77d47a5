/**
 * `npm run plan` as its own process: the example stacks plan, a configuration the stack
 * program refuses fails with exactly the program's messages (those `pulumi up` prints) and a
 * non-zero status, and misuse says how to call it.
 */
import * as assert from "assert";
import { runStack } from "../../components/stack/program";
import { runUnderMocks } from "../../plan/mock-runtime";
import { readStackFiles } from "../../plan/stack-file";
import { addFunctionBuild, makeProject, removeProjects, runPlanCli, smallFleet } from "./support";

describe("The plan command", () => {
    after(removeProjects);

    it("prints the dev stack's resources, IAM, alert routes and cost", () => {
        const { status, stdout, stderr } = runPlanCli(["--stack", "dev"]);
        assert.strictEqual(status, 0, stderr);
        for (const heading of [
            "== Fleet dev (shared by every bot) ==",
            "== Bot weather-bot ==",
            "== Bot mailer-bot ==",
            "== Bot assistant-bot ==",
            "== Bot orders-bot ==",
            "IAM (who can do what)",
            "Alert routes to Slack",
            "== Monthly cost estimate (USD, list prices checked 2026-12) ==",
        ]) {
            assert.ok(stdout.includes(heading), heading);
        }
        assert.ok(
            stdout.includes(
                "\n      can read: secret weather-bot-weather-api " +
                    "(roles/secretmanager.secretAccessor)\n",
            ),
        );
        assert.match(stdout, /^ {2}Total: \$\d+\.\d\d a month$/m);
        assert.strictEqual(stderr, "");
    });

    it("prints the prod stack as one JSON document", () => {
        const { status, stdout, stderr } = runPlanCli(["--stack", "prod", "--json"]);
        assert.strictEqual(status, 0, stderr);
        const plan = JSON.parse(stdout);
        assert.strictEqual(plan.stack, "prod");
        assert.strictEqual(plan.fleet, "prod");
        assert.deepStrictEqual(
            plan.groups.map((g: any) => g.name),
            ["prod", "assistant-bot", "mailer-bot", "orders-bot", "weather-bot"],
        );
        assert.ok(plan.cost.total > 0);
        assert.ok(plan.mermaid.startsWith("flowchart LR\n"));
    });

    it("fails on a refused configuration with the stack program's own messages", async () => {
        const config = smallFleet({
            "keywarden:fleetName": "Acme",
            "keywarden:tickRetryCount": 9,
            "keywarden:bots": [
                {
                    name: "mail",
                    readers: ["allUsers"],
                    secrets: {
                        sendgrid: {
                            rotator: { kind: "http", preset: "sendgrid" },
                            rotationPeriod: "30d",
                            gracePeriod: "30d",
                            adminValue: "SG.written-in-clear",
                        },
                    },
                },
            ],
        });
        const dir = makeProject("refused", config);
        const build = addFunctionBuild(dir);
        // What `pulumi up` reports: the program's error under the runtime, with this config,
        // run from the project's directory (where the plan finds the build too).
        const files = readStackFiles(dir, "refused");
        const expected = await runUnderMocks(() => runStack(), {
            config: { ...files.config, "keywarden:functionDir": build },
            secretKeys: files.secretKeys,
            stack: "refused",
        });
        const problems = expected.error!.message;
        assert.match(problems, /^keywarden found 4 problems in the stack configuration/);

        const { status, stdout, stderr } = runPlanCli(["--stack", "refused", "--dir", dir]);
        assert.strictEqual(status, 1);
        assert.strictEqual(stdout, "");
        assert.strictEqual(
            stderr,
            `error: ${problems}\n` + "The plan of stack refused failed as `pulumi up` would.\n",
        );
        for (const fragment of [
            'keywarden:fleetName "Acme"',
            "keywarden:tickRetryCount (9)",
            'keywarden:bots[0].readers[0] "allUsers"',
            "keywarden:bots[0].secrets.sendgrid.gracePeriod (30d)",
        ]) {
            assert.ok(stderr.includes(fragment), fragment);
        }
        assert.ok(!stderr.includes("SG.written-in-clear"));
    });

    it("says how to call it when misused, with status 2", () => {
        const unknown = runPlanCli(["--stack", "dev", "--yaml"]);
        assert.strictEqual(unknown.status, 2);
        assert.ok(
            unknown.stderr.startsWith(
                "error: unknown option --yaml\n\n" + "Usage: npm run plan -- --stack <name>",
            ),
            unknown.stderr,
        );
        const missing = runPlanCli(["--stack", "staging"]);
        assert.strictEqual(missing.status, 2);
        assert.match(
            missing.stderr,
            /^error: there is no Pulumi\.staging\.yaml in .*: stacks there: .*dev.*prod/,
        );
    });
});
