/**
 * The shapes of keywarden's rules: `@pulumi/policy` policies narrowed to exactly one validate
 * function each, so that tests (and teams reusing a rule in their own pack) can call it directly.
 */
import {
    ResourceValidation,
    ResourceValidationPolicy,
    StackValidation,
    StackValidationPolicy,
} from "@pulumi/policy";

/** A policy that checks one resource at a time with one function. */
export type ResourceRule = ResourceValidationPolicy & { validateResource: ResourceValidation };

/** A policy that checks the whole stack at once. */
export type StackRule = StackValidationPolicy & { validateStack: StackValidation };
