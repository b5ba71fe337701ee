import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { generateAppKey } from "../support/github/index.ts";
import { runAether } from "../support/run-aether.ts";
import { kubeTarget } from "../support/kube/kube-target.ts";
import { useTempDirs } from "../support/temp-dirs.ts";
import { startHarness, waitFor } from "./app-harness.ts";

const CLI = fileURLToPath(new URL("../../cli/main.ts", import.meta.url));

const tempDir = useTempDirs("aether-app-kube-cli-");

describe("aether app's target", () => {
  it("refuses the Kubernetes target with a store the cluster cannot read, before starting a database", async () => {
    const cwd = await tempDir();
    const run = await runAether(["app", "--target", "kubernetes", "--port", "0"], {
      cwd,
      env: {
        APP_ID: "1",
        PRIVATE_KEY: generateAppKey().privateKey,
        WEBHOOK_SECRET: "a-webhook-secret",
        AETHER_STORE: "",
        DATABASE_URL: "",
      },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "the Kubernetes target (AETHER_TARGET=kubernetes) needs an artifact store the cluster can read: set " +
        "AETHER_STORE to s3://bucket/prefix, or AETHER_TARGET=local to deploy on this machine",
    );
  });

  it("refuses a target it does not know", async () => {
    const cwd = await tempDir();
    const run = await runAether(["app", "--target", "nomad"], {
      cwd,
      env: { APP_ID: "1", PRIVATE_KEY: generateAppKey().privateKey, WEBHOOK_SECRET: "a-webhook-secret" },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the target "nomad" is not one of local, kubernetes');
  });
});

describe("aether app on Kubernetes", () => {
  it("starts with the Kubernetes target a kubeconfig names, in the namespace given", async () => {
    const h = await startHarness({ startApp: false });
    const kube = await kubeTarget();
    const child = spawn(
      process.execPath,
      [CLI, "app", "--host", "127.0.0.1", "--port", "0", "--namespace", "shop"],
      {
        env: {
          ...h.appProcessEnv(),
          AETHER_STORE: "s3://artifacts/aether",
          AETHER_KUBECONFIG: kube.kubeconfigPath,
          AETHER_STATE_DIR: h.dataDir,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    try {
      const line = await waitFor(
        "the target line",
        () => /^ {2}target {5}(.*)$/m.exec(output)?.[1],
        60_000,
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}; the app printed:\n${output}`);
      });
      expect(line).toMatch(
        new RegExp(
          `^kubernetes \\(http://127\\.0\\.0\\.1:\\d+, namespace shop; kubeconfig ${kube.kubeconfigPath}\\)$`,
        ),
      );
      const stopped = new Promise((resolve) => child.once("close", resolve));
      child.kill("SIGTERM");
      expect(await stopped).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await h.stop();
      await kube.stop();
    }
  });
});
