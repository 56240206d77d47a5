/**
 * `npm run plan -- --stack <name>`: what `pulumi up` would create for a stack, planned offline.
 *
 * Exit status: 0 with the plan; 1 when the stack program refuses the configuration (the same
 * messages as `pulumi up`); 2 when the command itself is misused (unknown option, no such
 * stack file).
 */
import { PlanUsageError } from "./stack-file";

const USAGE = `Usage: npm run plan -- --stack <name> [--json | --markdown | --mermaid] [--dir <dir>]

  --stack <name>  plan Pulumi.<name>.yaml (required)
  --json          print the plan as one JSON document, for machines
  --markdown      print it as Markdown, for a pull-request comment (with the diagram)
  --mermaid       print only the Mermaid diagram of the stack
  --dir <dir>     directory holding Pulumi.yaml and the stack files (default: the current one)`;

/** The parsed command line. */
export interface PlanCommand {
    stack: string;
    dir: string;
    format: "text" | "json" | "markdown" | "mermaid";
}

/** Parses the arguments after `npm run plan --`; throws `PlanUsageError` on misuse. */
export function parseArgs(args: string[], cwd: string): PlanCommand {
    let stack: string | undefined;
    let dir = cwd;
    const formats: PlanCommand["format"][] = [];
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        const value = () => {
            const next = args[++i];
            if (next === undefined || next.startsWith("--")) {
                throw new PlanUsageError(`${arg} needs a value`);
            }
            return next;
        };
        if (arg === "--stack") stack = value();
        else if (arg === "--dir") dir = value();
        else if (arg === "--json" || arg === "--markdown" || arg === "--mermaid") {
            formats.push(arg.slice(2) as PlanCommand["format"]);
        } else if (arg === "--help" || arg === "-h") throw new PlanUsageError("");
        else throw new PlanUsageError(`unknown option ${arg}`);
    }
    if (stack === undefined) throw new PlanUsageError("--stack is required");
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
        throw new PlanUsageError(
            `--stack "${stack}" is not a stack name (letters, digits, ` + "'-', '_' and '.')",
        );
    }
    if (formats.length > 1) {
        throw new PlanUsageError(`choose one of ${formats.map((f) => `--${f}`).join(", ")}`);
    }
    return { stack, dir, format: formats[0] ?? "text" };
}

/** Runs the command; resolves to the exit status. */
export async function main(args: string[]): Promise<number> {
    let command: PlanCommand;
    try {
        command = parseArgs(args, process.cwd());
    } catch (error) {
        return usageFailure(error);
    }
    // Loaded only now: a misused command answers without loading Pulumi's runtime.
    const { planOffline } = await import("./plan");
    const { renderMarkdown, renderText } = await import("./render");
    const { PlanFailedError } = await import("./run");
    const { RunError } = await import("@pulumi/pulumi");
    try {
        const plan = await planOffline(command.dir, command.stack);
        const output =
            command.format === "json"
                ? JSON.stringify(plan, null, 2)
                : command.format === "markdown"
                  ? renderMarkdown(plan)
                  : command.format === "mermaid"
                    ? plan.mermaid
                    : renderText(plan);
        process.stdout.write(`${output}\n`);
        return 0;
    } catch (error) {
        if (error instanceof PlanUsageError) return usageFailure(error);
        if (!(error instanceof PlanFailedError)) throw error;
        const cause = error.programError;
        // The configuration's problems are the message itself, as `pulumi up` prints them; any
        // other failure is a bug, whose stack helps.
        const expected =
            RunError.isInstance(cause as unknown) || cause.message.startsWith("keywarden");
        process.stderr.write(
            `error: ${expected ? cause.message : (cause.stack ?? cause.message)}\n`,
        );
        process.stderr.write(`The plan of stack ${command.stack} failed as \`pulumi up\` would.\n`);
        return 1;
    }
}

function usageFailure(error: unknown): number {
    if (!(error instanceof PlanUsageError)) throw error;
    if (error.message !== "") process.stderr.write(`error: ${error.message}\n\n`);
    process.stderr.write(`${USAGE}\n`);
    return 2;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (status) => {
            process.exitCode = status;
        },
        (error) => {
            process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
            process.exitCode = 1;
        },
    );
}
