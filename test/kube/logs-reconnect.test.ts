import { createServer, type Server } from "node:http";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubeClientsFrom, loadKubeConfig } from "../../core/kube/kube-client.ts";
import { streamAppLogs, type KubeLogLine } from "../../core/kube/stream-app-logs.ts";
import { onRealCluster } from "../support/kube/kube-target.ts";
import { forwardHttp } from "../support/forward-http.ts";
import {
  changeTemplate,
  deployLogsApp,
  runningPods,
  startLogsFixture,
  until,
  type LogsFixture,
} from "./logs-app-fixture.ts";

/** A plain HTTP proxy in front of the test server whose connections a test can cut, as a flaky network does. */
async function startCuttableProxy(
  upstream: URL,
): Promise<{ url: string; cut(): void; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    forwardHttp(req, res, upstream);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    cut: () => {
      for (const socket of sockets) socket.destroy();
    },
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let fixture: LogsFixture;
let proxy: Awaited<ReturnType<typeof startCuttableProxy>>;
let dir: string;
let proxiedKubeconfig: string;
beforeAll(async () => {
  fixture = await startLogsFixture();
  if (onRealCluster()) return;
  const original = await readFile(fixture.target.kubeconfigPath, "utf8");
  const server = /server: (\S+)/.exec(original)?.[1] ?? "";
  proxy = await startCuttableProxy(new URL(server));
  dir = await mkdtemp(join(tmpdir(), "aether-logs-proxy-"));
  proxiedKubeconfig = join(dir, "kubeconfig");
  await writeFile(proxiedKubeconfig, original.replace(server, proxy.url), { mode: 0o600 });
});
afterAll(async () => {
  await proxy?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
  await fixture.stop();
});

describe.skipIf(onRealCluster())(
  "streamAppLogs across dropped connections (test server behind a proxy)",
  () => {
    it("reconnects a dropped log stream without losing or repeating lines, and re-watches pods", async () => {
      const app = await deployLogsApp(fixture.clients, { replicas: 1 });
      const [pod = ""] = await runningPods(fixture.clients, app.namespace, 1);
      const clients = kubeClientsFrom(loadKubeConfig({ kubeconfigPath: proxiedKubeconfig }));
      const lines: KubeLogLine[] = [];
      const controller = new AbortController();
      const done = streamAppLogs({
        clients,
        ...app,
        follow: true,
        signal: controller.signal,
        reorderWindowMs: 20,
        onLine: (line) => lines.push(line),
      });
      const append = (text: string) =>
        fixture.target.control?.appendLog({ namespace: app.namespace, pod, container: "app", text });
      append("before the cut");
      await until(lines, (l) => l.some((x) => x.line === "before the cut"), "the first line");
      proxy.cut();
      append("during the cut");
      append("after the cut");
      await until(lines, (l) => l.some((x) => x.line === "after the cut"), "lines written while cut off");
      proxy.cut();
      await changeTemplate(fixture.clients, app.namespace, { release: "2" });
      const [fresh = ""] = (await runningPods(fixture.clients, app.namespace, 1)).filter((p) => p !== pod);
      await until(
        lines,
        (l) => l.some((x) => x.pod === fresh),
        "the new release's pod after the watch was cut",
      );
      controller.abort();
      await done;
      const mine = lines.filter((l) => l.pod === pod).map((l) => l.line);
      expect(mine).toEqual([
        `${pod}/app starting`,
        `${pod}/app listening on :8080`,
        "before the cut",
        "during the cut",
        "after the cut",
      ]);
    });
  },
);
