import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { streamAppLogs, UnknownContainerError, type KubeLogLine } from "../../core/kube/stream-app-logs.ts";
import { openPodLog, PodLogError } from "../../core/kube/open-pod-log.ts";
import { onRealCluster } from "../support/kube/kube-target.ts";
import { deployLogsApp, sleep, startLogsFixture, type LogsFixture } from "./logs-app-fixture.ts";

let fixture: LogsFixture;
beforeAll(async () => {
  fixture = await startLogsFixture();
});
afterAll(async () => {
  await fixture.stop();
});

async function read(
  app: { namespace: string; selector: Record<string, string> },
  options: { tailLines?: number; since?: number | Date; container?: string } = {},
): Promise<KubeLogLine[]> {
  const lines: KubeLogLine[] = [];
  await streamAppLogs({
    clients: fixture.clients,
    ...app,
    ...options,
    follow: false,
    signal: new AbortController().signal,
    onLine: (line) => lines.push(line),
  });
  return lines;
}

describe.skipIf(onRealCluster())(
  "streamAppLogs without follow (test server: lines appended through its control API)",
  () => {
    it("merges two pods' lines in time order, each naming its pod and container", async () => {
      const app = await deployLogsApp(fixture.clients, { replicas: 2 });
      const [a = "", b = ""] = (
        await fixture.clients.core.listNamespacedPod({ namespace: app.namespace })
      ).items
        .map((p) => p.metadata?.name ?? "")
        .sort();
      const order = [a, b, b, a, b, a];
      for (const [i, pod] of order.entries()) {
        fixture.target.control?.appendLog({
          namespace: app.namespace,
          pod,
          container: "app",
          text: `event ${i}`,
        });
        await sleep(3);
      }
      const lines = await read(app);
      const events = lines.filter((l) => l.line.startsWith("event "));
      expect(events.map((l) => [l.pod, l.line])).toEqual(order.map((pod, i) => [pod, `event ${i}`]));
      expect(
        lines
          .filter((l) => l.line.endsWith("starting"))
          .map((l) => l.pod)
          .sort(),
      ).toEqual([a, b]);
      expect(new Set(lines.map((l) => l.container))).toEqual(new Set(["app"]));
      const times = lines.map((l) => Date.parse(l.time));
      expect(times).toEqual([...times].sort((x, y) => x - y));
    });

    it("keeps the last N lines of all pods together with tailLines", async () => {
      const app = await deployLogsApp(fixture.clients, { replicas: 2 });
      const pods = (await fixture.clients.core.listNamespacedPod({ namespace: app.namespace })).items.map(
        (p) => p.metadata?.name ?? "",
      );
      for (let i = 0; i < 6; i += 1) {
        const pod = pods[i % 2] ?? "";
        fixture.target.control?.appendLog({
          namespace: app.namespace,
          pod,
          container: "app",
          text: `line ${i}`,
        });
        await sleep(3);
      }
      const lines = await read(app, { tailLines: 3 });
      expect(lines.map((l) => l.line)).toEqual(["line 3", "line 4", "line 5"]);
    });

    it("keeps lines from a time on with since, to the millisecond, and as seconds back from now", async () => {
      const app = await deployLogsApp(fixture.clients, { replicas: 1 });
      const [pod = ""] = (
        await fixture.clients.core.listNamespacedPod({ namespace: app.namespace })
      ).items.map((p) => p.metadata?.name ?? "");
      fixture.target.control?.appendLog({ namespace: app.namespace, pod, container: "app", text: "before" });
      await sleep(5);
      const mark = new Date();
      await sleep(5);
      fixture.target.control?.appendLog({ namespace: app.namespace, pod, container: "app", text: "after" });
      expect((await read(app, { since: mark })).map((l) => l.line)).toEqual(["after"]);
      expect((await read(app, { since: 3600 })).map((l) => l.line)).toContain("before");
    });

    it("reads one container with container, and names the containers when none has it", async () => {
      const app = await deployLogsApp(fixture.clients, { replicas: 2, containers: ["app", "proxy"] });
      const all = await read(app);
      expect(new Set(all.map((l) => l.container))).toEqual(new Set(["app", "proxy"]));
      const proxy = await read(app, { container: "proxy" });
      expect(proxy.length).toBe(4);
      expect(proxy.every((l) => l.container === "proxy" && l.line.startsWith(`${l.pod}/proxy `))).toBe(true);
      await expect(read(app, { container: "sidecar" })).rejects.toThrow(UnknownContainerError);
      await expect(read(app, { container: "sidecar" })).rejects.toThrow(/containers: app, proxy/);
    });

    it("redacts credentials in lines", async () => {
      const app = await deployLogsApp(fixture.clients, { replicas: 1 });
      const [pod = ""] = (
        await fixture.clients.core.listNamespacedPod({ namespace: app.namespace })
      ).items.map((p) => p.metadata?.name ?? "");
      const text = "connecting to postgres://web:Zx9pQ2sEcret@db:5432/web";
      fixture.target.control?.appendLog({ namespace: app.namespace, pod, container: "app", text });
      const lines = await read(app);
      expect(lines.at(-1)?.line).toBe("connecting to postgres://web:***@db:5432/web");
    });

    it("returns no line for an app without pods", async () => {
      const app = await deployLogsApp(fixture.clients, { replicas: 0 });
      expect(await read(app)).toEqual([]);
    });

    it("says which pod and container a refused log request was for, with the server's message", async () => {
      const app = await deployLogsApp(fixture.clients, { replicas: 1 });
      const failure = openPodLog({
        config: fixture.clients.config,
        namespace: app.namespace,
        pod: "web-gone",
        query: { container: "app" },
      });
      await expect(failure).rejects.toThrow(PodLogError);
      await expect(failure).rejects.toThrow(
        /^Cannot read the log of web-gone\/app: pods "web-gone" not found \(HTTP 404\)$/,
      );
    });
  },
);
