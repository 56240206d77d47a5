/**
 * The key register: the ground truth of every key a fake provider ever issued.
 *
 * The rotator's tests cannot trust the rotator's own bookkeeping to check the rotator, so each
 * fake writes here whenever it creates, revokes or rolls a key, and a test asks the register
 * instead: which keys were valid at instant T, how many exist now, was this key ever issued,
 * and in what order did things happen. Expiry is judged by the injected clock, never stored as
 * an event, so moving the clock is enough to make a key stop working.
 */
import type { Clock } from "./clock";

/** Why a key stopped working before its expiry. */
export type RevokeReason = "revoked" | "rolled" | "superseded" | "used";

/** Where a key stands at a given instant. */
export type KeyState = "not-yet-valid" | "active" | "expired" | "revoked";

/** One key (one secret value) as the provider issued it. */
export interface IssuedKey {
    /** The provider's key ID, the one a rotator stores and later revokes by. */
    readonly id: string;
    /** The name or label given at creation. */
    readonly name: string;
    /** The key material itself. Tests may read it; nothing may log it. */
    readonly secret: string;
    /** When the provider created it (epoch ms, by the fake's clock). */
    readonly createdAt: number;
    /** Before this instant the key does not work yet (Cloudflare `not_before`). */
    readonly notBefore?: number;
    /** From this instant on the key no longer works (provider-side expiry). */
    readonly expiresAt?: number;
    /** When it was revoked, deleted or rolled; absent while it still exists. */
    readonly revokedAt?: number;
    /** Why it was revoked; absent while it still exists. */
    readonly revokeReason?: RevokeReason;
    /** Provider details kept with the key: scopes, policies, restrictions, annotations... */
    readonly attributes: Readonly<Record<string, unknown>>;
}

/** What a fake passes to record a new key. */
export interface IssueInput {
    id: string;
    name: string;
    secret: string;
    notBefore?: number;
    expiresAt?: number;
    attributes?: Record<string, unknown>;
}

/** One entry of the register's timeline. */
export interface KeyEvent {
    /** When it happened (epoch ms). Expiry events are dated at the key's `expiresAt`. */
    readonly at: number;
    readonly kind: "issued" | "revoked" | "expired";
    readonly keyId: string;
    readonly name: string;
    /** For `revoked` events: why. */
    readonly reason?: RevokeReason;
}

type MutableKey = { -readonly [K in keyof IssuedKey]: IssuedKey[K] };

/** Records every key a fake issued and answers questions about their validity over time. */
export class KeyRegister {
    private readonly keys: MutableKey[] = [];

    /** `clock` decides "now" for expiry and for the times recorded on issue and revoke. */
    constructor(private readonly clock: Clock) {}

    /** Records a newly issued key. Fails if the secret was ever issued or the ID is live. */
    issue(input: IssueInput): IssuedKey {
        if (this.keys.some((k) => k.secret === input.secret)) {
            throw new Error(`KeyRegister: key ${input.id} reuses a secret issued before.`);
        }
        if (this.live(input.id)) {
            throw new Error(`KeyRegister: key ID ${input.id} already exists; revoke it first.`);
        }
        const key: MutableKey = {
            id: input.id,
            name: input.name,
            secret: input.secret,
            createdAt: this.clock.now(),
            notBefore: input.notBefore,
            expiresAt: input.expiresAt,
            attributes: { ...(input.attributes ?? {}) },
        };
        this.keys.push(key);
        return key;
    }

    /** Revokes the live key with this ID; returns it, or undefined if no such live key. */
    revoke(id: string, reason: RevokeReason = "revoked"): IssuedKey | undefined {
        const key = this.live(id);
        if (!key) return undefined;
        key.revokedAt = this.clock.now();
        key.revokeReason = reason;
        return key;
    }

    /**
     * Replaces the secret of a live key in place, as Cloudflare's roll does: the old value is
     * revoked at once (reason `rolled`) and a new record with the same ID starts now.
     */
    roll(id: string, newSecret: string): IssuedKey | undefined {
        const old = this.live(id);
        if (!old) return undefined;
        this.revoke(id, "rolled");
        return this.issue({ ...old, secret: newSecret, attributes: { ...old.attributes } });
    }

    /** Merges provider details into a live key's attributes (e.g. a Google key's annotations). */
    annotate(id: string, attributes: Record<string, unknown>): IssuedKey | undefined {
        const key = this.live(id);
        if (key) key.attributes = { ...key.attributes, ...attributes };
        return key;
    }

    /** The most recent record with this ID, revoked or not. */
    find(id: string): IssuedKey | undefined {
        return [...this.keys].reverse().find((k) => k.id === id);
    }

    /** The record holding this secret, whatever its state. */
    findBySecret(secret: string): IssuedKey | undefined {
        return this.keys.find((k) => k.secret === secret);
    }

    /** Where `key` stands at instant `at` (default: now). */
    stateOf(key: IssuedKey, at: number = this.clock.now()): KeyState {
        if (key.revokedAt !== undefined && at >= key.revokedAt) return "revoked";
        if (key.expiresAt !== undefined && at >= key.expiresAt) return "expired";
        if (at < key.createdAt || (key.notBefore !== undefined && at < key.notBefore)) {
            return "not-yet-valid";
        }
        return "active";
    }

    /** True when `key` works at instant `at` (default: now). */
    isValid(key: IssuedKey, at?: number): boolean {
        return this.stateOf(key, at) === "active";
    }

    /** The key a caller presented, if it works now; what a fake's auth check asks. */
    authenticate(secret: string | undefined): IssuedKey | undefined {
        const key = secret === undefined ? undefined : this.findBySecret(secret);
        return key && this.isValid(key) ? key : undefined;
    }

    /** Every key that worked at instant `at`. */
    validAt(at: number): IssuedKey[] {
        return this.keys.filter((k) => this.isValid(k, at));
    }

    /** Every key that works now. */
    validNow(): IssuedKey[] {
        return this.validAt(this.clock.now());
    }

    /** Keys that exist now (not revoked or deleted), expired ones included: what quotas count. */
    existing(): IssuedKey[] {
        return this.keys.filter((k) => k.revokedAt === undefined);
    }

    /** How many keys exist now (see `existing`). */
    existingCount(): number {
        return this.existing().length;
    }

    /** True if a key with this ID or this secret was ever issued. */
    wasIssued(idOrSecret: string): boolean {
        return this.keys.some((k) => k.id === idOrSecret || k.secret === idOrSecret);
    }

    /** Every key ever issued, in issue order. */
    all(): readonly IssuedKey[] {
        return [...this.keys];
    }

    /** Issues, revocations and expiries that happened up to now, oldest first. */
    timeline(): KeyEvent[] {
        const now = this.clock.now();
        const events: KeyEvent[] = [];
        for (const k of this.keys) {
            events.push({ at: k.createdAt, kind: "issued", keyId: k.id, name: k.name });
            const ended = k.revokedAt ?? Infinity;
            if (k.expiresAt !== undefined && k.expiresAt <= now && k.expiresAt < ended) {
                events.push({ at: k.expiresAt, kind: "expired", keyId: k.id, name: k.name });
            }
            if (k.revokedAt !== undefined) {
                const { revokedAt: at, revokeReason: reason } = k;
                events.push({ at, kind: "revoked", keyId: k.id, name: k.name, reason });
            }
        }
        // A stable sort keeps issue order for events at the same instant.
        return events.sort((a, b) => a.at - b.at);
    }

    private live(id: string): MutableKey | undefined {
        return this.keys.find((k) => k.id === id && k.revokedAt === undefined);
    }
}
