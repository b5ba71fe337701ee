import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { streamAppLogs, type KubeLogLine } from "../../core/kube/stream-app-logs.ts";
import { onRealCluster } from "../support/kube/kube-target.ts";
import {
  changeTemplate,
  deployLogsApp,
  runningPods,
  sleep,
  startLogsFixture,
  until,
  type LogsFixture,
} from "./logs-app-fixture.ts";

let fixture: LogsFixture;
beforeAll(async () => {
  fixture = await startLogsFixture();
});
afterAll(async () => {
  await fixture.stop();
});

function follow(app: { namespace: string; selector: Record<string, string> }, tailLines?: number) {
  const lines: KubeLogLine[] = [];
  const notices: string[] = [];
  const controller = new AbortController();
  const done = streamAppLogs({
    clients: fixture.clients,
    ...app,
    follow: true,
    ...(tailLines === undefined ? {} : { tailLines }),
    signal: controller.signal,
    reorderWindowMs: 30,
    onLine: (line) => lines.push(line),
    onNotice: (message) => notices.push(message),
  });
  return { lines, notices, done, stop: () => controller.abort() };
}

describe.skipIf(onRealCluster())("streamAppLogs with follow (test server)", () => {
  it("prints the tail, then new lines of every pod as they come, and ends when the signal aborts", async () => {
    const app = await deployLogsApp(fixture.clients, { replicas: 2 });
    const pods = await runningPods(fixture.clients, app.namespace, 2);
    const f = follow(app, 1);
    await until(f.lines, (l) => l.length >= 1, "the tail");
    for (const [i, pod] of [pods[1], pods[0], pods[1]].entries()) {
      const text = `new ${i}`;
      fixture.target.control?.appendLog({ namespace: app.namespace, pod: pod ?? "", container: "app", text });
      await sleep(3);
    }
    await until(f.lines, (l) => l.filter((x) => x.line.startsWith("new ")).length === 3, "three new lines");
    f.stop();
    const result = await f.done;
    expect(f.lines[0]?.line).toMatch(/listening on :8080$/);
    expect(f.lines.slice(1).map((l) => [l.pod, l.line])).toEqual([
      [pods[1], "new 0"],
      [pods[0], "new 1"],
      [pods[1], "new 2"],
    ]);
    expect(result.pods.sort()).toEqual(pods);
    expect(f.notices).toEqual([]);
  });

  it("attaches to the pods of a new release as the controller replaces the old ones", async () => {
    const app = await deployLogsApp(fixture.clients, { replicas: 2 });
    const old = await runningPods(fixture.clients, app.namespace, 2);
    const f = follow(app);
    await until(f.lines, (l) => l.length === 4, "the old pods' start lines");
    await changeTemplate(fixture.clients, app.namespace, { release: "2" });
    const fresh = (await runningPods(fixture.clients, app.namespace, 2)).filter((p) => !old.includes(p));
    expect(fresh.length).toBe(2);
    await until(
      f.lines,
      (l) => fresh.every((pod) => l.some((x) => x.pod === pod && x.line.endsWith("listening on :8080"))),
      "the new pods' start lines",
    );
    f.stop();
    await f.done;
    const startLines = f.lines.filter((l) => l.line.endsWith("starting"));
    expect(startLines.map((l) => l.pod).sort()).toEqual([...old, ...fresh].sort());
    // Each line once, even though the new pods' logs were read from their start.
    expect(new Set(f.lines.map((l) => `${l.pod} ${l.line}`)).size).toBe(f.lines.length);
  });

  it("keeps showing a container that restarts (crash loop) with each run's lines", async () => {
    const app = await deployLogsApp(fixture.clients, { replicas: 1 });
    fixture.target.control?.injectPodFault({
      type: "crash-loop",
      image: "registry.example/runtime:crashy",
      lastLines: ["panic: boom"],
    });
    const f = follow(app);
    await until(f.lines, (l) => l.length === 2, "the first pod's start lines");
    await changeTemplate(fixture.clients, app.namespace, { image: "registry.example/runtime:crashy" });
    await until(f.lines, (l) => l.filter((x) => x.line === "panic: boom").length >= 3, "three crashes");
    f.stop();
    await f.done;
    const crashing = f.lines.filter((l) => l.line === "panic: boom").map((l) => l.pod);
    expect(new Set(crashing).size).toBe(1);
    expect(f.notices).toContain(`${crashing[0] ?? ""}/app restarted (restart 1)`);
    fixture.target.control?.clearPodFaults();
  });

  it("watches pods instead of listing them again and again", async () => {
    const app = await deployLogsApp(fixture.clients, { replicas: 1 });
    const before = fixture.target.control?.requests().length ?? 0;
    const f = follow(app);
    await until(f.lines, (l) => l.length === 2, "the start lines");
    await changeTemplate(fixture.clients, app.namespace, { release: "2" });
    await until(f.lines, (l) => l.length === 4, "the new pod's start lines");
    f.stop();
    await f.done;
    // The request log keeps paths without queries: one GET is the list, the other the watch that stayed open.
    const podRequests = (fixture.target.control?.requests() ?? [])
      .slice(before)
      .filter((r) => r.method === "GET" && r.path === `/api/v1/namespaces/${app.namespace}/pods`);
    expect(podRequests.length).toBe(2);
  });

  it("lists the pods again when its watch is dropped and its version compacted away, and misses no new pod", async () => {
    const app = await deployLogsApp(fixture.clients, { replicas: 1 });
    const [old = ""] = await runningPods(fixture.clients, app.namespace, 1);
    const f = follow(app);
    await until(f.lines, (l) => l.length === 2, "the start lines");
    fixture.target.control?.compact();
    fixture.target.control?.dropWatches();
    await changeTemplate(fixture.clients, app.namespace, { release: "2" });
    const [fresh = ""] = (await runningPods(fixture.clients, app.namespace, 1)).filter((p) => p !== old);
    await until(f.lines, (l) => l.some((x) => x.pod === fresh), "the new pod's lines");
    f.stop();
    const result = await f.done;
    expect(result.pods).toEqual([old, fresh]);
  });
});
