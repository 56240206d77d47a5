import * as assert from "node:assert/strict";
import { RotationPolicy } from "../../functions/rotator/policy/types";
import { dueAt, isOverdue, planSecret, policyTimes } from "../../functions/rotator/protocol/plan";
import { emptyState, RotationState } from "../../functions/rotator/state/types";

const DAY = 86_400_000;
const T0 = new Date("2026-06-01T00:00:00.000Z");
const at = (days: number) => new Date(T0.getTime() + days * DAY);

const policy: RotationPolicy = {
    schema: 1,
    bot: "weather-bot",
    stateSecret: "weather-key-state",
    rotator: { kind: "http", preset: "sendgrid" },
    adminSecret: "sendgrid-admin",
    rotationPeriod: "30d",
    gracePeriod: "2d",
};
const manual: RotationPolicy = {
    ...policy,
    rotator: { kind: "manual", verify: "telegram" },
    adminSecret: undefined,
    reminderLead: "5d",
};

function rotatedAt(days: number, extra: Partial<RotationState> = {}): RotationState {
    return {
        ...emptyState(),
        current: "2",
        versions: { "2": { keyId: "k2", publishedAt: at(days).toISOString(), attemptId: "a2" } },
        ...extra,
    };
}

describe("what a tick decides for one secret", () => {
    it("does nothing (and so calls nothing) before the rotation period is over", () => {
        assert.deepEqual(planSecret(policy, rotatedAt(0), at(29)), { kind: "none", next: at(30) });
    });

    it("rotates once the rotation period is over", () => {
        const action = planSecret(policy, rotatedAt(0), at(30));
        assert.deepEqual(action, { kind: "rotate", dueAt: at(30), overdue: false });
    });

    it("counts from the secret's creation when keywarden has published nothing yet", () => {
        assert.deepEqual(dueAt(policy, emptyState(), at(3)), at(33));
        assert.equal(planSecret(policy, emptyState(), at(32), at(3)).kind, "none");
        assert.equal(planSecret(policy, emptyState(), at(33), at(3)).kind, "rotate");
    });

    it("retires the previous key only after the grace period", () => {
        const state = rotatedAt(0, { previous: "1", previousSince: at(0).toISOString() });
        assert.equal(planSecret(policy, state, at(1.9)).kind, "none");
        assert.deepEqual(planSecret(policy, state, at(2)), { kind: "retire", version: "1" });
    });

    it("never makes a third key: a due rotation waits while a previous key is still valid", () => {
        const state = rotatedAt(0, { previous: "1", previousSince: at(29).toISOString() });
        const action = planSecret(policy, state, at(30));
        assert.equal(action.kind, "none");
        assert.match((action as { waiting?: string }).waiting ?? "", /grace period/);
    });

    it(
        "leaves a secret alone while another attempt holds a live lease, and recovers it " +
            "after",
        () => {
            const pending = {
                attemptId: "p",
                operation: "rotate" as const,
                step: "created" as const,
                startedAt: at(0).toISOString(),
                leaseUntil: at(0.01).toISOString(),
            };
            assert.equal(planSecret(policy, rotatedAt(0, { pending }), at(0.005)).kind, "busy");
            assert.equal(planSecret(policy, rotatedAt(0, { pending }), at(0.01)).kind, "recover");
        },
    );

    it("backs off after failures, doubling the wait, capped at a quarter period", () => {
        const failedAt = at(30);
        const state = (failures: number) =>
            rotatedAt(0, { failures, lastFailureAt: failedAt.toISOString() });
        const fiveMinutes = 5 * 60_000;
        assert.equal(
            planSecret(policy, state(1), new Date(failedAt.getTime() + fiveMinutes - 1)).kind,
            "none",
        );
        assert.equal(
            planSecret(policy, state(1), new Date(failedAt.getTime() + fiveMinutes)).kind,
            "rotate",
        );
        assert.equal(
            planSecret(policy, state(3), new Date(failedAt.getTime() + 4 * fiveMinutes - 1)).kind,
            "none",
        );
        assert.equal(
            planSecret(policy, state(30), new Date(failedAt.getTime() + 7.5 * DAY)).kind,
            "rotate",
        );
    });

    it("calls a rotation overdue after the grace period or a day, whichever is shorter", () => {
        const times = policyTimes(policy);
        assert.equal(isOverdue(at(30), at(31), times), false);
        assert.equal(isOverdue(at(30), at(31.01), times), true);
    });

    it("reminds about a manual key from the reminder lead on, at most once a day", () => {
        assert.equal(planSecret(manual, rotatedAt(0), at(24.9)).kind, "none");
        assert.deepEqual(planSecret(manual, rotatedAt(0), at(25)), {
            kind: "remind",
            dueAt: at(30),
        });
        const reminded = rotatedAt(0, { lastReminderAt: at(25).toISOString() });
        assert.equal(planSecret(manual, reminded, at(25.5)).kind, "none");
        assert.equal(planSecret(manual, reminded, at(26)).kind, "remind");
    });
});
