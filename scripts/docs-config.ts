/**
 * Writes the configuration reference into README.md (between the config-reference markers) from
 * the code: the stack keys the program reads (components/stack/config.ts, Pulumi.yaml), the
 * components' argument interfaces and their doc comments, and the function's environment
 * variables. `npm run docs:config`; test/docs/config-reference.test.ts fails when they differ.
 *
 * The sources are parsed with the TypeScript compiler API rather than imported, so that the
 * reference shows what a reader of the source sees: doc comments, and types as written. Only the
 * function's `readConfig` runs, on an empty environment, to tell which variables are required.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";
import * as ts from "typescript";
import { ConfigError, readConfig } from "../functions/rotator/config";

const ROOT = join(__dirname, "..");

/** The markers of the generated region in README.md. */
export const START = "<!-- config-reference:start -->";
export const END = "<!-- config-reference:end -->";

/** The documented argument interfaces, in reading order, and the file of each. */
export const ARG_INTERFACES: ReadonlyArray<[name: string, file: string]> = [
    ["FleetArgs", "components/fleet/args.ts"],
    ["SlackArgs", "components/fleet/args.ts"],
    ["BotArgs", "components/bot/args.ts"],
    ["BotSecretArgs", "components/bot/args.ts"],
    ["HealthCheckArgs", "components/bot/args.ts"],
];

/**
 * `FleetArgs` fields the stack configuration does not set, and where the program takes them
 * from instead. Any other field must be a `keywarden:` key (the test checks both ways).
 */
export const NOT_STACK_KEYS: Readonly<Record<string, string>> = {
    project: "`gcp:project`",
    apiKeyProjects: "the projects of the bots' `google-api-key` rotators",
};

/**
 * One documented field (an argument or a stack key): `default` is the default, or how it is
 * required ("required", "required with ..."); `description` is the rest of its doc comment.
 */
export interface FieldDoc {
    name: string;
    type: string;
    optional: boolean;
    default?: string;
    description: string;
}

/** An interface: its own doc comment and its fields. */
export interface InterfaceDoc {
    name: string;
    doc: string;
    fields: FieldDoc[];
}

function parse(file: string, root = ROOT): ts.SourceFile {
    const text = readFileSync(join(root, file), "utf8");
    return ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
}

function docOf(node: ts.Node): string {
    return ts
        .getJSDocCommentsAndTags(node)
        .filter(ts.isJSDoc)
        .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? "")
        .join("\n")
        .trim();
}

/** A sentence of `text` that starts with `lead` (up to a period before a capital, or the end). */
function sentence(text: string, lead: string): RegExpExecArray | null {
    return new RegExp(`(^|\\s)(${lead}[^]*?)\\.(?=\\s+[A-Z\`"(<]|\\s*$)`).exec(text);
}

/**
 * Splits a doc comment into its default ("Default: X." or, in Pulumi.yaml, "Default X."), or
 * its "Required..." sentence, and the rest of the description.
 */
export function splitDoc(text: string): { default?: string; description: string } {
    const flat = text
        .replace(/\n\s*-\s+/g, " <br>- ")
        .replace(/\s+/g, " ")
        .trim();
    const found = sentence(flat, "Default:?\\s") ?? sentence(flat, "Required\\b");
    if (!found) return { description: flat };
    const cut = `${found[1]}${found[2]}.`;
    const rest = flat
        .replace(cut, found[1] === "" ? "" : " ")
        .replace(/\s+/g, " ")
        .trim();
    const value = found[2].startsWith("Default")
        ? found[2].replace(/^Default:?\s+/, "")
        : found[2].charAt(0).toLowerCase() + found[2].slice(1);
    return { default: value, description: rest };
}

