// The figure for docs/benchmarks.md ("actions/build against S3"): examples/node-express built twice by the
// bundled build action, as the runner runs it, against s3rver behind a byte-counting proxy. First a cold
// store and runner; then a fresh runner (empty RUNNER_TEMP) with the lockfile unchanged and one line of
// code changed. Run: node test/actions/measure-build-action.ts (prints a Markdown table and JSON).
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { webhookExample } from "../support/github/webhook-example.ts";
import { runAction } from "../support/run-action.ts";
import { startS3Server } from "../support/s3-server.ts";
import { actionWorkspace } from "./support/action-workspace.ts";
import { startCountingProxy, type ProxiedRequest } from "./support/counting-proxy.ts";

const s3 = await startS3Server();
const proxy = await startCountingProxy(s3.endpoint);
const ws = await actionWorkspace("node-express");
const event = { name: "push", payload: webhookExample("push") };
const env = {
  AWS_ENDPOINT_URL_S3: proxy.url,
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
};

interface Measured {
  run: string;
  ms: number;
  uploadedBytes: number;
  objectsWritten: string[];
  summaryUploaded: string;
  layers: string[];
}

async function measure(run: string, runnerTemp: string): Promise<Measured> {
  await mkdir(runnerTemp, { recursive: true });
  const first = proxy.requests.length;
  const started = performance.now();
  const result = await runAction({
    action: "build",
    inputs: { path: "app", store: `s3://${s3.bucket}/aether` },
    workspace: ws.workspace,
    runnerTemp,
    event,
    env,
  });
  const ms = performance.now() - started;
  if (result.code !== 0) throw new Error(`the ${run} build failed:\n${result.stdout}${result.stderr}`);
  const writes = proxy.requests
    .slice(first)
    .filter((r: ProxiedRequest) => r.method === "PUT" || r.method === "POST");
  return {
    run,
    ms: Math.round(ms),
    uploadedBytes: writes.reduce((sum, r) => sum + r.bytes, 0),
    objectsWritten: writes.map((r) => `${r.method} ${r.path.replace(/\?.*$/, "")} ${r.bytes}`),
    summaryUploaded: /\| Uploaded \| (.*) \|/.exec(result.summary)?.[1] ?? "",
    layers: result.summary.split("\n").filter((l) => /^\| (deps|app) \|/.test(l)),
  };
}

try {
  const cold = await measure("cold", join(ws.base, "runner-1"));
  await writeFile(join(ws.workspace, "app", "server.js"), "\n// one more line\n", { flag: "a" });
  const warm = await measure("warm", join(ws.base, "runner-2"));
  const layer = (m: Measured, role: string): string => {
    const cells = (m.layers.find((l) => l.startsWith(`| ${role} |`)) ?? "").split("|").map((c) => c.trim());
    return `${cells[3] ?? "?"}: ${cells[5] ?? "?"}, ${cells[6] ?? "?"}`;
  };
  console.log("| run | deps layer | app layer | requests writing | bytes sent to S3 | time (whole action) |");
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const m of [cold, warm]) {
    const bytes = m.uploadedBytes.toLocaleString("en");
    console.log(
      `| ${m.run} | ${layer(m, "deps")} | ${layer(m, "app")} | ${m.objectsWritten.length} | ${bytes} | ${m.ms.toLocaleString("en")} ms |`,
    );
  }
  console.log(JSON.stringify({ node: process.version, cold, warm }, null, 2));
} finally {
  await proxy.stop();
  await s3.stop();
  await ws.remove();
}
