/**
 * The plan reads a stack's configuration as the Pulumi CLI passes it to the program, and
 * stands in for every credential it cannot or must not read, saying which.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PlanUsageError, readStackFiles } from "../../plan/stack-file";
import { makeProject, removeProjects, ROOT } from "./support";

describe("The stack file reader", () => {
    after(removeProjects);

    it("stands in for the credentials the example says to set, and lists them", () => {
        const files = readStackFiles(ROOT, "dev");
        assert.deepStrictEqual(
            files.placeholders.map((p) => `${p.path} ${p.reason}`),
            [
                "keywarden:slack.webhookUrl not set",
                "keywarden:bots[0].secrets.weather-api.adminValue not set",
                "keywarden:bots[0].secrets.telegram.initialValue not set",
                "keywarden:bots[1].secrets.sendgrid.adminValue not set",
                "keywarden:bots[3].secrets.backend.adminValue not set",
            ],
        );
        assert.deepStrictEqual(files.secretKeys.sort(), ["keywarden:bots", "keywarden:slack"]);
        const slack = JSON.parse(files.config["keywarden:slack"]);
        assert.ok(slack.webhookUrl.startsWith("https://hooks.slack.com/services/"));
        assert.strictEqual(files.config["keywarden:tickSchedule"], "*/30 * * * *");
    });

    it("replaces encrypted values without reading them, and keeps plain ones as given", () => {
        const dir = makeProject(
            "enc",
            [
                "config:",
                "  gcp:project: acme-bots-test",
                "  gcp:credentials:",
                "    secure: v1:Z2NwLWNyZWRz",
                "  keywarden:tickRetryCount: 3",
                "  keywarden:slack:",
                "    alertRoute: native",
                "    channelName: '#alerts'",
                "    authToken:",
                "      secure: v1:eG94Yi10b2tlbg==",
                "    webhookUrl:",
                "      secure: v1:aG9va3M=",
            ].join("\n"),
        );
        const files = readStackFiles(dir, "enc");
        assert.deepStrictEqual(files.placeholders, [
            { path: "keywarden:slack.authToken", reason: "encrypted" },
            { path: "keywarden:slack.webhookUrl", reason: "encrypted" },
        ]);
        assert.strictEqual(files.config["keywarden:tickRetryCount"], "3");
        // Provider credentials are none of the program's business: left out, not decrypted.
        assert.ok(!("gcp:credentials" in files.config));
        const text = JSON.stringify(files.config);
        for (const cipher of ["v1:", "Z2NwLWNyZWRz", "eG94Yi10b2tlbg"]) {
            assert.ok(!text.includes(cipher), cipher);
        }
    });

    it("takes defaults from Pulumi.yaml, which the stack file overrides", () => {
        const dir = makeProject("defaults", { "keywarden:region": "europe-west4" });
        const project = fs
            .readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")
            .replace(
                "  region:\n    type: string\n",
                "  region:\n    type: string\n    default: us-central1\n",
            )
            .replace(
                "  timeZone:\n    type: string\n",
                "  timeZone:\n    type: string\n    default: Europe/Berlin\n",
            );
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), project);
        const files = readStackFiles(dir, "defaults");
        assert.strictEqual(files.config["keywarden:region"], "europe-west4");
        assert.strictEqual(files.config["keywarden:timeZone"], "Europe/Berlin");
    });

    it("refuses a keywarden key encrypted as a whole, saying how to encrypt its fields", () => {
        const dir = makeProject("whole", "config:\n  keywarden:slack:\n    secure: v1:c2xhY2s=\n");
        assert.throws(
            () => readStackFiles(dir, "whole"),
            (error: Error) =>
                error instanceof PlanUsageError &&
                error.message ===
                    "keywarden:slack is encrypted as a whole, so the plan cannot read its " +
                        "settings offline: encrypt only the credentials inside it, with pulumi " +
                        "config set --secret --path 'keywarden:slack.<field>' VALUE",
        );
    });

    it("names the stacks there are when the stack file is missing", () => {
        const dir = makeProject("only", { "gcp:project": "acme-bots-test" });
        assert.throws(
            () => readStackFiles(dir, "prod"),
            (error: Error) =>
                error instanceof PlanUsageError &&
                error.message === `there is no Pulumi.prod.yaml in ${dir}: stacks there: only`,
        );
    });

    it("reports YAML it cannot parse by line, without echoing the file", () => {
        const dir = makeProject("broken", "config:\n  keywarden:bots: [\n    token: SG.x\n");
        assert.throws(
            () => readStackFiles(dir, "broken"),
            (error: Error) =>
                error instanceof PlanUsageError &&
                /^Pulumi\.broken\.yaml is not valid YAML/.test(error.message) &&
                !error.message.includes("SG.x"),
        );
    });
});
