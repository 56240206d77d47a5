/**
 * The subset of the List filter language (cloud.google.com/secret-manager/docs/filtering) that
 * the emulator understands: terms `field=value`, `field!=value`, `field:value` and
 * `field:*` (the field is present), each optionally negated with `NOT ` or `-`, joined by
 * ` AND ` or by plain spaces. Values may be double-quoted. Anything else (OR, parentheses,
 * comparisons such as `<`) is rejected with INVALID_ARGUMENT rather than silently ignored, so a
 * caller never mistakes an unsupported filter for an empty result.
 */
import { invalidArgument } from "./errors";

/** One comparison of a filter. */
export interface FilterTerm {
    negated: boolean;
    field: string;
    operator: "=" | "!=" | ":";
    value: string;
}

/** How the filter may be used on one kind of resource. */
export interface FilterRules {
    /** Whether a field name may be filtered on (for example `labels.env` or `state`). */
    supports(field: string): boolean;
    /** The supported fields, in words, for the error message. */
    description: string;
    /** Fields whose `:` test means "contains" (free text); elsewhere `:` means equality. */
    containsFields?: string[];
    /** Fields compared without regard to case (enum names such as `state`). */
    caseInsensitiveFields?: string[];
}

/** Reads a field of one resource; `undefined` means the field is absent. */
export type FieldReader = (field: string) => string | undefined;

const TERM = /^(-?)([A-Za-z_][A-Za-z0-9_.-]*)\s*(!=|=|:)\s*("(?:[^"\\]|\\.)*"|[^\s()"]+)/;

/** Parses `filter`; an empty filter gives no terms (everything matches). */
export function parseFilter(filter: string, rules: FilterRules): FilterTerm[] {
    const terms: FilterTerm[] = [];
    let rest = filter.trim();
    let negateNext = false;
    while (rest.length > 0) {
        const keyword = /^(AND|OR|NOT)(\s+|$)/.exec(rest);
        if (keyword) {
            if (keyword[1] === "OR") throw unsupported("OR is not supported; use separate calls");
            if (keyword[1] === "NOT") negateNext = !negateNext;
            rest = rest.slice(keyword[0].length).trimStart();
            continue;
        }
        const match = TERM.exec(rest);
        if (!match) throw unsupported(`cannot parse ${JSON.stringify(rest)}`);
        const [whole, minus, field, operator, rawValue] = match;
        if (!rules.supports(field)) {
            const name = JSON.stringify(field);
            throw unsupported(`field ${name} is not supported (${rules.description})`);
        }
        terms.push({
            negated: negateNext !== (minus === "-"),
            field,
            operator: operator as FilterTerm["operator"],
            value: rawValue.startsWith('"') ? JSON.parse(rawValue) : rawValue,
        });
        negateNext = false;
        rest = rest.slice(whole.length).trimStart();
    }
    if (negateNext) throw unsupported("NOT must be followed by a term");
    return terms;
}

/** Whether a resource, seen through `read`, satisfies every term. */
export function matchesFilter(terms: FilterTerm[], read: FieldReader, rules: FilterRules): boolean {
    return terms.every((term) => matchesTerm(term, read, rules) !== term.negated);
}

function matchesTerm(term: FilterTerm, read: FieldReader, rules: FilterRules): boolean {
    let actual = read(term.field);
    let wanted = term.value;
    if (term.operator === ":" && wanted === "*") return actual !== undefined;
    if (actual === undefined) return term.operator === "!=";
    if (rules.caseInsensitiveFields?.includes(term.field)) {
        actual = actual.toUpperCase();
        wanted = wanted.toUpperCase();
    }
    switch (term.operator) {
        case "=":
            return actual === wanted;
        case "!=":
            return actual !== wanted;
        case ":":
            return rules.containsFields?.includes(term.field)
                ? actual.includes(wanted)
                : actual === wanted;
    }
}

function unsupported(problem: string) {
    return invalidArgument(
        "filter",
        `${problem} (the emulator supports field=value, ` +
            "field!=value, field:value, field:* joined by AND, each optionally negated with NOT)",
    );
}