/** Reads interface `name` of a parsed source file: its doc and every property's. */
export function readInterface(source: ts.SourceFile, name: string): InterfaceDoc {
    const node = source.statements.find(
        (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name,
    );
    if (!node) throw new Error(`${source.fileName} declares no interface ${name}`);
    const aliases = new Map(
        source.statements
            .filter(ts.isTypeAliasDeclaration)
            .map((alias) => [alias.name.text, alias.type.getText(source)]),
    );
    const fields = node.members.filter(ts.isPropertySignature).map((member) => {
        const written = member.type?.getText(source) ?? "unknown";
        return {
            name: member.name.getText(source),
            type: aliases.get(written) ?? written.replace(/\s+/g, " "),
            optional: member.questionToken !== undefined,
            ...splitDoc(docOf(member)),
        };
    });
    return { name, doc: docOf(node).replace(/\s+/g, " "), fields };
}

/** Every documented argument interface of the components. */
export function argInterfaces(root = ROOT): InterfaceDoc[] {
    return ARG_INTERFACES.map(([name, file]) => readInterface(parse(file, root), name));
}

/** What the first constant or property called `name` in `source` is set to. */
function valueOf(source: ts.SourceFile, name: string): ts.Expression | undefined {
    let found: ts.Expression | undefined;
    source.forEachChild(function visit(node): void {
        if (
            (ts.isVariableDeclaration(node) || ts.isPropertyAssignment(node)) &&
            node.name.getText(source) === name
        ) {
            found ??= node.initializer;
        }
        node.forEachChild(visit);
    });
    return found && ts.isAsExpression(found) ? found.expression : found;
}

/** Property names of the object literal `constName` is set to, or of its `fields` shape. */
function literalKeys(source: ts.SourceFile, constName: string): string[] {
    let literal = valueOf(source, constName);
    if (!literal || !ts.isObjectLiteralExpression(literal)) {
        throw new Error(`${source.fileName}: ${constName} is not an object literal`);
    }
    const fields = literal.properties.find((p) => p.name?.getText(source) === "fields");
    if (fields && ts.isPropertyAssignment(fields)) literal = fields.initializer;
    return (literal as ts.ObjectLiteralExpression).properties.map((p) => p.name!.getText(source));
}

/**
 * The fields a structured stack key accepts: `CONFIG_KEYS` itself, or the shapes `SLACK`,
 * `BOT`, `SECRET` and `HEALTH_CHECK` of components/stack/config.ts.
 */
export function stackShape(constName: string, root = ROOT): string[] {
    return literalKeys(parse("components/stack/config.ts", root), constName);
}

type YamlKey = { type: string; description: string };

/** The `config:` entries Pulumi.yaml declares, with their type and description. */
export function pulumiYamlKeys(root = ROOT): Record<string, YamlKey> {
    const yaml = load(readFileSync(join(root, "Pulumi.yaml"), "utf8")) as { config?: object };
    return (yaml.config ?? {}) as Record<string, YamlKey>;
}

/** The stack keys the program reads, each documented from Pulumi.yaml or the fleet's args. */
export function stackKeys(root = ROOT): FieldDoc[] {
    const declared = pulumiYamlKeys(root);
    const fleet = readInterface(parse("components/fleet/args.ts", root), "FleetArgs");
    const read = stackShape("CONFIG_KEYS", root);
    const stray = Object.keys(declared).filter((key) => !read.includes(key));
    if (stray.length > 0) {
        throw new Error(
            `Pulumi.yaml declares ${stray.join(", ")}, which the stack program ` +
                "refuses: remove them from Pulumi.yaml or add them to CONFIG_KEYS",
        );
    }
    return read.map((key): FieldDoc => {
        const entry = declared[key];
        if (entry) {
            return { name: key, type: entry.type, optional: true, ...splitDoc(entry.description) };
        }
        const arg = fleet.fields.find((field) => field.name === key);
        if (arg) return { ...arg, type: `object: ${arg.type}` };
        if (key === "bots") {
            return {
                name: key,
                type: "list of BotArgs",
                optional: true,
                default: "none",
                description:
                    "The fleet's bots. Each entry takes the arguments of `BotArgs`, " +
                    "with `name` for `botName` and without `fleet` (the stack's own fleet).",
            };
        }
        throw new Error(
            `keywarden:${key} is read by the stack program but documented nowhere: ` +
                "declare it in Pulumi.yaml with a description",
        );
    });
}

/** One of the function's environment variables. */
export interface EnvDoc {
    name: string;
    required: boolean;
    setByFleet: boolean;
    description: string;
}

const FUNCTION_FILE = "components/fleet/function.ts";

/** The variables the fleet sets on the function (components/fleet/function.ts). */
export function fleetSetVariables(root = ROOT): string[] {
    return literalKeys(parse(FUNCTION_FILE, root), "environmentVariables");
}

/** The comment above a variable the fleet sets, and the value when it is a plain string. */
function fleetComment(name: string, root: string): string | undefined {
    const source = parse(FUNCTION_FILE, root);
    const literal = valueOf(source, "environmentVariables") as ts.ObjectLiteralExpression;
    const set = literal.properties.find((p) => p.name?.getText(source) === name);
    if (!set || !ts.isPropertyAssignment(set)) return undefined;
    const comment = (ts.getLeadingCommentRanges(source.text, set.getFullStart()) ?? [])
        .map((range) => source.text.slice(range.pos, range.end).replace(/^\/\/\s?/, ""))
        .join(" ")
        .trim();
    if (comment === "") return undefined;
    const value = ts.isStringLiteral(set.initializer) ? set.initializer.text : undefined;
    return value === undefined ? comment : `${comment} The fleet sets \`${value}\`.`;
}

/**
 * Variables the function reads outside config.ts, each with the file whose doc comments
 * describe it and, for NODE_OPTIONS, the constant holding the value the fleet sets.
 */
const OTHER_VARIABLES: ReadonlyArray<{ name: string; file: string; value?: string }> = [
    { name: "SECRET_MANAGER_EMULATOR_HOST", file: "functions/rotator/secret-manager-client.ts" },
    {
        name: "NODE_OPTIONS",
        file: "functions/rotator/node-options.ts",
        value: "FUNCTION_NODE_OPTIONS",
    },
];

/** The function's environment variables: config.ts's, then the emulator's and NODE_OPTIONS. */
export function envVariables(root = ROOT): EnvDoc[] {
    const setByFleet = fleetSetVariables(root);
    let missing = "";
    try {
        readConfig({});
    } catch (error) {
        if (error instanceof ConfigError) missing = error.message;
    }
    const config = readInterface(parse("functions/rotator/config.ts", root), "RotatorConfig");
    const docs = config.fields.map((field) => {
        const text = [field.description, field.default && `Default: ${field.default}.`]
            .filter(Boolean)
            .join(" ");
        const name = /`([A-Z][A-Z0-9_]+)[`=]/.exec(text)?.[1];
        if (!name) throw new Error(`RotatorConfig.${field.name}'s doc names no variable`);
        // The variable is in its own column: drop "(`NAME`)" and "`NAME`, " from the sentence.
        const description = text.replace(` (\`${name}\`)`, "").replace(`\`${name}\`, `, "");
        return { name, description };
    });
    for (const other of OTHER_VARIABLES) {
        const literal = other.value && valueOf(parse(other.file, root), other.value);
        const value = literal && ts.isStringLiteral(literal) ? literal.text : undefined;
        docs.push({
            name: other.name,
            description:
                paragraphNaming(other.file, other.name, root) +
                (value ? ` The fleet sets \`${value}\`.` : ""),
        });
    }
    // Anything else the fleet sets is described by the comment above it in function.ts.
    for (const name of setByFleet.filter((set) => !docs.some((doc) => doc.name === set))) {
        const description = fleetComment(name, root);
        if (!description) {
            throw new Error(`${FUNCTION_FILE} sets ${name} without a comment saying why: add one`);
        }
        docs.push({ name, description });
    }
    return docs.map(({ name, description }) => ({
        name,
        description,
        required: new RegExp(`\\b${name}\\b`).test(missing),
        setByFleet: setByFleet.includes(name),
    }));
}

