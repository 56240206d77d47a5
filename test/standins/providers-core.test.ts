import { strict as assert } from "node:assert";
import { DAY, HOUR, ManualClock } from "../../standins/providers/clock";
import { FaultPlan } from "../../standins/providers/faults";
import { RequestCounter } from "../../standins/providers/counter";
import { KeyRegister } from "../../standins/providers/register";

describe("fake providers: key register", () => {
    const start = Date.UTC(2026, 0, 1);
    let clock: ManualClock;
    let register: KeyRegister;

    beforeEach(() => {
        clock = new ManualClock(start);
        register = new KeyRegister(clock);
    });

    it("answers which keys were valid at any past instant", () => {
        const a = register.issue({ id: "a", name: "bot-a", secret: "secret-a" });
        clock.advance(HOUR);
        const b = register.issue({ id: "b", name: "bot-b", secret: "secret-b" });
        clock.advance(HOUR);
        register.revoke("a");
        assert.deepEqual(
            register.validAt(start).map((k) => k.id),
            ["a"],
        );
        assert.deepEqual(
            register.validAt(start + HOUR).map((k) => k.id),
            ["a", "b"],
        );
        assert.deepEqual(
            register.validAt(start + 2 * HOUR).map((k) => k.id),
            ["b"],
        );
        assert.deepEqual(register.validAt(start - 1), []);
        assert.equal(register.stateOf(a), "revoked");
        assert.equal(register.stateOf(b), "active");
    });

    it("stops honouring a key at its expiry without any event being recorded", () => {
        const key = register.issue({ id: "k", name: "n", secret: "s", expiresAt: start + DAY });
        assert.equal(register.authenticate("s")?.id, "k");
        clock.advance(DAY);
        assert.equal(register.authenticate("s"), undefined);
        assert.equal(register.stateOf(key), "expired");
        assert.equal(register.existingCount(), 1, "an expired key still exists until deleted");
    });

    it("does not honour a key before its not-before instant", () => {
        register.issue({ id: "k", name: "n", secret: "s", notBefore: start + HOUR });
        assert.equal(register.authenticate("s"), undefined);
        clock.advance(HOUR);
        assert.equal(register.authenticate("s")?.id, "k");
    });

    it("keeps a timeline of issues, expiries and revocations in time order", () => {
        register.issue({ id: "a", name: "n-a", secret: "sa", expiresAt: start + 2 * HOUR });
        clock.advance(HOUR);
        register.issue({ id: "b", name: "n-b", secret: "sb" });
        clock.advance(2 * HOUR);
        register.revoke("b");
        assert.deepEqual(register.timeline(), [
            { at: start, kind: "issued", keyId: "a", name: "n-a" },
            { at: start + HOUR, kind: "issued", keyId: "b", name: "n-b" },
            { at: start + 2 * HOUR, kind: "expired", keyId: "a", name: "n-a" },
            { at: start + 3 * HOUR, kind: "revoked", keyId: "b", name: "n-b", reason: "revoked" },
        ]);
    });

    it("remembers every key ever issued, by ID or by secret", () => {
        register.issue({ id: "a", name: "n", secret: "sa" });
        register.revoke("a");
        assert.equal(register.wasIssued("a"), true);
        assert.equal(register.wasIssued("sa"), true);
        assert.equal(register.wasIssued("never"), false);
        assert.equal(register.existingCount(), 0);
        assert.equal(register.all().length, 1);
    });

    it("rolls a key: same ID, new secret, the old secret dead at once", () => {
        register.issue({ id: "a", name: "n", secret: "old", attributes: { owner: "user" } });
        clock.advance(HOUR);
        const rolled = register.roll("a", "new");
        assert.equal(rolled?.id, "a");
        assert.equal(rolled?.attributes.owner, "user");
        assert.equal(register.authenticate("old"), undefined);
        assert.equal(register.findBySecret("old")?.revokeReason, "rolled");
        assert.equal(register.authenticate("new")?.id, "a");
    });

    it("refuses to issue a reused secret or a second live key with the same ID", () => {
        register.issue({ id: "a", name: "n", secret: "s" });
        assert.throws(() => register.issue({ id: "b", name: "n", secret: "s" }), /reuses a secret/);
        assert.throws(() => register.issue({ id: "a", name: "n", secret: "t" }), /already exists/);
    });

    it("revoking an unknown or already revoked key changes nothing", () => {
        register.issue({ id: "a", name: "n", secret: "s" });
        register.revoke("a");
        clock.advance(HOUR);
        assert.equal(register.revoke("a"), undefined);
        assert.equal(register.revoke("zzz"), undefined);
        assert.equal(register.find("a")?.revokedAt, start);
    });
});

describe("fake providers: fault plan and request counter", () => {
    it("plays armed faults for exactly N requests, in the order armed", () => {
        const plan = new FaultPlan(["create", "verify"]);
        plan.inject("create", { kind: "rate-limit" }, 2);
        plan.inject("create", { kind: "hang" });
        assert.equal(plan.pending("create"), 3);
        assert.equal(plan.take("verify"), undefined);
        assert.equal(plan.take("create")?.kind, "rate-limit");
        assert.equal(plan.take("create")?.kind, "rate-limit");
        assert.equal(plan.take("create")?.kind, "hang");
        assert.equal(plan.take("create"), undefined);
        assert.equal(plan.pending(), 0);
    });

    it("rejects an unknown operation, an unsupported kind or a bad count, naming the fix", () => {
        const plan = new FaultPlan(["create"], ["rate-limit"]);
        assert.throws(
            () => plan.inject("crate", { kind: "rate-limit" }),
            /unknown operation "crate"; use one of: create\./,
        );
        assert.throws(
            () => plan.inject("create", { kind: "hang" }),
            /fault kind "hang" is not supported here; use one of: rate-limit\./,
        );
        assert.throws(
            () => plan.inject("create", { kind: "rate-limit" }, 0),
            /`count` must be a positive integer/,
        );
        assert.equal(plan.pending(), 0);
    });

    it("counts requests and failures per operation", () => {
        const counter = new RequestCounter();
        counter.record("use", false);
        counter.record("use", true);
        counter.record("create", false);
        assert.equal(counter.count("use"), 2);
        assert.equal(counter.failures("use"), 1);
        assert.equal(counter.successes("use"), 1);
        assert.equal(counter.total(), 3);
        assert.deepEqual(counter.snapshot(), {
            use: { total: 2, failed: 1 },
            create: { total: 1, failed: 0 },
        });
        counter.reset();
        assert.equal(counter.total(), 0);
    });
});

describe("fake providers: manual clock", () => {
    it("moves only forward", () => {
        const clock = new ManualClock(1000);
        clock.advance(500);
        assert.equal(clock.now(), 1500);
        assert.throws(() => clock.advance(-1), /must be >= 0/);
        assert.throws(() => clock.set(0), /cannot go backwards/);
    });
});
