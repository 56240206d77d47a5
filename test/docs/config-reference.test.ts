import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import { CONFIG_KEYS } from "../../components/stack/config";
import {
    argInterfaces,
    configReference,
    END,
    envVariables,
    fleetSetVariables,
    NOT_STACK_KEYS,
    pulumiYamlKeys,
    readInterface,
    replaceRegion,
    splitDoc,
    stackKeys,
    stackShape,
    START,
} from "../../scripts/docs-config";

const ROOT = join(__dirname, "..", "..");

/** The first line where two texts differ, for a failure message a person can act on. */
function firstDifference(actual: string, expected: string): string {
    const a = actual.split("\n");
    const e = expected.split("\n");
    const line = a.findIndex((text, index) => text !== e[index]);
    const at = line < 0 ? Math.min(a.length, e.length) : line;
    return (
        `line ${at + 1} of README.md:\n  is:        ${a[at] ?? "(end)"}\n` +
        `  should be: ${e[at] ?? "(end)"}`
    );
}

function fieldsOf(name: string): string[] {
    const found = argInterfaces().find((spec) => spec.name === name);
    assert.ok(found, `${name} is documented`);
    return found.fields.map((field) => field.name).sort();
}

describe("the configuration reference in README.md", () => {
    it("is exactly what `npm run docs:config` writes from the code", () => {
        const readme = readFileSync(join(ROOT, "README.md"), "utf8");
        const expected = replaceRegion(readme, configReference());
        assert.ok(
            readme === expected,
            "the configuration reference in README.md is out of date: " +
                "run `npm run docs:config` (or `npx tsx scripts/docs-config.ts`) and commit " +
                `README.md. First difference, ${firstDifference(readme, expected)}`,
        );
    });

    it("states for every component argument its default, or that it is required", () => {
        for (const spec of argInterfaces()) {
            for (const field of spec.fields) {
                const where = `${spec.name}.${field.name}`;
                assert.ok(
                    field.default,
                    `${where}: its doc comment needs a "Default: ..." or ` +
                        '"Required..." sentence',
                );
                if (!field.optional) {
                    assert.match(
                        field.default,
                        /^required/,
                        `${where} is not optional, so its ` + 'doc comment must say "Required."',
                    );
                }
                assert.ok(field.description.length > 0, `${where} has a description`);
            }
        }
    });

    it(
        "lists every key the stack program reads, and Pulumi.yaml declares no key it " + "refuses",
        () => {
            // The script reads CONFIG_KEYS from the source; the program's own object must agree.
            const listed = stackKeys().map((key) => key.name);
            assert.deepEqual(listed, Object.keys(CONFIG_KEYS));
            assert.deepEqual(stackShape("CONFIG_KEYS"), Object.keys(CONFIG_KEYS));
            const refused = Object.keys(pulumiYamlKeys()).filter((key) => !(key in CONFIG_KEYS));
            assert.deepEqual(refused, [], "Pulumi.yaml declares keys the program refuses");
            for (const key of stackKeys()) {
                assert.ok(key.default, `keywarden:${key.name} states its default`);
            }
        },
    );

    it(
        "maps each fleet argument to the stack key of the same name, or says where it comes " +
            "from",
        () => {
            const keys = stackShape("CONFIG_KEYS")
                .filter((key) => key !== "bots")
                .sort();
            const args = fieldsOf("FleetArgs").filter((arg) => !(arg in NOT_STACK_KEYS));
            assert.deepEqual(
                keys,
                args,
                "a FleetArgs argument without a stack key must be " +
                    "listed in NOT_STACK_KEYS of scripts/docs-config.ts, with where the program " +
                    "takes it from",
            );
            for (const arg of Object.keys(NOT_STACK_KEYS)) {
                assert.ok(fieldsOf("FleetArgs").includes(arg), `${arg} is a FleetArgs argument`);
            }
        },
    );

    it("documents the structured stack keys by the arguments they take, field for field", () => {
        assert.deepEqual(stackShape("SLACK").sort(), fieldsOf("SlackArgs"));
        assert.deepEqual(stackShape("HEALTH_CHECK").sort(), fieldsOf("HealthCheckArgs"));
        assert.deepEqual(stackShape("SECRET").sort(), fieldsOf("BotSecretArgs"));
        // A bot entry names itself with `name`, and its fleet is the stack's own.
        const botArgs = fieldsOf("BotArgs")
            .filter((field) => field !== "fleet")
            .map((field) => (field === "botName" ? "name" : field))
            .sort();
        assert.deepEqual(stackShape("BOT").sort(), botArgs);
    });

    it("lists every environment variable the fleet sets and the function's config reads", () => {
        const documented = envVariables().map((env) => env.name);
        for (const name of fleetSetVariables()) {
            assert.ok(documented.includes(name), `${name}, set by components/fleet/function.ts`);
        }
        const source = readFileSync(join(ROOT, "functions", "rotator", "config.ts"), "utf8");
        const read = [...source.matchAll(/env\.([A-Z][A-Z0-9_]+)/g)].map((match) => match[1]);
        assert.ok(read.length >= 5, `config.ts reads ${read.length} variables`);
        for (const name of read) assert.ok(documented.includes(name), `${name}, read by config.ts`);
        const required = envVariables()
            .filter((env) => env.required)
            .map((env) => env.name);
        assert.deepEqual(required, ["KEYWARDEN_PROJECT", "KEYWARDEN_FLEET"]);
    });
});

