/**
 * Values a rule reads while `pulumi preview` may not know them yet. An input computed from
 * another resource (a service account's email, a bucket's name) is unknown until that resource
 * exists, and reading it through `@pulumi/policy`'s proxy throws `UnknownValueError`.
 *
 * Rules treat such a value as "not checkable now" rather than reporting it: the engine runs
 * the same rules again during `pulumi up`, once the value is known and before the resource is
 * created or changed, so nothing escapes the check. Without this, every fresh stack's preview
 * would list a "can't run policy" warning per binding to a not-yet-created identity.
 */
import { UnknownValueError } from "@pulumi/policy";

/** A value read during preview: either known (possibly undefined) or not known yet. */
export type PreviewValue<T> = { known: true; value: T } | { known: false };

/** Reads a value, telling "not known yet" apart from "known to be undefined". */
export function read<T>(reader: () => T): PreviewValue<T> {
    try {
        return { known: true, value: reader() };
    } catch (error) {
        if (error instanceof UnknownValueError) return { known: false };
        throw error;
    }
}

/** What `reader` returns, or undefined when it touches a value preview does not know yet. */
export function known<T>(reader: () => T): T | undefined {
    const result = read(reader);
    return result.known ? result.value : undefined;
}
