/**
 * The built function as a deterministic archive. The bucket object is named after a hash of the
 * files (sorted relative paths and contents), so the same sources give the same object, and
 * therefore no change at all on `pulumi up`, while any change to a file gives a new object name,
 * which replaces the object and redeploys the function.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Problems } from "../problems";

/** Files every built function must have: the bundle and the manifest Cloud Build reads. */
export const REQUIRED_FILES = ["index.js", "package.json"];

/** Hex digits of the hash kept in the object name: 64 bits, ample against collisions. */
const NAME_HASH_LENGTH = 16;

/** The function's files, their hash, and the bucket object they become. */
export interface FunctionArchive {
    /** Absolute directory the files were read from. */
    dir: string;
    /** Paths relative to `dir`, with `/` separators, sorted. */
    files: string[];
    /** SHA-256 (hex) over every path and content, in order. */
    hash: string;
    /** Name of the bucket object: `rotator-<first 16 hex digits of hash>.zip`. */
    objectName: string;
}

/**
 * Reads and hashes the built function in `dir`. Records a problem (naming `functionDir`) and
 * returns undefined when the directory or one of the required files is missing.
 */
export function readFunctionArchive(dir: string, problems: Problems): FunctionArchive | undefined {
    const absolute = path.resolve(dir);
    if (!fs.existsSync(absolute) || !fs.statSync(absolute).isDirectory()) {
        problems.add(
            `functionDir "${dir}" is not a directory: run \`npm run build:function\` ` +
                "first, or pass the directory of the built function",
        );
        return undefined;
    }
    const files = listFiles(absolute);
    const missing = REQUIRED_FILES.filter((file) => !files.includes(file));
    if (missing.length > 0) {
        problems.add(
            `functionDir "${dir}" has no ${missing.join(" or ")}: run ` +
                "`npm run build:function` again, or pass the directory of the built function",
        );
        return undefined;
    }
    const hash = hashFiles(absolute, files);
    const objectName = `rotator-${hash.slice(0, NAME_HASH_LENGTH)}.zip`;
    return { dir: absolute, files, hash, objectName };
}

/**
 * SHA-256 over the files in order. Each path and content is preceded by its length, so that
 * moving bytes between a path and a content, or between two files, changes the hash.
 */
export function hashFiles(dir: string, files: readonly string[]): string {
    const hash = createHash("sha256");
    for (const file of files) {
        const content = fs.readFileSync(path.join(dir, ...file.split("/")));
        const name = Buffer.from(file, "utf8");
        hash.update(`${name.length}:`).update(name).update(`${content.length}:`).update(content);
    }
    return hash.digest("hex");
}

/** The archive Pulumi uploads: every file under its relative path. */
export function archiveAsset(archive: FunctionArchive): pulumi.asset.AssetArchive {
    const assets: Record<string, pulumi.asset.Asset> = {};
    for (const file of archive.files) {
        assets[file] = new pulumi.asset.FileAsset(path.join(archive.dir, ...file.split("/")));
    }
    return new pulumi.asset.AssetArchive(assets);
}

/** Every regular file under `root`, relative, with `/` separators, sorted by code point. */
function listFiles(root: string): string[] {
    const found: string[] = [];
    const walk = (relative: string) => {
        for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
            const child = relative === "" ? entry.name : `${relative}/${entry.name}`;
            if (entry.isDirectory()) walk(child);
            else if (entry.isFile()) found.push(child);
        }
    };
    walk("");
    // Plain code-point order: the same on every machine, whatever its locale.
    return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
