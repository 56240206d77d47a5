/**
 * Shape checks for structured stack configuration (objects and arrays in Pulumi.<stack>.yaml),
 * so that a typo or a wrong type is reported by key instead of crashing the program. Messages
 * describe types only, never values: some values are secrets.
 */
import { Problems } from "../problems";

/** The expected shape of a configuration value. */
export type Shape =
    | "string"
    | "number"
    | "boolean"
    | "strings"
    | "numbers"
    | "any"
    | { fields: Record<string, Shape> }
    | { mapOf: Shape };

/** Records a problem under `at` for every place `value` does not have `shape`. */
export function checkShape(value: unknown, shape: Shape, at: Problems, field: string): boolean {
    const before = at.all.length;
    check(value, shape, at, field);
    return at.all.length === before;
}

function check(value: unknown, shape: Shape, at: Problems, field: string): void {
    if (shape === "any") return;
    if (typeof shape === "string") {
        if (!matches(value, shape)) {
            at.add(`${field} must be ${describe(shape)}, not ${kindOf(value)}`);
        }
        return;
    }
    if (!isObject(value)) {
        at.add(`${field} must be an object, not ${kindOf(value)}`);
        return;
    }
    if ("mapOf" in shape) {
        for (const [key, item] of Object.entries(value)) {
            check(item, shape.mapOf, at, `${field}.${key}`);
        }
        return;
    }
    const known = Object.keys(shape.fields);
    for (const [key, item] of Object.entries(value)) {
        if (!known.includes(key)) {
            at.add(
                `${field}.${key} is not a setting here: remove or rename it (settings: ` +
                    `${known.join(", ")})`,
            );
        } else if (item !== undefined && item !== null) {
            check(item, shape.fields[key], at, `${field}.${key}`);
        }
    }
}

function matches(value: unknown, shape: string): boolean {
    switch (shape) {
        case "strings":
            return isListOf(value, "string");
        case "numbers":
            return isListOf(value, "number");
        default:
            return typeof value === shape;
    }
}

function isListOf(value: unknown, type: string): boolean {
    return Array.isArray(value) && value.every((item) => typeof item === type);
}

function describe(shape: string): string {
    switch (shape) {
        case "strings":
            return "a list of strings";
        case "numbers":
            return "a list of numbers";
        case "number":
            return "a number";
        case "boolean":
            return "true or false";
        default:
            return "a string";
    }
}

function kindOf(value: unknown): string {
    if (Array.isArray(value)) return "a list";
    if (value === null) return "null";
    if (typeof value === "object") return "an object";
    return `a ${typeof value}`;
}

/** Whether `value` is a plain object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
