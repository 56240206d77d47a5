/**
 * The cost estimate of a small stack equals a computation done by hand, line by line, from the
 * list prices. The stack is small but touches every priced item: user-managed replication,
 * a destroy delay, an admin secret, a hand-replaced key, and enough 60-second health checks to
 * go past the project's free uptime-check executions.
 */
import * as assert from "assert";
import { CostLine } from "../../plan/cost";
import { planOffline, PlanDocument } from "../../plan/plan";
import { PRICES } from "../../plan/prices";
import { makeProject, removeProjects, smallFleet } from "./support";

const check = (name: string) => ({
    url: `https://${name}.acme.example/healthz`,
    periodSeconds: 60,
    regions: ["USA_OREGON", "USA_IOWA", "USA_VIRGINIA", "EUROPE", "SOUTH_AMERICA", "ASIA_PACIFIC"],
});
const geminiKey = {
    rotator: { kind: "google-api-key", project: "acme-ai-test" },
    rotationPeriod: "30d",
    gracePeriod: "1d",
};

const SMALL_STACK = smallFleet({
    "keywarden:tickSchedule": "0 * * * *",
    "keywarden:bots": [
        {
            name: "mail",
            healthCheck: check("mail"),
            versionDestroyDelay: "1d",
            replicaLocations: ["europe-west1", "europe-west4"],
            secrets: {
                sendgrid: {
                    rotator: { kind: "http", preset: "sendgrid" },
                    rotationPeriod: "30d",
                    gracePeriod: "2d",
                    adminValue: { secure: "v1:YWRtaW4=" },
                },
            },
        },
        {
            name: "chat",
            healthCheck: check("chat"),
            secrets: {
                telegram: {
                    rotator: { kind: "manual", verify: "telegram" },
                    rotationPeriod: "90d",
                    gracePeriod: "1d",
                },
            },
        },
        {
            name: "ai-one",
            healthCheck: check("ai-one"),
            versionDestroyDelay: "2d",
            secrets: { gemini: geminiKey },
        },
        {
            name: "ai-two",
            healthCheck: check("ai-two"),
            versionDestroyDelay: "2d",
            secrets: { gemini: geminiKey },
        },
    ],
});

