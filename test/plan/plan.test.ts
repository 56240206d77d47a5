/**
 * The plan of the example stacks: every resource under its fleet or bot, the IAM grants and
 * alert routes read off the recorded resources, and a diagram that only names what exists.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { describeRun, planOffline, PlanDocument } from "../../plan/plan";
import { renderMarkdown, renderText } from "../../plan/render";
import { OfflineRun, runOffline } from "../../plan/run";
import { makeProject, removeProjects, ROOT, smallFleet } from "./support";

const KEY_ROLE = (stack: string) => `projects/acme-bots-${stack}/roles/keywarden_${stack}_key`;

for (const stack of ["dev", "prod"]) {
    describe(`The plan of Pulumi.${stack}.yaml`, () => {
        const text = fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8");
        const file = (yaml.load(text) as any).config;
        const bots: any[] = file["keywarden:bots"];
        let run: OfflineRun;
        let plan: PlanDocument;
        before(async () => {
            run = await runOffline(ROOT, stack);
            plan = describeRun(run);
        });

        it("puts every declared resource under the fleet or its bot, once", () => {
            assert.deepStrictEqual(
                plan.groups.map((g) => `${g.kind} ${g.name}`),
                [`fleet ${stack}`, ...bots.map((b) => `bot ${b.name}`).sort()],
            );
            const listed = plan.groups.flatMap((g) =>
                g.resources.map((r) => `${r.type} ${r.name}`),
            );
            assert.strictEqual(listed.length, plan.resourceCount - 1); // all but the stack
            assert.strictEqual(new Set(listed).size, listed.length);
            for (const bot of bots) {
                const names = plan.groups
                    .find((g) => g.name === bot.name)!
                    .resources.map((r) => `${r.type} ${r.name}`);
                for (const key of Object.keys(bot.secrets)) {
                    for (const name of [`${bot.name}-${key}`, `${bot.name}-${key}-state`]) {
                        assert.ok(names.includes(`gcp:secretmanager:Secret ${name}`), name);
                    }
                }
            }
        });

        it("shows each bot's readers, and the rotator, on that bot's key secrets only", () => {
            for (const bot of bots) {
                const grants = plan.groups.find((g) => g.name === bot.name)!.iam;
                const keys = Object.keys(bot.secrets)
                    .map((key) => `${bot.name}-${key}`)
                    .sort();
                const readersOf = (secret: string) =>
                    grants
                        .filter((g) => g.target.name === secret && g.ability === "read")
                        .map((g) => g.member);
                for (const key of keys) assert.deepStrictEqual(readersOf(key), bot.readers);
                const rotated = grants
                    .filter((g) => g.role === KEY_ROLE(stack))
                    .map((g) => g.target.name);
                assert.deepStrictEqual(rotated, keys);
            }
            const all = plan.groups.flatMap((g) => g.iam);
            assert.ok(all.every((g) => !g.public));
            const invokers = all
                .filter((g) => g.role === "roles/run.invoker")
                .map((g) => g.member.split("@")[0]);
            const route = file["keywarden:slack"].alertRoute;
            assert.deepStrictEqual(
                invokers.sort(),
                route === "relay"
                    ? [`serviceAccount:${stack}-relay`, `serviceAccount:${stack}-scheduler`]
                    : [`serviceAccount:${stack}-scheduler`],
            );
        });

        it("reads grants off the recording: a binding left out is not shown", () => {
            const reader = `${bots[0].name}-${Object.keys(bots[0].secrets)[0]}-reader-0`;
            const recording = Object.create(run.recording);
            recording.resources = run.recording.resources.filter((r) => r.name !== reader);
            const without = describeRun({ ...run, recording });
            const names = (p: PlanDocument) =>
                p.groups.flatMap((g) => g.iam.map((i) => i.resource));
            assert.ok(names(plan).includes(reader));
            assert.ok(!names(without).includes(reader));
        });

        it("routes every alert policy to Slack, and each health check's bot to one", () => {
            assert.strictEqual(plan.alertRoutes.length, 7);
            const native = file["keywarden:slack"].alertRoute === "native";
            for (const route of plan.alertRoutes) {
                assert.deepStrictEqual(
                    route.route,
                    native
                        ? [
                              `Slack ${file["keywarden:slack"].channelName} ` +
                                  "(Cloud Monitoring's Slack app)",
                          ]
                        : [
                              `Pub/Sub topic ${stack}-alerts`,
                              `push subscription ${stack}-alert-relay`,
                              `function ${stack}-rotator /relay`,
                              `Slack incoming webhook (URL in secret ${stack}-slack-webhook)`,
                          ],
                );
            }
            const uptime = plan.alertRoutes.find((r) => r.resource === `${stack}-alert-uptime`)!;
            assert.deepStrictEqual(
                uptime.bots,
                bots
                    .filter((b) => b.healthCheck)
                    .map((b) => b.name)
                    .sort(),
            );
            const failed = plan.alertRoutes.find(
                (r) => r.resource === `${stack}-alert-rotation-failed`,
            )!;
            assert.deepStrictEqual(failed.bots, bots.map((b) => b.name).sort());
        });

        it("draws a diagram whose arrows join declared nodes only", () => {
            const lines = plan.mermaid.split("\n");
            assert.strictEqual(lines[0], "flowchart LR");
            const declared = new Set<string>();
            for (const line of lines.slice(1)) {
                const node = /^\s+(n\d+)(\["[^"]*"\]|\(\["[^"]*"\]\))$/.exec(line);
                const edge = /^\s+(n\d+) (-->|-\.->)(\|[^|]+\|)? (n\d+)$/.exec(line);
                if (node) declared.add(node[1]);
                else if (edge) assert.ok(declared.has(edge[1]) && declared.has(edge[4]), line);
                else assert.ok(/^\s+(subgraph g\d+\["[^"]*"\]|end)$/.test(line), line);
            }
            assert.strictEqual(lines.filter((l) => l.includes("subgraph")).length, bots.length + 1);
        });
    });
}

describe("The plan's output", () => {
    after(removeProjects);

    it("never contains a credential, even one written in the stack file in clear", async () => {
        const clear = [
            "https://hooks.slack.com/services/T1/B1/clear-webhook",
            "SG.clear-admin",
            "Bearer clear-health-token",
            "123456:clear-telegram",
        ];
        const dir = makeProject(
            "clear",
            smallFleet({
                "keywarden:slack": { alertRoute: "relay", webhookUrl: clear[0] },
                "keywarden:bots": [
                    {
                        name: "mail",
                        healthCheck: {
                            url: "https://mail.acme.example/healthz",
                            headers: { Authorization: clear[2] },
                        },
                        secrets: {
                            sendgrid: {
                                rotator: { kind: "http", preset: "sendgrid" },
                                rotationPeriod: "30d",
                                gracePeriod: "2d",
                                adminValue: clear[1],
                            },
                            telegram: {
                                rotator: { kind: "manual" },
                                rotationPeriod: "90d",
                                gracePeriod: "1d",
                                initialValue: clear[3],
                            },
                        },
                    },
                ],
            }),
        );
        const plan = await planOffline(dir, "clear");
        const outputs = [renderText(plan), renderMarkdown(plan), JSON.stringify(plan)];
        for (const output of outputs) {
            for (const value of clear) assert.ok(!output.includes(value), value);
        }
        assert.ok(renderText(plan).includes("secret mail-sendgrid-admin"));
    });
});
