import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/**
 * Runs a bundled action the way the runner does: `node dist/index.js` with INPUT_* variables, the files
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH pointing at a real payload, and the other
 * GITHUB_* and RUNNER_* variables a runner sets.
 */
export async function runAction(request: {
  action: string;
  inputs: Record<string, string>;
  workspace: string;
  runnerTemp: string;
  event: { name: string; payload: Record<string, unknown> };
  env?: Record<string, string>;
}): Promise<ActionRun> {
  const { runnerTemp } = request;
  const outputFile = join(runnerTemp, `output-${Date.now()}-${Math.random()}`);
  const summaryFile = join(runnerTemp, `summary-${Date.now()}-${Math.random()}`);
  const eventFile = join(runnerTemp, "event.json");
  await writeFile(outputFile, "");
  await writeFile(summaryFile, "");
  await writeFile(eventFile, JSON.stringify(request.event.payload));
  const payload = request.event.payload as { repository?: { full_name?: string }; after?: string };
  // A runner's steps inherit the machine's environment (proxies, CA bundles), less other steps' variables.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && !/^(INPUT_|GITHUB_|RUNNER_|AWS_|AETHER_)/.test(entry[0]),
    ),
  );
  const env: Record<string, string> = {
    ...inherited,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: request.workspace,
    GITHUB_EVENT_NAME: request.event.name,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_REPOSITORY: payload.repository?.full_name ?? "octo/app",
    GITHUB_SHA: payload.after ?? "0".repeat(40),
    GITHUB_REF: "refs/heads/main",
    GITHUB_WORKFLOW: "deploy",
    GITHUB_WORKFLOW_REF: `${payload.repository?.full_name ?? "octo/app"}/.github/workflows/deploy.yml@refs/heads/main`,
    GITHUB_RUN_ID: "4242",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: "Linux",
    RUNNER_ENVIRONMENT: "github-hosted",
    ...request.env,
  };
  for (const [name, value] of Object.entries(request.inputs)) {
    env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value;
  }
  const entry = fileURLToPath(new URL(`../../actions/${request.action}/dist/index.js`, import.meta.url));
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, [entry], {
        cwd: request.workspace,
        env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      let err = "";
      child.stdout.on("data", (c: Buffer) => (out += c.toString()));
      child.stderr.on("data", (c: Buffer) => (err += c.toString()));
      child.on("error", reject);
      child.on("close", (status) => resolve({ code: status ?? -1, stdout: out, stderr: err }));
    },
  );
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(await readFile(outputFile, "utf8")),
    summary: await readFile(summaryFile, "utf8"),
  };
}

/** GITHUB_OUTPUT's format: `name<<DELIMITER`, the value's lines, `DELIMITER`. */
function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i += 1) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? "");
    if (!match?.[1] || !match[2]) continue;
    const value: string[] = [];
    for (i += 1; i < lines.length && lines[i] !== match[2]; i += 1) value.push(lines[i] ?? "");
    outputs[match[1]] = value.join("\n");
  }
  return outputs;
}
