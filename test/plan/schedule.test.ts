/**
 * Ticks a month from the tick job's cron schedule, for the invocation count of the estimate.
 * A month is 730 hours: 30.41667 days.
 */
import * as assert from "assert";
import { runsPerMonth } from "../../plan/schedule";

const DAYS = 730 / 24;

describe("The schedule reader", () => {
    const cases: [string, number][] = [
        ["*/10 * * * *", 6 * 24 * DAYS], // 4,380: the default tick
        ["*/30 * * * *", 2 * 24 * DAYS], // 1,460: the dev example
        ["0 * * * *", 24 * DAYS], // 730
        ["0,30 9-17 * * *", 2 * 9 * DAYS], // twice an hour, 9:00 to 17:30
        ["5/15 * * * *", 4 * 24 * DAYS], // minutes 5, 20, 35, 50
        ["0 9 * * 1-5", (DAYS * 5) / 7], // weekdays at nine
        ["0 9 * * 0,7", (DAYS * 1) / 7], // Sunday written both ways is still one day
        ["0 0 1 * *", 1], // the first of each month
        ["0 0 1,15 * *", 2], // the first and the fifteenth
        ["0 0 31 * *", 7 / 12], // only 7 months have a 31st
        ["0 0 1 1,7 *", 2 / 12], // twice a year
        // Both day fields restricted: cron runs when either matches.
        ["0 0 1 * 1", DAYS * (1 - (1 - 1 / DAYS) * (1 - 1 / 7))],
    ];
    for (const [schedule, expected] of cases) {
        it(`counts "${schedule}" as ${expected.toFixed(2)} runs a month`, () => {
            const runs = runsPerMonth(schedule);
            assert.ok(runs !== undefined && Math.abs(runs - expected) < 1e-9, `${runs}`);
        });
    }

    it("gives up on what it cannot read, instead of guessing", () => {
        for (const schedule of [
            "*/10 * * *",
            "0 9 * * MON",
            "61 * * * *",
            "*/0 * * * *",
            "5-1 * * * *",
            "@hourly",
        ]) {
            assert.strictEqual(runsPerMonth(schedule), undefined, schedule);
        }
    });
});
