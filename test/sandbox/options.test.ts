import * as assert from "node:assert/strict";
import { parseOptions, usage } from "../../sandbox/options";

describe("sandbox options", () => {
    it("defaults to a 2 s tick, 10 s rotation period, 4 s grace period and 1 s bot cache", () => {
        assert.deepEqual(parseOptions([], {}), {
            kind: "run",
            options: {
                tickMs: 2000,
                rotationPeriod: "10s",
                gracePeriod: "4s",
                botCacheMs: 1000,
                durationMs: undefined,
                verbose: false,
            },
        });
    });

    it("reads flags (spaced or with =) and variables, a flag winning over its variable", () => {
        const argv = ["--tick=500ms", "--grace-period", "3s", "--for", "1m", "--verbose"];
        const parsed = parseOptions(argv, {
            KEYWARDEN_SANDBOX_TICK: "5s",
            KEYWARDEN_SANDBOX_ROTATION_PERIOD: "20s",
            KEYWARDEN_SANDBOX_BOT_CACHE: "250ms",
        });
        assert.deepEqual(parsed, {
            kind: "run",
            options: {
                tickMs: 500,
                rotationPeriod: "20s",
                gracePeriod: "3s",
                botCacheMs: 250,
                durationMs: 60_000,
                verbose: true,
            },
        });
    });

    it("answers --help with every option and its variable", () => {
        assert.deepEqual(parseOptions(["--tick", "1s", "--help"], {}), { kind: "help" });
        for (const word of [
            "--tick",
            "--rotation-period",
            "--grace-period",
            "--bot-cache",
            "--for",
            "--verbose",
            "KEYWARDEN_SANDBOX_FOR",
        ]) {
            assert.ok(usage().includes(word), word);
        }
    });

    interface Refusal {
        name: string;
        argv: string[];
        env?: Record<string, string>;
        says: string[];
    }
    const refusals: Refusal[] = [
        {
            name: "an unknown flag",
            argv: ["--period", "5s"],
            says: [
                "--period is not an option: use one of --tick, --rotation-period, " +
                    "--grace-period, --bot-cache, --for, --verbose (or --help)",
            ],
        },
        {
            name: "a flag without its value",
            argv: ["--for"],
            says: ["--for needs a value, e.g. --for 60s"],
        },
        {
            name: "a value that is not a duration",
            argv: ["--tick", "fast"],
            says: ['--tick "fast" is not a duration: write e.g. 500ms, 2s or 1m'],
        },
        {
            name: "milliseconds in a policy period",
            argv: ["--grace-period", "500ms"],
            says: [
                '--grace-period "500ms" is not a policy duration (the policy counts in whole ' +
                    "seconds): write e.g. 4s, 10s or 1m",
            ],
        },
        {
            name: "a bad variable, named as the variable",
            argv: [],
            env: { KEYWARDEN_SANDBOX_FOR: "0ms" },
            says: ["KEYWARDEN_SANDBOX_FOR is zero: give a positive duration such as 500ms"],
        },
        {
            name: "a grace period as long as the rotation period",
            argv: ["--rotation-period", "5s", "--grace-period", "5s"],
            says: [
                "--grace-period (5s) must be shorter than --rotation-period (5s), so that at " +
                    "most two keys are valid at once",
            ],
        },
        {
            name: "a bot cache as long as the grace period",
            argv: ["--bot-cache", "4s"],
            says: [
                "--bot-cache (4s) must be shorter than --grace-period (4s): the bot would " +
                    "still hold the old key when it is revoked",
            ],
        },
        {
            name: "a conflict between variables, named as the variables",
            argv: [],
            env: { KEYWARDEN_SANDBOX_GRACE_PERIOD: "10s" },
            says: [
                "KEYWARDEN_SANDBOX_GRACE_PERIOD (10s) must be shorter than --rotation-period " +
                    "(10s), so that at most two keys are valid at once",
            ],
        },
        {
            name: "two problems at once",
            argv: ["--tick", "x", "--verbose=yes"],
            says: [
                "--verbose takes no value: write just --verbose",
                '--tick "x" is not a duration: write e.g. 500ms, 2s or 1m',
            ],
        },
    ];
    for (const { name, argv, env, says } of refusals) {
        it(`refuses ${name} with a message naming the option and the fix`, () => {
            assert.deepEqual(parseOptions(argv, env ?? {}), { kind: "invalid", problems: says });
        });
    }
});
