import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KubeConfigError, loadKubeConfig } from "../../core/kube/kube-client.ts";
import { useTempDirs } from "../support/temp-dirs.ts";

const tempDir = useTempDirs("aether-kubeconfig-");

const VALID = [
  "apiVersion: v1",
  "kind: Config",
  "clusters: [{ name: a, cluster: { server: 'https://a.example:6443' } }, { name: b, cluster: { server: 'https://b.example:6443' } }]",
  "users: [{ name: u, user: { token: t } }]",
  "contexts: [{ name: ctx-a, context: { cluster: a, user: u } }, { name: ctx-b, context: { cluster: b, user: u } }]",
  "current-context: ctx-a",
].join("\n");

async function kubeconfig(text: string): Promise<string> {
  const path = join(await tempDir(), "kubeconfig");
  await writeFile(path, text);
  return path;
}

function failure(load: () => unknown): Error {
  try {
    load();
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error("expected loadKubeConfig to fail");
}

describe("loadKubeConfig", () => {
  it("loads the current context, or the one asked for", async () => {
    const path = await kubeconfig(VALID);
    expect(loadKubeConfig({ kubeconfigPath: path }).getCurrentCluster()?.server).toBe(
      "https://a.example:6443",
    );
    const b = loadKubeConfig({ kubeconfigPath: path, context: "ctx-b" });
    expect(b.getCurrentCluster()?.server).toBe("https://b.example:6443");
  });

  it("names the file that does not exist", async () => {
    const path = join(await tempDir(), "nope", "kubeconfig");
    const error = failure(() => loadKubeConfig({ kubeconfigPath: path }));
    expect(error).toBeInstanceOf(KubeConfigError);
    expect(error.message).toContain(`Cannot use the kubeconfig ${path}: the file does not exist`);
  });

  it("names the file that is not a kubeconfig", async () => {
    const path = await kubeconfig("clusters: [ {unclosed");
    const error = failure(() => loadKubeConfig({ kubeconfigPath: path }));
    expect(error).toBeInstanceOf(KubeConfigError);
    expect(error.message).toContain(`Cannot use the kubeconfig ${path}: it is not a valid kubeconfig`);
  });

  it("lists the contexts when the one asked for is missing", async () => {
    const path = await kubeconfig(VALID);
    const error = failure(() => loadKubeConfig({ kubeconfigPath: path, context: "prod" }));
    expect(error.message).toContain('it has no context "prod" (contexts: ctx-a, ctx-b)');
  });

  it("says so when there is no current context", async () => {
    const path = await kubeconfig(VALID.replace("current-context: ctx-a", ""));
    const error = failure(() => loadKubeConfig({ kubeconfigPath: path }));
    expect(error.message).toContain("it has no current context");
  });
});
