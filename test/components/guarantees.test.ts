/**
 * Security and cost guarantees of a whole fleet with several bots, checked on every resource
 * the components declare.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Bot } from "../../components/bot/bot";
import { Fleet } from "../../components/fleet/fleet";
import { isSecretInput, RecordedResource, Recording, runUnderMocks, visitStrings } from "./harness";
import {
    botArgs,
    CONNECTION,
    makeFunctionDir,
    nativeFleetArgs,
    PROJECT,
    relayFleetArgs,
    removeFunctionDirs,
    SECRET_VALUES,
    sendgridSecret,
    telegramSecret,
} from "./fixtures";
import { T } from "./tokens";

const account = (id: string) => `serviceAccount:${id}@${PROJECT}.iam.gserviceaccount.com`;
const BOTS = ["mailer", "weather", "notifier"];

/** Every IAM member any binding grants, with the binding. */
function grants(recording: Recording): { binding: RecordedResource; member: string }[] {
    return recording.resources.flatMap((binding) => {
        const members = [binding.inputs.member, ...(binding.inputs.members ?? [])];
        return members.filter((m) => typeof m === "string").map((member) => ({ binding, member }));
    });
}

describe("Guarantees of a fleet with three bots", () => {
    let recording: Recording;

    before(async () => {
        const dir = makeFunctionDir();
        const run = await runUnderMocks(() => {
            const args = relayFleetArgs(dir, { apiKeyProjects: ["gemini-keys"] });
            const fleet = new Fleet("prod", args);
            for (const bot of BOTS) {
                new Bot(bot, botArgs(fleet.connection, { readers: [account(bot)] }));
            }
        });
        if (run.error) throw run.error;
        recording = run.recording;
    });
    after(removeFunctionDirs);

    it("grants nothing to allUsers or allAuthenticatedUsers", () => {
        const all = grants(recording);
        assert.ok(all.length > 20);
        for (const { binding, member } of all) {
            assert.ok(!["allUsers", "allAuthenticatedUsers"].includes(member), binding.name);
        }
    });

    it("lets only the scheduler's and the relay's identities invoke the function", () => {
        const invokers = recording
            .ofType(T.RunInvoker)
            .map((b) => [b.inputs.role, b.inputs.member])
            .sort();
        assert.deepStrictEqual(invokers, [
            ["roles/run.invoker", account("prod-relay")],
            ["roles/run.invoker", account("prod-scheduler")],
        ]);
        const other = recording.resources.filter(
            (r) =>
                /cloudfunctions|cloudrun/.test(r.type) &&
                r.type !== T.Function &&
                r.type !== T.RunInvoker,
        );
        assert.deepStrictEqual(other, []);
    });

    it("gives the rotator no project-level Secret Manager permission beyond listing", () => {
        const rotator = account("prod-rotator");
        const projectGrants = recording
            .ofType(T.ProjectIamMember)
            .filter((b) => b.inputs.member === rotator);
        const roles = projectGrants.map((b) => `${b.inputs.project} ${b.inputs.role}`).sort();
        assert.deepStrictEqual(roles, [
            "gemini-keys roles/serviceusage.apiKeysAdmin",
            `${PROJECT} projects/${PROJECT}/roles/keywarden_prod_list`,
        ]);
        const listRole = recording.get(T.CustomRole, "prod-list-role").inputs;
        assert.deepStrictEqual(listRole.permissions, ["secretmanager.secrets.list"]);
    });

    it("lets each bot read its own keys only, and only the rotator read the rest", () => {
        const accessors = recording
            .ofType(T.SecretIamMember)
            .filter((b) => b.inputs.role === "roles/secretmanager.secretAccessor");
        for (const bot of BOTS) {
            const readable = accessors
                .filter((b) => b.inputs.member === account(bot))
                .map((b) => b.inputs.secretId)
                .sort();
            assert.deepStrictEqual(readable, [`${bot}-sendgrid`, `${bot}-telegram`], bot);
        }
        const botMembers = new Set(BOTS.map(account));
        for (const binding of recording.ofType(T.SecretIamMember)) {
            const id: string = binding.inputs.secretId;
            if (!/-(sendgrid|telegram)$/.test(id)) {
                assert.strictEqual(binding.inputs.member, account("prod-rotator"), binding.name);
            } else {
                const member = binding.inputs.member;
                assert.ok(member === account("prod-rotator") || botMembers.has(member));
            }
        }
    });

    it("keeps webhook URL, admin values, initial values and headers as Pulumi secrets", () => {
        const values = Object.values(SECRET_VALUES).filter((v) => v !== SECRET_VALUES.authToken);
        const seen = new Set<string>();
        for (const resource of recording.resources) {
            visitStrings(resource.inputs, (path, text) => {
                for (const value of values) {
                    if (!text.includes(value)) continue;
                    seen.add(value);
                    assert.ok(isSecretInput(resource, path), `${resource.name}: ${path}`);
                }
            });
        }
        assert.deepStrictEqual([...seen].sort(), [...values].sort());
    });
});

describe("Cost guarantees", () => {
    after(removeFunctionDirs);

    async function policiesWith(botCount: number) {
        const dir = makeFunctionDir();
        const run = await runUnderMocks(() => {
            const fleet = new Fleet("prod", nativeFleetArgs(dir));
            // Small bots (one key and a health check each) keep 50 of them quick to declare.
            for (let i = 0; i < botCount; i++) {
                new Bot(
                    `bot-${i}`,
                    botArgs(fleet.connection, {
                        readers: [],
                        secrets: { telegram: telegramSecret({ initialValue: undefined }) },
                    }),
                );
            }
        });
        if (run.error) throw run.error;
        return run.recording;
    }

    it("declares the same alert policies for 1 bot and for 50", async () => {
        const one = await policiesWith(1);
        const fifty = await policiesWith(50);
        assert.strictEqual(one.ofType(T.AlertPolicy).length, 7);
        assert.deepStrictEqual(fifty.names(T.AlertPolicy), one.names(T.AlertPolicy));
        assert.strictEqual(fifty.ofType(T.UptimeCheck).length, 50);
        assert.strictEqual(fifty.ofType(T.Job).length, 1);
    });

    it("keeps the native token a Pulumi secret", async () => {
        const recording = await policiesWith(0);
        const channel = recording.get(T.Channel, "prod-slack");
        assert.ok(isSecretInput(channel, "sensitiveLabels.authToken"));
    });
});

describe("Readers resolved at deployment time", () => {
    it("fails the deployment before granting a reader that resolves to allUsers", async () => {
        const run = await runUnderMocks(
            () =>
                void new Bot("leaky", {
                    fleet: CONNECTION,
                    readers: [pulumi.output("allUsers")],
                    secrets: { sendgrid: sendgridSecret(), telegram: telegramSecret() },
                }),
        );
        assert.match(
            String(run.error?.message),
            /readers\[0\] "allUsers" would make the bot's keys public/,
        );
        const granted = run.recording
            .ofType(T.SecretIamMember)
            .filter((b) => b.inputs.member === "allUsers");
        assert.deepStrictEqual(granted, []);
    });
});
