/**
 * Guarantees of ListSecrets and ListSecretVersions in the emulator: label filters, ordering,
 * pagination and the inline metadata the rotator's reconcile tick relies on.
 */
import { strict as assert } from "assert";
import { status } from "@grpc/grpc-js";
import {
    type EmulatorSession,
    expectRpcError,
    startEmulatorSession,
} from "../../standins/secret-manager/test-session";

describe("Secret Manager emulator: listing", () => {
    let session: EmulatorSession;
    before(async () => {
        session = await startEmulatorSession();
    });
    beforeEach(async () => {
        session.reset();
        await session.createSecret("weather", { labels: { managed: "true", bot: "weather" } });
        await session.createSecret("weather-state", {
            labels: { managed: "true", role: "state" },
            annotations: { "key-id.1": "abc" },
        });
        await session.createSecret("stock", { labels: { managed: "false", bot: "stock" } });
        await session.createSecret("unlabelled");
    });
    after(() => session.close());

    async function namesFor(filter: string): Promise<string[]> {
        const [secrets] = await session.client.listSecrets({ parent: session.project, filter });
        return secrets.map((secret) => String(secret.name).split("/").pop() ?? "");
    }

    it("lists every secret of the project newest first, with total_size", async () => {
        const [secrets, , response] = await session.client.listSecrets(
            { parent: session.project },
            { autoPaginate: false },
        );
        assert.deepEqual(
            secrets.map((s) => s.name?.split("/").pop()),
            ["unlabelled", "stock", "weather-state", "weather"],
        );
        assert.equal(response?.totalSize, 4);
        const [other] = await session.client.listSecrets({ parent: "projects/elsewhere" });
        assert.deepEqual(other, []);
    });

    it("filters on label values, label presence, and several terms", async () => {
        assert.deepEqual(await namesFor("labels.managed=true"), ["weather-state", "weather"]);
        assert.deepEqual(await namesFor("labels.bot:*"), ["stock", "weather"]);
        assert.deepEqual(await namesFor("labels.managed=true AND labels.bot:*"), ["weather"]);
        assert.deepEqual(await namesFor("labels.managed=true labels.role=state"), [
            "weather-state",
        ]);
        assert.deepEqual(await namesFor("labels.managed:true NOT labels.role:*"), ["weather"]);
        assert.deepEqual(await namesFor('labels.bot="stock"'), ["stock"]);
        assert.deepEqual(await namesFor("labels.managed = false"), ["stock"]);
        assert.deepEqual(await namesFor("name:weather"), ["weather-state", "weather"]);
    });

    it("returns annotations, aliases and etags inline; total_size 0 with a filter", async () => {
        const [secrets, , response] = await session.client.listSecrets(
            { parent: session.project, filter: "labels.role=state" },
            { autoPaginate: false },
        );
        assert.deepEqual(secrets[0].annotations, { "key-id.1": "abc" });
        assert.deepEqual(secrets[0].versionAliases, {});
        assert.match(String(secrets[0].etag), /^"[0-9a-f]+"$/);
        assert.equal(response?.totalSize, 0);
    });

    it("rejects a filter it cannot evaluate instead of ignoring it", async () => {
        for (const filter of ["labels.a=b OR labels.c=d", "(labels.a=b)", "create_time>1"]) {
            await expectRpcError(
                session.client.listSecrets({ parent: session.project, filter }),
                status.INVALID_ARGUMENT,
                /^filter:/,
            );
        }
    });

    it("pages with page_size and page_token without repeating or skipping secrets", async () => {
        const seen: string[] = [];
        let pageToken = "";
        let pages = 0;
        do {
            const [secrets, , response] = await session.client.listSecrets(
                { parent: session.project, pageSize: 3, pageToken },
                { autoPaginate: false },
            );
            assert.ok(secrets.length <= 3);
            seen.push(...secrets.map((s) => String(s.name)));
            pageToken = response?.nextPageToken ?? "";
            pages += 1;
            if (pages === 1) {
                // A secret created between two pages lands before the cursor, not in page two.
                await session.createSecret("created-meanwhile");
            }
        } while (pageToken);
        assert.equal(pages, 2);
        assert.equal(seen.length, 4);
        assert.equal(new Set(seen).size, 4);
    });

    it("lets the client's async iteration collect every page", async () => {
        const names: string[] = [];
        const pages = session.client.listSecretsAsync(
            { parent: session.project, pageSize: 1 },
            { autoPaginate: false },
        );
        for await (const secret of pages) names.push(String(secret.name));
        assert.equal(names.length, 4);
        assert.equal(session.emulator.calls.count("ListSecrets"), 4);
    });

    it("refuses a page token from another filter, and a made-up one", async () => {
        const [, , response] = await session.client.listSecrets(
            { parent: session.project, pageSize: 1 },
            { autoPaginate: false },
        );
        await expectRpcError(
            session.client.listSecrets(
                {
                    parent: session.project,
                    pageSize: 1,
                    filter: "labels.bot:*",
                    pageToken: response?.nextPageToken,
                },
                { autoPaginate: false },
            ),
            status.INVALID_ARGUMENT,
            /page_token/,
        );
        await expectRpcError(
            session.client.listSecrets(
                { parent: session.project, pageToken: "not-a-token" },
                { autoPaginate: false },
            ),
            status.INVALID_ARGUMENT,
            /page_token/,
        );
    });

    it("lists versions newest first, filtered by state", async () => {
        const name = `${session.project}/secrets/weather`;
        for (const key of ["k1", "k2", "k3"]) await session.addVersion(name, key);
        await session.client.disableSecretVersion({ name: `${name}/versions/2` });
        const [all] = await session.client.listSecretVersions({ parent: name });
        assert.deepEqual(
            all.map((v) => v.name?.split("/").pop()),
            ["3", "2", "1"],
        );
        const [enabled] = await session.client.listSecretVersions({
            parent: name,
            filter: "state:ENABLED",
        });
        assert.deepEqual(
            enabled.map((v) => v.name?.split("/").pop()),
            ["3", "1"],
        );
        const [notEnabled] = await session.client.listSecretVersions({
            parent: name,
            filter: "NOT state=enabled",
        });
        assert.deepEqual(
            notEnabled.map((v) => v.state),
            ["DISABLED"],
        );
        const [page, , response] = await session.client.listSecretVersions(
            { parent: name, pageSize: 2 },
            { autoPaginate: false },
        );
        assert.equal(page.length, 2);
        assert.ok(response?.nextPageToken);
        await expectRpcError(
            session.client.listSecretVersions({ parent: `${session.project}/secrets/none` }),
            status.NOT_FOUND,
        );
    });
});
