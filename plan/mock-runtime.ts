/**
 * Runs a Pulumi program under Pulumi's mock runtime and records every resource it declares:
 * type, name, parent, inputs (with the paths of inputs marked secret) and the options that
 * matter here (`ignoreChanges`, `retainOnDelete`). The offline plan reads the recording to say
 * what `pulumi up` would create; the component tests assert on it.
 */
import * as pulumi from "@pulumi/pulumi";
import { mockOutputs, PROJECT_NUMBER } from "./mock-outputs";

/** One declared resource, as the mock runtime saw it. */
export interface RecordedResource {
    type: string;
    name: string;
    /** Name of the parent resource; `"<stack>"` for top-level resources. */
    parent?: string;
    /** Inputs with Pulumi secrets unwrapped. */
    inputs: Record<string, any>;
    /** Dotted paths of the inputs that were Pulumi secrets, e.g. `sensitiveLabels.authToken`. */
    secretPaths: string[];
    ignoreChanges: string[];
    retainOnDelete: boolean;
}

/** Every resource of one run, with lookups. */
export class Recording {
    readonly resources: RecordedResource[] = [];

    /** Resources of `type` (a full token such as `gcp:secretmanager/secret:Secret`). */
    ofType(type: string): RecordedResource[] {
        return this.resources.filter((resource) => resource.type === type);
    }

    /** The resource of `type` named `name`; throws when there is none. */
    get(type: string, name: string): RecordedResource {
        const found = this.find(type, name);
        if (!found) {
            throw new Error(`no ${type} named ${name}; declared: ${this.names(type).join(", ")}`);
        }
        return found;
    }

    /** The resource of `type` named `name`, or undefined. */
    find(type: string, name: string): RecordedResource | undefined {
        return this.resources.find((resource) => resource.type === type && resource.name === name);
    }

    /** Resources whose parent is the resource named `parent`. */
    childrenOf(parent: string): RecordedResource[] {
        return this.resources.filter((resource) => resource.parent === parent);
    }

    /** Names of the resources of `type`, sorted. */
    names(type: string): string[] {
        return this.ofType(type)
            .map((resource) => resource.name)
            .sort();
    }
}

/** The result of a run: the recording, the stack outputs, and the program's error if any. */
export interface Run {
    recording: Recording;
    outputs?: Record<string, any>;
    /** The program's error: thrown while declaring, or raised while resolving an input (which
     * fails a real deployment before the resource is created). */
    error?: Error;
}

/** Options of a run. */
export interface RunOptions {
    /** Stack configuration, keys with their namespace (`keywarden:fleet`), values as strings. */
    config?: Record<string, string>;
    /** Configuration keys whose values are secrets. */
    secretKeys?: string[];
    stack?: string;
    /** What the mocked `getProject` call answers as the project number. */
    projectNumber?: string;
}

const SECRET_SIG = pulumi.runtime.specialSecretSig;
const SIG_KEY = pulumi.runtime.specialSigKey;

/** Runs `program` as a Pulumi stack under the mocks and waits for every registration. */
export async function runUnderMocks(
    program: () => unknown,
    options: RunOptions = {},
): Promise<Run> {
    const recording = new Recording();
    type Options = Pick<RecordedResource, "parent" | "ignoreChanges" | "retainOnDelete">;
    const declared = new Map<string, Options>();
    const names = new WeakMap<pulumi.Resource, string>();
    pulumi.runtime.setAllConfig(options.config ?? {}, options.secretKeys ?? []);
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                const secretPaths: string[] = [];
                const inputs = unwrapSecrets(args.inputs, "", secretPaths);
                const options = declared.get(`${args.type}::${args.name}`);
                recording.resources.push({
                    type: args.type,
                    name: args.name,
                    inputs,
                    secretPaths,
                    parent: options?.parent,
                    ignoreChanges: options?.ignoreChanges ?? [],
                    retainOnDelete: options?.retainOnDelete ?? false,
                });
                return mockOutputs(args.type, args.name, inputs);
            },
            call(args) {
                if (args.token === "gcp:organizations/getProject:getProject") {
                    const number = options.projectNumber ?? PROJECT_NUMBER;
                    return { number, projectId: args.inputs.projectId };
                }
                throw new Error(`unexpected call ${args.token}`);
            },
        },
        "keywarden",
        options.stack ?? "test",
        false,
    );

    let outputs: Record<string, any> | undefined;
    let error: Error | undefined;
    // An input that fails to resolve surfaces as an unhandled rejection, which the real Pulumi
    // runtime turns into a failed deployment; here it becomes the run's error.
    const onRejection = (reason: unknown) => {
        error ??= reason instanceof Error ? reason : new Error(String(reason));
    };
    process.on("unhandledRejection", onRejection);
    // The runtime records a stack trace for every promise it creates; mapping each through
    // tsx's source maps would triple the run time. Stacks of test failures are unaffected.
    const sourceMaps = process.sourceMapsEnabled;
    process.setSourceMapsEnabled(false);
    try {
        outputs = await pulumi.runtime.runInPulumiStack(async () => {
            // Stack transformations see each resource's options, which the mock monitor does not
            // receive; the newer transforms API is not available under mocks.
            pulumi.runtime.registerStackTransformation((args) => {
                names.set(args.resource, args.name);
                const parent = args.opts.parent;
                declared.set(`${args.type}::${args.name}`, {
                    parent:
                        parent === undefined || parent === pulumi.runtime.getStackResource()
                            ? "<stack>"
                            : (names.get(parent) ?? "?"),
                    ignoreChanges: (args.opts as pulumi.CustomResourceOptions).ignoreChanges ?? [],
                    retainOnDelete: args.opts.retainOnDelete ?? false,
                });
                return undefined;
            });
            return await program();
        });
    } catch (caught) {
        error ??= caught instanceof Error ? caught : new Error(String(caught));
    }
    await pulumi.runtime.disconnect();
    await new Promise((resolve) => setImmediate(resolve));
    process.setSourceMapsEnabled(sourceMaps);
    process.off("unhandledRejection", onRejection);
    // A failed run leaves rejected registrations behind, which the runtime would report as
    // leaked promises when the process exits; resetting the runtime forgets them.
    pulumi.runtime.resetOptions("keywarden", options.stack ?? "test", -1, "", "", false, "");
    return { recording, outputs, error };
}

/** Returns `value` without secret wrappers, adding the path of each wrapper to `paths`. */
function unwrapSecrets(value: any, path: string, paths: string[]): any {
    if (Array.isArray(value)) {
        return value.map((item, i) => unwrapSecrets(item, `${path}[${i}]`, paths));
    }
    if (value === null || typeof value !== "object") return value;
    if (value[SIG_KEY] === SECRET_SIG) {
        paths.push(path);
        return unwrapSecrets(value.value, path, []);
    }
    // Assets and archives arrive as class instances: kept as they are.
    if (Object.getPrototypeOf(value) !== Object.prototype) return value;
    const result: Record<string, any> = {};
    for (const [key, item] of Object.entries(value)) {
        result[key] = unwrapSecrets(item, path === "" ? key : `${path}.${key}`, paths);
    }
    return result;
}
