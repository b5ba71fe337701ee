import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleAction } from "../../scripts/build.ts";
import { webhookExample } from "../support/github/webhook-example.ts";
import { runAction } from "../support/run-action.ts";
import { startS3Server } from "../support/s3-server.ts";
import { useTempDirs } from "../support/temp-dirs.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const tempDir = useTempDirs("aether-action-build-");

async function workspaceWith(example: string) {
  const base = await tempDir();
  const workspace = join(base, "workspace");
  const runnerTemp = join(base, "runner-temp");
  await mkdir(runnerTemp, { recursive: true });
  await cp(join(ROOT, "examples", example), join(workspace, "app"), {
    recursive: true,
    filter: (src) => !src.includes("node_modules"),
  });
  return { base, workspace, runnerTemp };
}

describe("actions/build, run as the runner runs it", () => {
  it("builds, uploads, indexes by commit, and writes outputs and a job summary", async () => {
    const { base, workspace, runnerTemp } = await workspaceWith("node-express");
    const push = webhookExample("push");
    const store = `file://${join(base, "store")}`;
    const run = await runAction({
      action: "build",
      inputs: { path: "app", store },
      workspace,
      runnerTemp,
      event: { name: "push", payload: push },
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.outputs["digest"]).toMatch(/^sha256:[0-9a-f]{64}$/);
    const hex = run.outputs["digest"]!.slice(7);
    expect(run.outputs["manifest"]).toBe(`${store}/blobs/sha256/${hex}`);
    expect(run.summary).toContain("## ✅ Aether build");
    expect(run.summary).toMatch(/\| SBOM \| CycloneDX 1\.6 · \d+ components · `sha256:/);
    expect(run.summary).toMatch(/\| deps \| `sha256:.{9}` \| .* \| built \| uploaded \|/);
    // Indexed under the app's folder too, so each app of a monorepo has its own entry for the commit.
    const ref = JSON.parse(
      await readFile(
        join(base, "store", "refs", "codertocat", "hello-world", push["after"] as string, "app.json"),
        "utf8",
      ),
    ) as { digest: string; path: string; timings: unknown; bytes: { uploaded: number; reused: number } };
    expect(ref).toMatchObject({
      digest: run.outputs["digest"],
      path: "app",
      timings: { buildMs: expect.any(Number) as number, uploadMs: expect.any(Number) as number },
    });
    expect(ref.bytes.uploaded).toBeGreaterThan(0);
    expect(run.summary).toContain("| App | `app` |");

    // A later run on a fresh runner (empty RUNNER_TEMP) with the lockfile unchanged: only code is sent.
    await writeFile(join(workspace, "app", "server.js"), "\n// change\n", { flag: "a" });
    const freshTemp = join(base, "runner-temp-2");
    await mkdir(freshTemp);
    const warm = await runAction({
      action: "build",
      inputs: { path: "app", store },
      workspace,
      runnerTemp: freshTemp,
      event: { name: "push", payload: push },
    });
    expect(warm.code).toBe(0);
    expect(warm.summary).toMatch(/\| deps \| .* \| reused \(lockfile unchanged\) \| already stored \|/);
    expect(warm.summary).toMatch(/\| app \| .* \| built \| uploaded \|/);
    expect(warm.stdout).not.toContain("npm ci");
  });

  it("uploads to an S3 store given by URL, with credentials from the AWS_* variables", async () => {
    const s3 = await startS3Server();
    try {
      const { workspace, runnerTemp } = await workspaceWith("static");
      const run = await runAction({
        action: "build",
        inputs: { path: "app", store: `s3://${s3.bucket}/aether` },
        workspace,
        runnerTemp,
        event: { name: "push", payload: webhookExample("push") },
        env: {
          AWS_ENDPOINT_URL_S3: s3.endpoint,
          AWS_REGION: "us-east-1",
          AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
        },
      });
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.outputs["manifest"]).toMatch(
        new RegExp(`^s3://${s3.bucket}/aether/blobs/sha256/[0-9a-f]{64}$`),
      );
      expect(run.stdout).not.toContain(s3.credentials.secretAccessKey);
    } finally {
      await s3.stop();
    }
  });

  it("fails the step with an annotation, uploading nothing, on bad input", async () => {
    const { base, workspace, runnerTemp } = await workspaceWith("static");
    const event = { name: "push", payload: webhookExample("push") };
    const missing = await runAction({
      action: "build",
      inputs: { path: "app" },
      workspace,
      runnerTemp,
      event,
    });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(
      "::error title=Aether build failed::Input required and not supplied: store",
    );
    expect(missing.outputs).toEqual({});

    const wrong = await runAction({
      action: "build",
      inputs: { path: "app", store: "ftp://example.com/x" },
      workspace,
      runnerTemp,
      event,
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(
      /::error title=Aether build failed::store URL "ftp:\/\/example.com\/x": "ftp:" is not a store scheme/,
    );

    await writeFile(join(workspace, "app", ".aetherignore"), "ok.txt\n*.log\n");
    const store = join(base, "store");
    const ignore = await runAction({
      action: "build",
      inputs: { path: "app", store },
      workspace,
      runnerTemp,
      event,
    });
    expect(ignore.code).toBe(1);
    expect(ignore.stdout).toMatch(/::error title=Aether build failed,file=app\/\.aetherignore,line=2::/);
    await expect(readFile(join(store, "blobs"))).rejects.toThrow();
  });
});

describe("the committed dist/", () => {
  let fresh: string;
  beforeAll(async () => {
    fresh = join(await tempDir(), "dist");
    await bundleAction("build", fresh);
  });
  afterAll(() => undefined);

  it("is what the sources bundle to today (run `npm run build` after changing them)", async () => {
    for (const file of ["index.js", "licenses.txt"]) {
      const committed = await readFile(join(ROOT, "actions", "build", "dist", file), "utf8");
      expect(
        committed === (await readFile(join(fresh, file), "utf8")),
        `actions/build/dist/${file} is stale`,
      ).toBe(true);
    }
  });
});
