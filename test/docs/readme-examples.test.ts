import * as assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import Module from "node:module";
import { join } from "node:path";
import * as ts from "typescript";
import { otherStacks } from "../components/mocks";
import { runUnderMocks } from "../components/harness";
import { buildFunction } from "../../scripts/build-function";

const ROOT = join(__dirname, "..", "..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const EXAMPLES = [...README.matchAll(/```ts readme-example\n([\s\S]*?)```/g)].map((m) => m[1]);
const COMPONENTS = join(ROOT, "components", "index.ts");

/** Lets an example's `import ... from "keywarden"` load this checkout, as it would from npm. */
function withPackageName<T>(run: () => Promise<T>): Promise<T> {
    const resolver = Module as unknown as {
        _resolveFilename: (request: string, ...rest: unknown[]) => string;
    };
    const original = resolver._resolveFilename;
    resolver._resolveFilename = (request, ...rest) =>
        original.call(Module, request === "keywarden" ? COMPONENTS : request, ...rest);
    return run().finally(() => {
        resolver._resolveFilename = original;
    });
}

describe("the README's examples", () => {
    let dir: string;
    before(async function () {
        // The fleet deploys the built function: build it as `npm run build:function` does.
        this.timeout(60_000);
        await buildFunction();
        // Inside the checkout, so that the examples resolve @pulumi/pulumi like a user's program.
        mkdirSync(join(ROOT, "dist"), { recursive: true });
        dir = mkdtempSync(join(ROOT, "dist", "readme-examples-"));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("are there to test (at least the two component examples)", () => {
        assert.ok(EXAMPLES.length >= 2, `found ${EXAMPLES.length}`);
    });

    it("compile against the package's types with the project's strict settings", () => {
        const files = EXAMPLES.map((source, index) => {
            const file = join(dir, `example-${index + 1}.ts`);
            writeFileSync(file, source);
            return file;
        });
        const program = ts.createProgram(files, {
            strict: true,
            target: ts.ScriptTarget.ES2022,
            module: ts.ModuleKind.CommonJS,
            moduleResolution: ts.ModuleResolutionKind.Node10,
            esModuleInterop: true,
            skipLibCheck: true,
            noEmit: true,
            types: ["node"],
            typeRoots: [join(ROOT, "node_modules", "@types")],
            baseUrl: ROOT,
            paths: { keywarden: [COMPONENTS], "*": [join(ROOT, "node_modules", "*")] },
        });
        const problems = ts
            .getPreEmitDiagnostics(program)
            .filter((d) => d.file && files.includes(d.file.fileName))
            .map(
                (d) =>
                    `${d.file!.fileName.split("/").pop()}: ` +
                    `${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`,
            );
        assert.deepEqual(problems, []);
    });

    EXAMPLES.forEach((source, index) => {
        it(
            `example ${index + 1} runs under Pulumi's mock runtime and declares its ` + `resources`,
            async () => {
                const file = join(dir, `run-${index + 1}.ts`);
                writeFileSync(file, source);
                otherStacks.set("acme/keywarden/prod", {
                    connection: {
                        project: "bots-prod",
                        fleetName: "prod",
                        rotatorEmail: "keywarden-prod-rotator@bots-prod.iam.gserviceaccount.com",
                        keySecretRole: "projects/bots-prod/roles/keywardenProdKeySecret",
                        stateSecretRole: "projects/bots-prod/roles/keywardenProdStateSecret",
                    },
                });
                const config = {
                    "keywarden:slackWebhookUrl": "https://hooks.slack.com/services/T0/B0/example",
                    "keywarden:sendgridAdminKey": "SG.example",
                    "keywarden:telegramToken": "123:example",
                };
                const run = await withPackageName(() =>
                    runUnderMocks(() => require(file), {
                        config,
                        secretKeys: Object.keys(config),
                        stack: "dev",
                    }),
                );
                assert.equal(run.error, undefined, run.error?.message);
                const secrets = run.recording.ofType("gcp:secretmanager/secret:Secret");
                assert.ok(secrets.length >= 2, "the example declares its key and state secrets");
            },
        );
    });
});
