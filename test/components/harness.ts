/**
 * The component tests' view of the mock runtime: `runUnderMocks` records every resource a
 * program declares (it lives in `plan/mock-runtime.ts`, shared with the offline plan), and the
 * helpers below inspect recorded inputs.
 */
import { RecordedResource } from "../../plan/mock-runtime";

export {
    Recording,
    RecordedResource,
    Run,
    RunOptions,
    runUnderMocks,
} from "../../plan/mock-runtime";

/** Whether the input at `path` of `resource` was a Pulumi secret, itself or an enclosing object. */
export function isSecretInput(resource: RecordedResource, path: string): boolean {
    return resource.secretPaths.some(
        (secret) =>
            secret === "" ||
            path === secret ||
            path.startsWith(`${secret}.`) ||
            path.startsWith(`${secret}[`),
    );
}

/** Calls `visit` with the path and text of every string inside `value`. */
export function visitStrings(
    value: unknown,
    visit: (path: string, text: string) => void,
    path = "",
): void {
    if (typeof value === "string") {
        visit(path, value);
    } else if (Array.isArray(value)) {
        value.forEach((item, i) => visitStrings(item, visit, `${path}[${i}]`));
    } else if (value !== null && typeof value === "object") {
        for (const [key, item] of Object.entries(value)) {
            visitStrings(item, visit, path === "" ? key : `${path}.${key}`);
        }
    }
}
