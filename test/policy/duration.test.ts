import * as assert from "node:assert/strict";
import { formatDuration, parseDuration } from "../../functions/rotator/policy/duration";

describe("durations in policies", () => {
    const valid: Array<[string, number]> = [
        ["30s", 30_000],
        ["45m", 2_700_000],
        ["12h", 43_200_000],
        ["90d", 90 * 86_400_000],
        ["2w", 14 * 86_400_000],
        ["1d12h", 36 * 3_600_000],
        ["1h30m15s", 5_415_000],
    ];
    for (const [text, ms] of valid) {
        it(`reads "${text}" as ${ms} ms`, () => assert.equal(parseDuration(text), ms));
    }

    const invalid: Array<[unknown, RegExp]> = [
        ["", /must be a duration/],
        [30, /must be a duration/],
        ["30", /not a duration: use a whole number and a unit/],
        ["30 days", /not a duration/],
        ["-5d", /not a duration/],
        ["1.5d", /not a duration/],
        ["12h1d", /repeats a unit or puts a smaller unit first/],
        ["1d1d", /repeats a unit/],
        ["0d", /is zero/],
    ];
    for (const [text, message] of invalid) {
        it(`refuses ${JSON.stringify(text)} with a sentence that says how to write it`, () => {
            const result = parseDuration(text);
            assert.equal(typeof result, "string");
            assert.match(result as string, message);
        });
    }

    it("formats milliseconds back into the largest exact units", () => {
        assert.equal(formatDuration(36 * 3_600_000), "1d12h");
        assert.equal(formatDuration(90 * 86_400_000), "90d");
        assert.equal(formatDuration(61_000), "1m1s");
        assert.equal(formatDuration(0), "0s");
    });
});
