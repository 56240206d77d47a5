import * as assert from "node:assert/strict";
import {
    ANNOTATION_BUDGET_BYTES,
    decodeState,
    encodeState,
    RETIRED_RECORDS_KEPT,
    StateCorrupt,
} from "../../functions/rotator/state/codec";
import { emptyState, RotationState, STATE_ANNOTATION } from "../../functions/rotator/state/types";

function stateWithRetired(count: number): RotationState {
    const state = emptyState();
    for (let v = 1; v <= count; v++) {
        state.versions[String(v)] = {
            keyId: `key-${v}`,
            publishedAt: "2026-01-01T00:00:00.000Z",
            attemptId: `attempt-${v}`,
            retiredAt: "2026-02-01T00:00:00.000Z",
        };
    }
    const current = String(count + 1);
    state.versions[current] = {
        keyId: `key-${current}`,
        publishedAt: "2026-03-01T00:00:00.000Z",
        attemptId: "a",
    };
    state.current = current;
    return state;
}

describe("rotation state in the state secret's annotations", () => {
    it("reads a secret the function never touched as an empty state", () => {
        assert.deepEqual(decodeState(undefined), emptyState());
        assert.deepEqual(decodeState({}), emptyState());
    });

    it("round-trips every field it writes", () => {
        const state = stateWithRetired(2);
        state.pending = {
            attemptId: "x",
            operation: "rotate",
            step: "created",
            startedAt: "t",
            leaseUntil: "u",
            keyName: "keywarden-bot-x",
            keyId: "k",
        };
        assert.deepEqual(decodeState(encodeState(state)), state);
    });

    it(
        `keeps only the last ${RETIRED_RECORDS_KEPT} retired versions, so the annotation never ` +
            `outgrows its budget`,
        () => {
            const decoded = decodeState(encodeState(stateWithRetired(500)));
            const retired = Object.values(decoded.versions).filter((r) => r.retiredAt);
            assert.equal(retired.length, RETIRED_RECORDS_KEPT);
            assert.ok(decoded.versions["501"], "the current version's record is kept");
            assert.ok(
                decoded.versions["500"] && !decoded.versions["490"],
                "the newest retired records are the ones kept",
            );
            const size = Buffer.byteLength(encodeState(stateWithRetired(500))[STATE_ANNOTATION]);
            assert.ok(size < ANNOTATION_BUDGET_BYTES / 2, `state is ${size} bytes`);
        },
    );

    it("refuses a hand-edited annotation instead of guessing", () => {
        assert.throws(() => decodeState({ [STATE_ANNOTATION]: "{not json" }), StateCorrupt);
        assert.throws(
            () => decodeState({ [STATE_ANNOTATION]: '{"schema":2,"versions":{}}' }),
            /unknown shape/,
        );
    });
});
