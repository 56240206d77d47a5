/**
 * The pack as a whole: it lists each rule once, and keywarden's own example stacks, declared by
 * the bundled stack program under the mock runtime, pass every rule (so the pack can be turned
 * on for them without exceptions), while the same stacks stripped of their uptime checks fail.
 */
import * as assert from "node:assert/strict";
import { KEYWARDEN_POLICIES } from "../../policy-pack/policies";
import { ResourceRule, StackRule } from "../../policy-pack/rules/rule";
import { makeFunctionDir, removeFunctionDirs } from "../components/fixtures";
import { runUnderMocks } from "../components/harness";
import { exampleConfig, loadYaml } from "../components/stack-config";
import { runResourceRule, runStackRule, TestResource } from "./support";

const PROGRAM = require.resolve("../../index");
const UPTIME_CHECK = "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig";

/** The resources the stack program declares for `stack`, as the pack would see them. */
async function exampleResources(stack: string): Promise<TestResource[]> {
    const example = exampleConfig(stack, makeFunctionDir());
    const run = await runUnderMocks(
        () => {
            delete require.cache[PROGRAM];
            return { ...require(PROGRAM) };
        },
        { config: example.config, secretKeys: example.secretKeys, stack },
    );
    if (run.error) throw run.error;
    return run.recording.resources.map((resource) => ({
        type: resource.type,
        name: resource.name,
        props: resource.inputs,
    }));
}

/** Every violation of every rule, as "rule: message" lines. */
async function violations(resources: TestResource[]): Promise<string[]> {
    const found: string[] = [];
    for (const rule of KEYWARDEN_POLICIES) {
        if ("validateStack" in rule) {
            for (const { message } of await runStackRule(rule as StackRule, resources)) {
                found.push(`${rule.name}: ${message}`);
            }
            continue;
        }
        for (const resource of resources) {
            for (const message of await runResourceRule(rule as ResourceRule, resource)) {
                found.push(`${rule.name}: ${message}`);
            }
        }
    }
    return found;
}

describe("the keywarden policy pack", () => {
    after(removeFunctionDirs);

    it("lists each rule once, each described and mandatory", () => {
        const names = KEYWARDEN_POLICIES.map((rule) => rule.name);
        assert.deepEqual(names, [
            "keywarden-policy-annotation",
            "keywarden-no-public-access",
            "keywarden-rotation-limits",
            "keywarden-uptime-checks",
        ]);
        for (const rule of KEYWARDEN_POLICIES) {
            assert.ok(rule.description.length > 40, rule.name);
            assert.equal(rule.enforcementLevel, "mandatory", rule.name);
        }
    });

    for (const stack of ["dev", "prod"]) {
        it(
            `passes every rule on the example stack ${stack}, and catches missing ` + `checks`,
            async () => {
                const resources = await exampleResources(stack);
                assert.deepEqual(await violations(resources), []);

                const bots: any[] = loadYaml(`Pulumi.${stack}.yaml`).config["keywarden:bots"];
                // One violation per secret of each bot with a health check (every secret gates
                // retirement on it by default), none for the other bots.
                const expected = bots
                    .filter((bot) => bot.healthCheck)
                    .flatMap((bot) => Object.keys(bot.secrets).map(() => bot.name));
                assert.ok(expected.length > 0, `Pulumi.${stack}.yaml has a bot with a check`);
                const unwatched = await violations(
                    resources.filter((resource) => resource.type !== UPTIME_CHECK),
                );
                const botsNamed = unwatched.map((line) => /of bot "([^"]+)"/.exec(line)?.[1]);
                assert.deepEqual(botsNamed.sort(), expected.sort());
                assert.ok(unwatched.every((line) => line.startsWith("keywarden-uptime-checks: ")));
            },
        );
    }
});
