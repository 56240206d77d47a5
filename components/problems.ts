/**
 * How keywarden reports bad arguments and bad stack configuration: every problem found, in one
 * error, before any resource is declared, each problem naming the argument or configuration key
 * and saying what to do about it.
 */
import * as pulumi from "@pulumi/pulumi";

/**
 * Bad input found before any resource was declared. It extends `pulumi.RunError` so that the
 * Pulumi CLI prints the message alone, without a stack trace of the program.
 */
export class KeywardenConfigError extends pulumi.RunError {
    /**
     * @param subject what was checked, e.g. `the arguments of Bot "weather-bot"`
     * @param problems one sentence per problem, each starting with the argument or key it names
     */
    constructor(
        readonly subject: string,
        readonly problems: readonly string[],
    ) {
        super(describeProblems(subject, problems));
        this.name = "KeywardenConfigError";
    }
}

/** The message of a `KeywardenConfigError`: a count, then one bulleted line per problem. */
export function describeProblems(subject: string, problems: readonly string[]): string {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    return (
        `keywarden found ${count} in ${subject}; nothing was declared:\n` +
        problems.map((problem) => `  - ${problem}`).join("\n")
    );
}

/** Throws a `KeywardenConfigError` when `problems` is not empty. */
export function throwIfProblems(subject: string, problems: readonly string[]): void {
    if (problems.length > 0) throw new KeywardenConfigError(subject, problems);
}

/**
 * Collects problems under an argument path: `at("secrets.api").add("gracePeriod ...")` records
 * "secrets.api.gracePeriod ...". Paths join with a dot, or directly before a `[index]`.
 */
export class Problems {
    constructor(
        private readonly list: string[] = [],
        private readonly prefix = "",
    ) {}

    /** Records one problem; `text` starts with the field name relative to this path. */
    add(text: string): void {
        this.list.push(join(this.prefix, text));
    }

    /** A view that records problems under `path` (relative to this one). */
    at(path: string): Problems {
        return new Problems(this.list, join(this.prefix, path));
    }

    /** Every problem recorded so far, through any view. */
    get all(): readonly string[] {
        return this.list;
    }
}

function join(prefix: string, text: string): string {
    if (prefix === "") return text;
    return text.startsWith("[") ? `${prefix}${text}` : `${prefix}.${text}`;
}