/** The first paragraph of a doc comment in `file` that names `variable`. */
function paragraphNaming(file: string, variable: string, root: string): string {
    const text = readFileSync(join(root, file), "utf8");
    for (const comment of text.match(/\/\*\*[^]*?\*\//g) ?? []) {
        const body = comment.replace(/^\/\*\*|\*\/$/g, "").replace(/^\s*\* ?/gm, "");
        const paragraph = body.split(/\n\s*\n/).find((part) => part.includes(variable));
        if (paragraph) return paragraph.replace(/\s+/g, " ").trim();
    }
    throw new Error(`${file} has no doc comment naming ${variable}`);
}

function cell(text: string): string {
    return text.replace(/\|/g, "\\|");
}

function code(type: string): string {
    const linked = ARG_INTERFACES.map(([name]) => name).find((name) =>
        new RegExp(`\\b${name}\\b`).test(type),
    );
    const text = `\`${cell(type)}\``;
    return linked ? `[${text}](#${linked.toLowerCase()})` : text;
}

function table(headers: string[], rows: string[][]): string[] {
    return [
        `| ${headers.join(" | ")} |`,
        `|${"---|".repeat(headers.length)}`,
        ...rows.map((row) => `| ${row.join(" | ")} |`),
    ];
}

function fieldRows(fields: FieldDoc[], prefix = ""): string[][] {
    return fields.map((field) => [
        `\`${prefix}${field.name}\``,
        code(field.type),
        cell(field.default ?? "-"),
        cell(field.description),
    ]);
}

/** The generated Markdown that goes between the markers. */
export function configReference(root = ROOT): string {
    const noKey = Object.entries(NOT_STACK_KEYS).map(([arg, from]) => `\`${arg}\` is ${from}`);
    const lines = [
        "<!-- Generated by `npm run docs:config` from Pulumi.yaml, components/stack/config.ts, " +
            "the components' args.ts and functions/rotator/config.ts: edit those, not this. -->",
        "",
        "### Stack configuration",
        "",
        "Keys of `Pulumi.<stack>.yaml` in the `keywarden` namespace. Each but `bots` is the " +
            "[`FleetArgs`](#fleetargs) argument of the same name. Two fleet arguments have no " +
            `key: ${noKey.join(", and ")}. \`gcp:region\` is the default of ` +
            "`keywarden:region`.",
        "",
        ...table(
            ["key", "type", "default", "description"],
            fieldRows(stackKeys(root), "keywarden:"),
        ),
    ];
    for (const spec of argInterfaces(root)) {
        lines.push(
            "",
            `### \`${spec.name}\``,
            "",
            spec.doc,
            "",
            ...table(["argument", "type", "default", "description"], fieldRows(spec.fields)),
        );
    }
    lines.push(
        "",
        "### Function environment",
        "",
        "Read by the rotation function when an instance starts; a missing or malformed value " +
            "stops it with a message naming the variable.",
        "",
        ...table(
            ["variable", "required", "set by the fleet", "description"],
            envVariables(root).map((env) => [
                `\`${env.name}\``,
                env.required ? "yes" : "no",
                env.setByFleet ? "yes" : "no",
                cell(env.description),
            ]),
        ),
    );
    return lines.join("\n");
}

/** `readme` with the text between the markers replaced by `inner`; nothing else changes. */
export function replaceRegion(readme: string, inner: string): string {
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    if (
        start < 0 ||
        end < 0 ||
        end < start ||
        readme.indexOf(START, start + 1) >= 0 ||
        readme.indexOf(END, end + 1) >= 0
    ) {
        throw new Error(
            `README.md must hold exactly one ${START} followed by one ${END}: ` +
                'restore the two markers under "## Configuration reference"',
        );
    }
    return `${readme.slice(0, start + START.length)}\n${inner}\n${readme.slice(end)}`;
}

if (require.main === module) {
    const file = join(ROOT, "README.md");
    writeFileSync(file, replaceRegion(readFileSync(file, "utf8"), configReference()));
}
