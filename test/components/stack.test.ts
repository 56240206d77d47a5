/**
 * The bundled stack program runs under the mocks with each example stack file, and the
 * configuration keys it reads are the ones Pulumi.yaml documents.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { CONFIG_KEYS } from "../../components/stack/config";
import { isSecretInput, Run, runUnderMocks, visitStrings } from "./harness";
import { makeFunctionDir, removeFunctionDirs } from "./fixtures";
import { exampleConfig, ExampleConfig, loadYaml, ROOT } from "./stack-config";
import { T } from "./tokens";

const PROGRAM = require.resolve("../../index");

/** Runs index.ts afresh (Node caches modules) with the example configuration of `stack`. */
async function runExample(stack: string): Promise<{ run: Run; example: ExampleConfig }> {
    const example = exampleConfig(stack, makeFunctionDir());
    const run = await runUnderMocks(
        () => {
            delete require.cache[PROGRAM];
            return { ...require(PROGRAM) };
        },
        { config: example.config, secretKeys: example.secretKeys, stack },
    );
    if (run.error) throw run.error;
    return { run, example };
}

for (const stack of ["dev", "prod"]) {
    describe(`The stack program with Pulumi.${stack}.yaml`, () => {
        let run: Run;
        let example: ExampleConfig;
        const file = loadYaml(`Pulumi.${stack}.yaml`).config;

        before(async () => ({ run, example } = await runExample(stack)));
        after(removeFunctionDirs);

        it("declares one fleet and every bot of the file, under the stack", () => {
            assert.deepStrictEqual(run.recording.names(T.Fleet), [stack]);
            const bots = file["keywarden:bots"].map((bot: any) => bot.name).sort();
            assert.deepStrictEqual(run.recording.names(T.Bot), bots);
            const components = [...run.recording.ofType(T.Fleet), ...run.recording.ofType(T.Bot)];
            for (const component of components) {
                assert.strictEqual(component.parent, "<stack>");
            }
        });

        it("declares key and state secrets per secret, an uptime check per health check", () => {
            const secrets = file["keywarden:bots"].flatMap((bot: any) =>
                Object.keys(bot.secrets).flatMap((key) => [
                    `${bot.name}-${key}`,
                    `${bot.name}-${key}-state`,
                ]),
            );
            const declared = run.recording
                .ofType(T.Secret)
                .filter((secret) => secret.inputs.labels?.["keywarden-role"]);
            assert.deepStrictEqual(declared.map((s) => s.inputs.secretId).sort(), secrets.sort());
            const checks = file["keywarden:bots"].filter((bot: any) => bot.healthCheck).length;
            assert.strictEqual(run.recording.ofType(T.UptimeCheck).length, checks);
            assert.strictEqual(run.recording.ofType(T.AlertPolicy).length, 7);
        });

        it("routes alerts as the file says", () => {
            const route = file["keywarden:slack"].alertRoute;
            const channel = run.recording.ofType(T.Channel).map((c) => c.inputs.type);
            assert.deepStrictEqual(channel, [route === "native" ? "slack" : "pubsub"]);
        });

        it("grants apiKeysAdmin only on the project of the Gemini key", () => {
            const grants = run.recording
                .ofType(T.ProjectIamMember)
                .filter((grant) => grant.inputs.role === "roles/serviceusage.apiKeysAdmin")
                .map((grant) => grant.inputs.project);
            assert.deepStrictEqual(grants, [`acme-ai-${stack}`]);
        });

        it("keeps every credential the file says to set with --secret as a Pulumi secret", () => {
            const values = Object.values(example.standIns);
            assert.ok(values.length >= 3);
            const found = new Set<string>();
            for (const resource of run.recording.resources) {
                visitStrings(resource.inputs, (path, text) => {
                    const value = values.find((v) => text.includes(v));
                    if (value === undefined) return;
                    found.add(value);
                    assert.ok(isSecretInput(resource, path), `${resource.name}: ${path}`);
                });
            }
            assert.deepStrictEqual([...found].sort(), [...values].sort());
        });

        it("exports the fleet's connection and every bot's secret names", () => {
            const outputs = run.outputs!;
            assert.strictEqual(outputs.connection.fleetName, stack);
            assert.strictEqual(outputs.connection.project, `acme-bots-${stack}`);
            assert.strictEqual(outputs.alertPolicies.length, 7);
            assert.deepStrictEqual(outputs.botSecrets["mailer-bot"], {
                sendgrid: `projects/acme-bots-${stack}/secrets/mailer-bot-sendgrid`,
            });
        });
    });
}

describe("Pulumi.yaml", () => {
    it("declares, with a type and a description, every scalar key the program reads", () => {
        const project = loadYaml("Pulumi.yaml");
        const declared = Object.entries(project.config as Record<string, any>);
        const scalars = Object.entries(CONFIG_KEYS).filter(
            ([, kind]) => typeof kind === "string" && kind !== "any",
        );
        assert.deepStrictEqual(
            declared.map(([key, spec]) => [key, spec.type]).sort(),
            scalars.map(([key, kind]) => [key, kind]).sort(),
        );
        for (const [key, spec] of declared) assert.ok(spec.description?.length > 20, key);
        assert.strictEqual(project.main, "index.ts");
    });

    it("documents the structured keys it cannot type", () => {
        const text = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
        const declared = loadYaml("Pulumi.yaml").config;
        const structured = Object.keys(CONFIG_KEYS).filter((key) => !(key in declared));
        assert.deepStrictEqual(structured.sort(), ["bots", "slack"]);
        for (const key of structured) assert.ok(text.includes(`#   keywarden:${key} `), key);
    });
});
