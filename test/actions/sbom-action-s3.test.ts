import { generateKeyPairSync } from "node:crypto";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { Digest } from "../../core/artifact/digest.ts";
import { openStore } from "../../core/store/open-store.ts";
import { webhookExample } from "../support/github/webhook-example.ts";
import { runAction } from "../support/run-action.ts";
import { startS3Server } from "../support/s3-server.ts";
import { actionWorkspace } from "./support/action-workspace.ts";

const event = { name: "push", payload: webhookExample("push") };

describe("actions/sbom against an S3 store, for an app without a lockfile", () => {
  it("signs provenance naming the artifact alone, stored in the bucket, and warns that there is no SBOM", async () => {
    const s3 = await startS3Server();
    const site = await actionWorkspace("static");
    try {
      const env = {
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
      };
      const run = (action: string, inputs: Record<string, string>) =>
        runAction({ action, inputs, workspace: site.workspace, runnerTemp: site.runnerTemp, event, env });
      const built = await run("build", { path: "app", store: `s3://${s3.bucket}/aether` });
      expect(built.code, built.stdout).toBe(0);
      const pem = generateKeyPairSync("ed25519")
        .privateKey.export({ type: "pkcs8", format: "pem" })
        .toString();
      const signed = await run("sbom", {
        path: "app",
        manifest: built.outputs["manifest"]!,
        "signing-key": pem,
      });
      expect(signed.stderr).toBe("");
      expect(signed.code, signed.stdout).toBe(0);
      expect(signed.stdout).toContain("::warning::No lockfile was found, so there is no SBOM");
      expect(signed.outputs).toMatchObject({ "sbom-path": "", "sbom-digest": "", verified: "true" });
      expect(signed.summary).toContain("| SBOM | none (no lockfile) |");
      const bucket = openStore(`s3://${s3.bucket}/aether`, { cwd: site.workspace, env });
      const stored = await bucket.getAttestation(built.outputs["digest"] as Digest);
      expect(stored?.toString()).toBe(await readFile(signed.outputs["provenance-path"]!, "utf8"));
    } finally {
      await site.remove();
      await s3.stop();
    }
  });
});
