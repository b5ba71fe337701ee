// `npm run bench -- preview [runs]`: webhook to preview URL. A signed pull_request.opened delivery (a real
// payload from @octokit/webhooks-examples) is POSTed to the running app (GitHub test server, real PostgreSQL,
// folder store, Kubernetes test server with a 50 ms ready delay); the clock stops when the sticky comment
// on the pull request holds the preview's URL. The artifact is already built and indexed for the commit (as
// when the build's workflow finished first). Each run is a new pull request: a new namespace (quota, network
// policy), a new database and role, the release rolled out. The peer is the same app on the local target
// (a supervised Node process per preview on this machine), run after it on a fresh harness.
// Writes bench/results/preview.json.
import { cpus, loadavg, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { writeFile } from "node:fs/promises";
import { startApp } from "../app/server/start-app.ts";
import { createKubeTarget, kubePreviewNumber } from "../app/targets/kube-target.ts";
import { commentMarker } from "../core/report/preview-comment.ts";
import { REPO, shaOf, startHarness, type Harness } from "../test/app/app-harness.ts";
import { pullRequestPayload } from "../test/app/payloads.ts";
import type { RecordedRequest } from "../test/support/github/index.ts";
import { kubeTarget } from "../test/support/kube/kube-target.ts";
import { targetClients } from "../test/support/kube/render-fixtures.ts";

/** The issue's goal: webhook to preview URL in the PR comment under 3 s. */
export const GOAL_MS = 3000;
const READY_DELAY_MS = 50;
const CONFIG = "version: 1\npreviews:\n  database:\n    engine: postgres\n";
const RESULT_FILE = join(resolve(import.meta.dirname, ".."), "bench", "results", "preview.json");
const FIRST_PR = 1000;

interface Sample {
  pr: number;
  /** POST to 202. */
  ackMs: number;
  /** POST to the first sticky comment ("deploying"). */
  firstCommentMs: number;
  /** POST to the comment holding the preview URL. */
  previewUrlMs: number;
  /** From that comment: the database's provisioning, the target's start and healthy phases. */
  databaseMs: number | undefined;
  startMs: number | undefined;
  healthyMs: number | undefined;
}

/** Milliseconds of a duration as core/pipeline/format.ts writes it (`594 ms`, `1.2 s`). */
function msOf(text: string | undefined): number | undefined {
  const match = /^([\d.]+) (ms|s)$/.exec(text?.trim() ?? "");
  if (match?.[1] === undefined) return undefined;
  return Number(match[1]) * (match[2] === "s" ? 1000 : 1);
}

/** The database and phase times the preview comment reports. */
function phasesOf(comment: string): Pick<Sample, "databaseMs" | "startMs" | "healthyMs"> {
  const database = /ready in ([\d.]+ m?s)/.exec(comment)?.[1];
  // The latency table: a header naming the phases, a separator, then the times (the upload cell adds bytes).
  const lines = comment.split("\n");
  const header = lines.findIndex((line) => line.startsWith("| ") && line.includes("| healthy |"));
  const cells = (line: string | undefined) =>
    (line ?? "")
      .split("|")
      .slice(1, -1)
      .map((c) => c.trim());
  const names = cells(lines[header]);
  const values = cells(lines[header + 2]);
  const cell = (name: string) => (header < 0 ? undefined : values[names.indexOf(name)]);
  return { databaseMs: msOf(database), startMs: msOf(cell("rollout")), healthyMs: msOf(cell("healthy")) };
}

/**
 * Calls `onRequest` with each request the GitHub test server receives (it has no event API: its request log
 * is an array). The server records a request before parsing its body, in the same synchronous step, so the
 * callback runs on the next turn, when the body is there.
 */
function watchRequests(requests: RecordedRequest[], onRequest: (request: RecordedRequest) => void): void {
  const push = requests.push.bind(requests);
  requests.push = (...items: RecordedRequest[]) => {
    const length = push(...items);
    for (const item of items) setImmediate(() => onRequest(item));
    return length;
  };
}

/** The text of a sticky comment the app sent (created or edited), if `request` is one. */
function commentBodyOf(request: RecordedRequest): string | undefined {
  if (request.operationId !== "issues/create-comment" && request.operationId !== "issues/update-comment")
    return undefined;
  const body: unknown = request.body;
  return typeof body === "object" && body !== null && "body" in body && typeof body.body === "string"
    ? body.body
    : undefined;
}

async function runOnce(
  h: Harness,
  pr: number,
  digestSha: string,
  waiters: Set<(request: RecordedRequest) => void>,
): Promise<Sample> {
  const sha = shaOf(`bench-preview-${pr}`);
  h.github.state.setFiles(REPO, sha, { ".github/aether.yml": CONFIG });
  h.github.state.addPullRequest({ repo: REPO, number: pr, headSha: sha });
  const ref = await h.store.getRef({ repository: REPO, commit: digestSha });
  if (ref === undefined) throw new Error("the built artifact's ref is missing from the store");
  await h.store.putRef({ repository: REPO, commit: sha }, { ...ref, builtAt: new Date().toISOString() });
  const marker = commentMarker(`pr-${pr}`);
  let firstCommentMs: number | undefined;
  const started = performance.now();
  const done = new Promise<{ ms: number; comment: string }>((resolveDone, reject) => {
    const timer = setTimeout(() => {
      const comment = h.github.state.comments.find((c) => c.issueNumber === pr && c.body.includes(marker));
      const seen = comment === undefined ? "no comment" : `the comment says:\n${comment.body}`;
      reject(new Error(`pr-${pr}: no preview URL after 60 s; ${seen}\n${h.logLines.join("\n")}`));
    }, 60_000);
    const check = (request: RecordedRequest) => {
      const comment = commentBodyOf(request);
      if (comment === undefined || !comment.includes(marker)) return;
      firstCommentMs ??= performance.now() - started;
      // The ready comment's heading links the preview's URL: `Preview ready: [host](url)`.
      if (!/Preview ready: \[[^\]]+\]\(https?:\/\//.test(comment)) return;
      clearTimeout(timer);
      waiters.delete(check);
      resolveDone({ ms: performance.now() - started, comment });
    };
    waiters.add(check);
  });
  const response = await h.deliver("pull_request", pullRequestPayload("opened", pr, sha));
  const ackMs = performance.now() - started;
  if (response.status !== 202) throw new Error(`pr-${pr}: the app answered ${response.status}`);
  const ready = await done;
  return {
    pr,
    ackMs,
    firstCommentMs: firstCommentMs ?? ready.ms,
    previewUrlMs: ready.ms,
    ...phasesOf(ready.comment),
  };
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  const round = (n: number) => Math.round(n * 10) / 10;
  return { p50: round(at(50)), p95: round(at(95)), max: round(sorted.at(-1) ?? 0) };
}

type TargetName = "kubernetes" | "local";

/** Warm-up and `runs` previews on one target, on a harness of their own. */
async function measure(targetName: TargetName, runs: number) {
  const kube = targetName === "kubernetes" ? await kubeTarget({ readyDelayMs: READY_DELAY_MS }) : undefined;
  const h = await startHarness({ startApp: false });
  const waiters = new Set<(request: RecordedRequest) => void>();
  watchRequests(h.github.requests, (request) => {
    for (const check of [...waiters]) check(request);
  });
  try {
    if (kube !== undefined) {
      const clients = targetClients(kube);
      await clients.core.createNamespace({ body: { metadata: { name: "shop" } } });
      const target = createKubeTarget({
        clients,
        namespace: "shop",
        storeUrl: "s3://artifacts/aether",
        hostFor: (ref) => `pr-${kubePreviewNumber(ref.env) ?? 0}.preview.example.test`,
        clock: () => performance.now(),
      });
      h.app = await startApp({ ...h.appOptions(), target });
    } else {
      h.app = await startApp(h.appOptions());
    }
    const builtSha = shaOf("bench-preview-build");
    await h.build(builtSha, "bench");
    const warmUp = await runOnce(h, FIRST_PR, builtSha, waiters);
    const samples: Sample[] = [];
    for (let i = 1; i <= runs; i++) {
      const sample = await runOnce(h, FIRST_PR + i, builtSha, waiters);
      samples.push(sample);
      console.log(
        `${targetName} ${i}/${runs}: preview URL in the comment after ${sample.previewUrlMs.toFixed(0)} ms`,
      );
    }
    const defined = (values: (number | undefined)[]) => values.filter((v) => v !== undefined);
    return {
      previewUrlMs: stats(samples.map((s) => s.previewUrlMs)),
      ackMs: stats(samples.map((s) => s.ackMs)),
      firstCommentMs: stats(samples.map((s) => s.firstCommentMs)),
      databaseMs: stats(defined(samples.map((s) => s.databaseMs))),
      startMs: stats(defined(samples.map((s) => s.startMs))),
      healthyMs: stats(defined(samples.map((s) => s.healthyMs))),
      warmUpMs: Math.round(warmUp.previewUrlMs),
      samples: samples.map((s) => ({
        ...s,
        ackMs: Math.round(s.ackMs * 10) / 10,
        firstCommentMs: Math.round(s.firstCommentMs),
        previewUrlMs: Math.round(s.previewUrlMs),
      })),
    };
  } finally {
    await h.stop();
    await kube?.stop();
  }
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 10);
  const kubernetes = await measure("kubernetes", runs);
  const local = await measure("local", runs);
  const [load1 = 0, load5 = 0] = loadavg();
  const result = {
    runs,
    readyDelayMs: READY_DELAY_MS,
    goalMs: GOAL_MS,
    metGoal: kubernetes.previewUrlMs.max < GOAL_MS,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      loadAverage: [Math.round(load1 * 10) / 10, Math.round(load5 * 10) / 10],
      node: process.version,
    },
    kubernetes,
    local,
  };
  await writeFile(RESULT_FILE, `${JSON.stringify(result, null, 2)}\n`);
  for (const [name, measured] of [
    ["kubernetes", kubernetes],
    ["local (peer)", local],
  ] as const) {
    const { p50, p95, max } = measured.previewUrlMs;
    console.log(`${name}: webhook → preview URL p50 ${p50} ms · p95 ${p95} ms · max ${max} ms`);
  }
  console.log(`goal < ${GOAL_MS} ms on Kubernetes: ${result.metGoal ? "met" : "missed"} → ${RESULT_FILE}`);
}

await main();
