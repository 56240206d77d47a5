/**
 * Reading and writing `RotationState` as the state secret's annotation, within Secret Manager's
 * 16 KiB annotation budget.
 */
import { emptyState, RotationState, STATE_ANNOTATION } from "./types";

/** Secret Manager's limit on the keys plus values of one secret's annotations. */
export const ANNOTATION_BUDGET_BYTES = 16 * 1024;

/** Retired versions whose records are kept for the audit trail before the oldest is dropped. */
export const RETIRED_RECORDS_KEPT = 10;

/** A state annotation that cannot be read: the state secret was edited by hand. */
export class StateCorrupt extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StateCorrupt";
    }
}

/** Reads the state from a state secret's annotations; an absent annotation is an empty state. */
export function decodeState(annotations: Record<string, string> | null | undefined): RotationState {
    const text = annotations?.[STATE_ANNOTATION];
    if (text === undefined || text === "") return emptyState();
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        throw new StateCorrupt(
            `the ${STATE_ANNOTATION} annotation is not JSON: it was edited by ` +
                "hand; restore it from the audit log or delete it to start over",
        );
    }
    const state = value as Partial<RotationState>;
    if (state?.schema !== 1 || typeof state.versions !== "object" || state.versions === null) {
        throw new StateCorrupt(
            `the ${STATE_ANNOTATION} annotation has an unknown shape: it was ` +
                "written by another version of keywarden or edited by hand",
        );
    }
    return { ...emptyState(), ...state } as RotationState;
}

/**
 * Writes the state as the annotation map of the state secret, pruning old retired version
 * records so that the map stays within the budget however many rotations have happened.
 */
export function encodeState(state: RotationState): Record<string, string> {
    const pruned = pruneRetired(state);
    const text = JSON.stringify(pruned);
    const size = Buffer.byteLength(STATE_ANNOTATION) + Buffer.byteLength(text);
    if (size >= ANNOTATION_BUDGET_BYTES) {
        throw new StateCorrupt(
            `the rotation state would take ${size} bytes, over Secret ` +
                `Manager's ${ANNOTATION_BUDGET_BYTES}-byte annotation budget`,
        );
    }
    return { [STATE_ANNOTATION]: text };
}

function pruneRetired(state: RotationState): RotationState {
    const retired = Object.entries(state.versions)
        .filter(
            ([version, record]) =>
                record.retiredAt !== undefined &&
                version !== state.current &&
                version !== state.previous,
        )
        .sort((a, b) => Number(a[0]) - Number(b[0]));
    const drop = retired.slice(0, Math.max(0, retired.length - RETIRED_RECORDS_KEPT));
    if (drop.length === 0) return state;
    const versions = { ...state.versions };
    for (const [version] of drop) delete versions[version];
    return { ...state, versions };
}
