import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Digest } from "../../core/artifact/digest.ts";
import { openStore } from "../../core/store/open-store.ts";
import { webhookExample } from "../support/github/webhook-example.ts";
import { runAction } from "../support/run-action.ts";
import { startS3Server, type S3TestServer } from "../support/s3-server.ts";
import { actionWorkspace, type ActionWorkspace } from "./support/action-workspace.ts";
import { startCountingProxy } from "./support/counting-proxy.ts";

let s3: S3TestServer;
let proxy: Awaited<ReturnType<typeof startCountingProxy>>;
let ws: ActionWorkspace;
beforeAll(async () => {
  s3 = await startS3Server();
  proxy = await startCountingProxy(s3.endpoint);
  ws = await actionWorkspace("node-express");
});
afterAll(async () => {
  await proxy.stop();
  await s3.stop();
  await ws.remove();
});

describe("actions/build against S3, on a fresh runner with the lockfile unchanged", () => {
  it("uploads only the code layer (and the small manifest and index records), as counted on the wire", async () => {
    const env = {
      AWS_ENDPOINT_URL_S3: proxy.url,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    };
    const build = async (runner: string) => {
      const runnerTemp = join(ws.base, runner);
      await mkdir(runnerTemp);
      const first = proxy.requests.length;
      const run = await runAction({
        action: "build",
        inputs: { path: "app", store: `s3://${s3.bucket}/aether` },
        workspace: ws.workspace,
        runnerTemp,
        event: { name: "push", payload: webhookExample("push") },
        env,
      });
      expect(run.code, run.stdout).toBe(0);
      const blobs = proxy.requests
        .slice(first)
        .filter((r) => r.method === "PUT" && r.path.includes("/blobs/sha256/"))
        .map((r) => `sha256:${/blobs\/sha256\/([0-9a-f]{64})/.exec(r.path)?.[1] ?? ""}`);
      const manifest = await openStore(`s3://${s3.bucket}/aether`, { cwd: ws.workspace, env }).getManifest(
        run.outputs["digest"] as Digest,
      );
      return { blobs, manifest, digest: run.outputs["digest"] };
    };
    const cold = await build("runner-1");
    const layer = (m: typeof cold.manifest, role: string) => m.layers.find((l) => l.role === role)?.digest;
    expect(cold.blobs).toEqual([
      layer(cold.manifest, "deps"),
      layer(cold.manifest, "app"),
      cold.manifest.sbom?.digest,
      cold.digest,
    ]);

    await writeFile(join(ws.workspace, "app", "server.js"), "\n// one more line\n", { flag: "a" });
    const warm = await build("runner-2");
    expect(layer(warm.manifest, "deps")).toBe(layer(cold.manifest, "deps"));
    expect(warm.blobs).toEqual([layer(warm.manifest, "app"), warm.digest]);
  });
});
