/**
 * Calls the policy pack's rules the way the `@pulumi/policy` analyzer does: resource
 * properties wrapped in the proxy that throws on values preview does not know, configuration
 * through `getConfig`, and every reported violation collected in order.
 */
import {
    PolicyResource,
    ResourceValidationArgs,
    StackValidationArgs,
    unknownCheckingProxy,
} from "@pulumi/policy";
import { POLICY_ANNOTATION } from "../../functions/rotator/policy/types";
import { ResourceRule, StackRule } from "../../policy-pack/rules/rule";

/** The value the engine sends for an input preview does not know yet (`@pulumi/policy`'s own). */
export const UNKNOWN: string = require("@pulumi/policy/proxy").unknownStringValue;

/** A resource as a test declares it. */
export interface TestResource {
    type: string;
    name: string;
    props: Record<string, any>;
}

/** A violation a stack rule reported, with the URN it named (if any). */
export interface Violation {
    message: string;
    urn?: string;
}

/** The URN the tests give a resource. */
export function urnOf(resource: Pick<TestResource, "type" | "name">): string {
    return `urn:pulumi:test::keywarden::${resource.type}::${resource.name}`;
}

/** Runs a resource rule on one resource; returns the messages it reported. */
export async function runResourceRule(
    rule: ResourceRule,
    resource: TestResource,
    config: Record<string, unknown> = {},
): Promise<string[]> {
    const messages: string[] = [];
    const args: ResourceValidationArgs = {
        type: resource.type,
        name: resource.name,
        urn: urnOf(resource),
        props: unknownCheckingProxy(resource.props),
        opts: defaultOptions(),
        stackTags: new Map(),
        isType: (resourceClass) => isType(resource.type, resourceClass),
        asType: () => {
            throw new Error("keywarden's rules read type tokens, not provider classes");
        },
        getConfig: <T extends object>() => config as T,
        notApplicable: (reason?: string) => {
            throw new Error(`rule ${rule.name} declared itself not applicable: ${reason}`);
        },
    };
    await rule.validateResource(args, (message) => messages.push(message));
    return messages;
}

/** Runs a stack rule on a list of resources; returns the violations it reported. */
export async function runStackRule(
    rule: StackRule,
    resources: TestResource[],
    config: Record<string, unknown> = {},
): Promise<Violation[]> {
    const violations: Violation[] = [];
    const args: StackValidationArgs = {
        resources: resources.map(policyResource),
        stackTags: new Map(),
        getConfig: <T extends object>() => config as T,
        notApplicable: (reason?: string) => {
            throw new Error(`rule ${rule.name} declared itself not applicable: ${reason}`);
        },
    };
    await rule.validateStack(args, (message, urn) => violations.push({ message, urn }));
    return violations;
}

/** A rotation policy that the rotation function accepts, with `changes` applied. */
export function rotationPolicy(changes: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        schema: 1,
        bot: "mailer-bot",
        stateSecret: "mailer-bot-sendgrid-state",
        rotator: { kind: "http", preset: "sendgrid", params: { scopes: "mail.send" } },
        rotationPeriod: "30d",
        gracePeriod: "2d",
        adminSecret: "sendgrid-admin",
        ...changes,
    };
}

/** A key secret of fleet "prod" as the Bot component declares it, annotated with `policy`. */
export function keySecret(
    policy: Record<string, unknown> | string | undefined,
    secretId = "mailer-bot-sendgrid",
): TestResource {
    const annotation = typeof policy === "string" ? policy : JSON.stringify(policy);
    return {
        type: "gcp:secretmanager/secret:Secret",
        name: `${secretId}-resource`,
        props: {
            secretId,
            labels: { "keywarden-fleet": "prod", "keywarden-role": "key", "keywarden-bot": "bot" },
            annotations: policy === undefined ? {} : { [POLICY_ANNOTATION]: annotation },
            replication: { auto: {} },
        },
    };
}

function policyResource(resource: TestResource): PolicyResource {
    return {
        type: resource.type,
        name: resource.name,
        urn: urnOf(resource),
        props: unknownCheckingProxy(resource.props),
        opts: defaultOptions(),
        dependencies: [],
        propertyDependencies: {},
        isType: (resourceClass) => isType(resource.type, resourceClass),
        asType: () => {
            throw new Error("keywarden's rules read type tokens, not provider classes");
        },
    };
}

function defaultOptions() {
    return {
        protect: false,
        ignoreChanges: [],
        aliases: [],
        additionalSecretOutputs: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    };
}

/** Provider classes carry their type token in a static `__pulumiType`, as the analyzer reads it. */
function isType(type: string, resourceClass: unknown): boolean {
    return (resourceClass as { __pulumiType?: string }).__pulumiType === type;
}