describe("The plan's cost estimate", () => {
    let plan: PlanDocument;
    const line = (group: string, item: CostLine["item"], subject?: string): CostLine => {
        const found = plan.cost.lines.filter(
            (l) =>
                l.group === group &&
                l.item === item &&
                (subject === undefined || l.subject === subject),
        );
        assert.strictEqual(found.length, 1, `${group} ${item} ${subject}: ${found.length} lines`);
        return found[0];
    };
    const near = (actual: number, expected: number, what: string) =>
        assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} != ${expected}`);

    before(async () => {
        plan = await planOffline(makeProject("small", SMALL_STACK), "small");
    });
    after(removeProjects);

    it("uses the list prices the hand computation below assumes", () => {
        assert.deepStrictEqual(
            [
                PRICES.secretVersion.usd,
                PRICES.secretAccess.usd,
                PRICES.uptimeExecution.usd,
                PRICES.uptimeExecution.free.units,
                PRICES.schedulerJob.usd,
                PRICES.schedulerJob.free.units,
                PRICES.alertCondition.usd,
                PRICES.functionInvocation.free.units,
            ],
            [0.06, 0.03, 0.3, 1_000_000, 0.1, 3, 1.5, 2_000_000],
        );
    });

    it("prices each key's secret by its steady-state versions and locations", () => {
        // A month is 730 h = 2,628,000 s = 30.41667 days.
        // mail-sendgrid: period 30d, grace 2d, destroy delay 1d
        //   versions = 1 + (2 + 1) / 30 = 1.1; 2 replica locations -> 2.2 version-months
        //   2.2 x $0.06 = $0.132
        near(line("mail", "secret versions", "mail-sendgrid").usd, 0.132, "mail-sendgrid");
        // mail-sendgrid-admin: the one version the program declares, in the same 2 locations
        //   1 x 2 x $0.06 = $0.12
        near(line("mail", "secret versions", "mail-sendgrid-admin").usd, 0.12, "admin");
        // chat-telegram: period 90d, grace 1d, default destroy delay 7d, automatic replication
        //   versions = 1 + (1 + 7) / 90 = 1.088889; 1 location -> 1.088889 x $0.06 = $0.065333
        near(line("chat", "secret versions").usd, (1 + 8 / 90) * 0.06, "chat-telegram");
        // ai-one-gemini, ai-two-gemini: period 30d, grace 1d, destroy delay 2d
        //   versions = 1 + (1 + 2) / 30 = 1.1 -> 1.1 x $0.06 = $0.066 each
        near(line("ai-one", "secret versions").usd, 0.066, "ai-one-gemini");
        near(line("ai-two", "secret versions").usd, 0.066, "ai-two-gemini");
        // State secrets hold no version: no line, no cost.
        assert.ok(!plan.cost.lines.some((l) => l.subject.endsWith("-state")));
    });

    it("counts the function's reads of admin credentials and hand-replaced keys", () => {
        // mail: 730 h / 720 h = 1.013889 rotations a month, 2 admin reads each = 2.027778 reads
        //   2.027778 / 10,000 x $0.03 = $0.0000060833
        near(line("mail", "secret access").quantity, (2 * 730) / 720, "mail reads");
        near(line("mail", "secret access").usd, ((2 * 730) / 720 / 10_000) * 0.03, "mail cost");
        // chat: 730 h / 2,160 h = 0.337963 replacements a month, the new key read once each
        near(line("chat", "secret access").quantity, 730 / 2160, "chat reads");
        // Google API keys are made with the function's own identity: no admin read.
        assert.ok(!plan.cost.lines.some((l) => l.group === "ai-one" && l.item === "secret access"));
    });

    it("charges uptime executions past the project's free million, shared by the checks", () => {
        // One check: 2,628,000 s / 60 s = 43,800 runs x 6 regions = 262,800 executions.
        // Four checks: 1,051,200; past the 1,000,000 free: 51,200.
        //   51,200 / 1,000 x $0.30 = $15.36, a quarter per check = $3.84
        for (const bot of ["mail", "chat", "ai-one", "ai-two"]) {
            const uptime = line(bot, "uptime checks");
            assert.strictEqual(uptime.quantity, 262_800);
            near(uptime.usd, 3.84, `${bot} uptime`);
        }
    });

    it("prices the fleet's shared part: webhook, job, alert conditions, invocations", () => {
        // small-slack-webhook: 1 declared version, automatic replication: 1 x $0.06 = $0.06
        near(line("small", "secret versions", "small-slack-webhook").usd, 0.06, "webhook");
        // 1 scheduler job, within the 3 free per billing account: $0
        near(line("small", "scheduler jobs").usd, 0, "job");
        // 7 shared policies of 1 condition each: 7 x $1.50 = $10.50
        assert.strictEqual(line("small", "alert conditions").quantity, 7);
        near(line("small", "alert conditions").usd, 10.5, "alert conditions");
        // "0 * * * *": 24 ticks a day x 30.41667 days = 730, within 2,000,000 free: $0
        near(line("small", "function invocations").quantity, 730, "ticks");
        near(line("small", "function invocations").usd, 0, "invocations");
    });

    it("totals the lines, and each bot's lines in its subtotal", () => {
        // mail:   0.132 + 0.12 + 0.0000060833 + 3.84          = 4.0920060833
        // chat:   0.0653333 + 0.0000010139 + 3.84               = 3.9053343472
        // ai-one: 0.066 + 3.84 = 3.906; ai-two: the same       = 3.906
        // fleet:  0.06 + 0 + 10.50 + 0                          = 10.56
        // total:  4.0920060833 + 3.9053343472 + 3.906 x 2 + 10.56 = 26.3693404306
        const chat = (1 + 8 / 90) * 0.06 + (730 / 2160 / 10_000) * 0.03 + 3.84;
        const mail = 0.132 + 0.12 + ((2 * 730) / 720 / 10_000) * 0.03 + 3.84;
        near(plan.cost.subtotals.mail, mail, "mail subtotal");
        near(plan.cost.subtotals.chat, chat, "chat subtotal");
        near(plan.cost.subtotals.small, 10.56, "fleet subtotal");
        near(plan.cost.total, mail + chat + 2 * 3.906 + 10.56, "total");
        near(plan.cost.total, 26.3693404306, "total, as written out");
    });
});
