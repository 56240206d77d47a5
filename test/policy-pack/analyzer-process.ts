/**
 * The policy pack run as the Pulumi CLI runs it: its own Node.js process started through
 * `@pulumi/pulumi`'s policy-pack runner (TypeScript compiled by the runner, the pack's own
 * package.json and tsconfig.json), serving the analyzer gRPC protocol on 127.0.0.1. The test
 * plays the engine's part: it reads the port the pack prints, then configures it and sends
 * resources to analyze, as `pulumi preview --policy-pack` does.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as rpc from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { TestResource, urnOf } from "./support";

/** The pack's folder. */
export const PACK_DIR = path.resolve(__dirname, "..", "..", "policy-pack");

/** How long the runner may take to compile the pack and print its port. */
const START_TIMEOUT_MS = 25_000;

/** A diagnostic as the engine receives it. */
export interface Diagnostic {
    policyName: string;
    message: string;
    urn: string;
    mandatory: boolean;
}

/** A running pack and a client connected to it. */
export class PackProcess {
    private constructor(
        private readonly child: ChildProcess,
        private readonly client: AnalyzerClient,
        /** Everything the pack wrote to stderr, for failure messages. */
        readonly stderr: () => string,
    ) {}

    /** Starts the pack in `dir` and connects once it prints its port. */
    static async start(dir = PACK_DIR): Promise<PackProcess> {
        const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
        // The runner's first argument is the engine's address, which the pack never calls.
        const child = spawn(process.execPath, [runner, "127.0.0.1:1", "."], {
            cwd: dir,
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stderr = "";
        child.stderr!.on("data", (chunk) => (stderr += chunk));
        const port = await new Promise<number>((resolve, reject) => {
            let stdout = "";
            const timer = setTimeout(
                () => fail(new Error("no port within the timeout")),
                START_TIMEOUT_MS,
            );
            const fail = (error: Error) => {
                clearTimeout(timer);
                child.kill("SIGKILL");
                reject(new Error(`the policy pack did not start: ${error.message}\n${stderr}`));
            };
            child.on("exit", (code) => fail(new Error(`it exited with status ${code}`)));
            child.stdout!.on("data", (chunk) => {
                stdout += chunk;
                const match = /^(\d+)\s*$/m.exec(stdout);
                if (match) {
                    clearTimeout(timer);
                    child.removeAllListeners("exit");
                    resolve(Number(match[1]));
                }
            });
        });
        const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        return new PackProcess(child, client, () => stderr);
    }

    /** The pack's self-description: its policies and their configuration schemas. */
    info(): Promise<rpc.AnalyzerInfo> {
        return new Promise((resolve, reject) =>
            this.client.getAnalyzerInfo(new Empty(), (error, response) =>
                error ? reject(error) : resolve(response),
            ),
        );
    }

    /** Sends the policy configuration, as `--policy-pack-config` does; replaces any earlier. */
    configure(config: Record<string, Record<string, string>>): Promise<void> {
        const request = new rpc.ConfigureAnalyzerRequest();
        for (const [policy, properties] of Object.entries(config)) {
            const entry = new rpc.PolicyConfig();
            entry.setEnforcementlevel(rpc.EnforcementLevel.MANDATORY);
            entry.setProperties(Struct.fromJavaScript(properties));
            request.getPolicyconfigMap().set(policy, entry);
        }
        return new Promise((resolve, reject) =>
            this.client.configure(request, (error) => (error ? reject(error) : resolve())),
        );
    }

    /** Analyzes one resource, as the engine does before creating or updating it. */
    analyze(resource: TestResource): Promise<Diagnostic[]> {
        const request = new rpc.AnalyzeRequest();
        request.setType(resource.type);
        request.setName(resource.name);
        request.setUrn(urnOf(resource));
        request.setProperties(Struct.fromJavaScript(resource.props));
        request.setOptions(new rpc.AnalyzerResourceOptions());
        return new Promise((resolve, reject) =>
            this.client.analyze(request, (error, response) =>
                error ? reject(error) : resolve(diagnostics(response)),
            ),
        );
    }

    /** Analyzes the whole stack, as the engine does once every resource is known. */
    analyzeStack(resources: TestResource[]): Promise<Diagnostic[]> {
        const request = new rpc.AnalyzeStackRequest();
        request.setResourcesList(
            resources.map((resource) => {
                const entry = new rpc.AnalyzerResource();
                entry.setType(resource.type);
                entry.setName(resource.name);
                entry.setUrn(urnOf(resource));
                entry.setProperties(Struct.fromJavaScript(resource.props));
                entry.setOptions(new rpc.AnalyzerResourceOptions());
                return entry;
            }),
        );
        return new Promise((resolve, reject) =>
            this.client.analyzeStack(request, (error, response) =>
                error ? reject(error) : resolve(diagnostics(response)),
            ),
        );
    }

    /** Closes the connection and stops the pack; resolves once the process has exited. */
    async stop(): Promise<void> {
        this.client.close();
        if (this.child.exitCode !== null || this.child.signalCode !== null) return;
        const exited = new Promise((resolve) => this.child.once("exit", resolve));
        this.child.kill("SIGTERM");
        await exited;
    }
}

function diagnostics(response: rpc.AnalyzeResponse): Diagnostic[] {
    return response.getDiagnosticsList().map((diagnostic) => ({
        policyName: diagnostic.getPolicyname(),
        message: diagnostic.getMessage(),
        urn: diagnostic.getUrn(),
        mandatory: diagnostic.getEnforcementlevel() === rpc.EnforcementLevel.MANDATORY,
    }));
}
