/**
 * Loads the Secret Manager service definition from the `.proto` files that ship with the
 * official client, so the emulator speaks exactly the wire format that client version uses.
 *
 * The client package holds `google/cloud/secretmanager/v1` and `google/iam/v1`; the common
 * imports (`google/api`, `google/protobuf`, `google/rpc`) come from google-gax, the client's
 * own transport library, found from the client's location so both use the same copy.
 */
import * as path from "path";
import type { ServiceDefinition } from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

const SERVICE = "google.cloud.secretmanager.v1.SecretManagerService";

let cached: ServiceDefinition | undefined;

/** The directories the `.proto` imports resolve against. */
export function protoIncludeDirs(): string[] {
    const clientEntry = require.resolve("@google-cloud/secret-manager");
    const gaxEntry = require.resolve("google-gax", { paths: [path.dirname(clientEntry)] });
    // Both entries are `<package>/build/src/index.js`; the protos are in `<package>/build/protos`.
    return [clientEntry, gaxEntry].map((entry) => path.resolve(path.dirname(entry), "../protos"));
}

/**
 * The service definition for `grpc.Server.addService`. Messages decode with lowerCamelCase
 * fields, 64-bit integers as strings, enums as names, and absent fields left `undefined`
 * (`defaults: false`), which is how the handlers tell "not sent" from "sent empty".
 */
export function secretManagerServiceDefinition(): ServiceDefinition {
    if (cached) return cached;
    const definition = protoLoader.loadSync("google/cloud/secretmanager/v1/service.proto", {
        includeDirs: protoIncludeDirs(),
        keepCase: false,
        longs: String,
        enums: String,
        defaults: false,
        oneofs: true,
    });
    cached = definition[SERVICE] as ServiceDefinition;
    if (!cached) throw new Error(`${SERVICE} is missing from the client's .proto files`);
    return cached;
}