describe("reading doc comments into the reference", () => {
    const cases: Array<[string, string, { default?: string; description: string }]> = [
        [
            "a default in the middle",
            "Seconds between checks. Default: 300. A check is billed.",
            { default: "300", description: "Seconds between checks. A check is billed." },
        ],
        [
            "Pulumi.yaml's form without a colon",
            "Retries of a failed tick, 0 to 5. Default 2.",
            { default: "2", description: "Retries of a failed tick, 0 to 5." },
        ],
        [
            "a default holding code and a period",
            'Where it lives. Default: `"dist/function"`.',
            { default: '`"dist/function"`', description: "Where it lives." },
        ],
        [
            "a conditional requirement",
            'Slack channel, e.g. `"#a"`. Required with `route: "x"`.',
            { default: 'required with `route: "x"`', description: 'Slack channel, e.g. `"#a"`.' },
        ],
        [
            "a list in the comment",
            "How alerts go. Required.\n- `a`: one.\n- `b`: two.",
            { default: "required", description: "How alerts go. <br>- `a`: one. <br>- `b`: two." },
        ],
        [
            "no default at all",
            "Project whose secrets it manages.",
            { description: "Project whose secrets it manages." },
        ],
    ];
    for (const [what, text, expected] of cases) {
        it(`splits the default from the description: ${what}`, () => {
            assert.deepEqual(splitDoc(text), expected);
        });
    }

    it(
        "reads an interface's doc, its fields' types (local aliases spelled out) and " +
            "optionality",
        () => {
            const source = ts.createSourceFile(
                "fixture.ts",
                [
                    'type Route = "native" | "relay";',
                    "/** Settings of a thing. */",
                    "interface ThingArgs {",
                    "    /** How it goes. Required. */",
                    "    route: Route;",
                    "    /** How many. Default: 2. */",
                    "    count?: number;",
                    "}",
                ].join("\n"),
                ts.ScriptTarget.ES2022,
                true,
            );
            assert.deepEqual(readInterface(source, "ThingArgs"), {
                name: "ThingArgs",
                doc: "Settings of a thing.",
                fields: [
                    {
                        name: "route",
                        type: '"native" | "relay"',
                        optional: false,
                        default: "required",
                        description: "How it goes.",
                    },
                    {
                        name: "count",
                        type: "number",
                        optional: true,
                        default: "2",
                        description: "How many.",
                    },
                ],
            });
            assert.throws(() => readInterface(source, "Missing"), /declares no interface Missing/);
        },
    );
});

describe("rewriting the README region", () => {
    const readme = `# Title\n\nbefore\n${START}\nold\ntext\n${END}\n\nafter | kept\n`;

    it("replaces only the text between the markers", () => {
        const next = replaceRegion(readme, "new");
        assert.equal(next, `# Title\n\nbefore\n${START}\nnew\n${END}\n\nafter | kept\n`);
        assert.equal(replaceRegion(next, "new"), next, "a second run changes nothing");
    });

    it("refuses a README whose markers are missing, repeated or out of order", () => {
        for (const broken of [
            readme.replace(START, ""),
            readme.replace(END, ""),
            readme + START,
            `${END}\n${START}\n`,
        ]) {
            assert.throws(
                () => replaceRegion(broken, "new"),
                /must hold exactly one <!-- config-reference:start --> followed by one/,
            );
        }
    });
});
