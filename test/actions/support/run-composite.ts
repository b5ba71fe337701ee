import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { parse } from "yaml";

interface CompositeStep {
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
}
interface CompositeAction {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: "composite"; steps: CompositeStep[] };
}

export interface CompositeRun {
  /** The first failing step's exit code, 0 when every step passed. */
  code: number;
  stdout: string;
  outputs: Record<string, string>;
  /** Each step's outputs by id; a skipped step is absent. */
  steps: Record<string, Record<string, string>>;
  summary: string;
}

/**
 * Runs a composite action.yml as the runner does, for the expressions it uses: inputs with their defaults,
 * `if:` conditions, `${{ inputs.* }}` / `${{ steps.*.outputs.* }}` in env and outputs, each `run:` in bash
 * with its own GITHUB_OUTPUT and a shared GITHUB_STEP_SUMMARY, GITHUB_ACTION_PATH at the action's folder.
 * A `uses:` step whose condition holds is an error here (the tests run on Node 24, so setup-node is skipped).
 */
export async function runComposite(request: {
  actionFile: string;
  inputs: Record<string, string>;
  /** The runner's environment for the job (GITHUB_*, RUNNER_*, PATH …). */
  env: Record<string, string>;
  cwd: string;
  runnerTemp: string;
}): Promise<CompositeRun> {
  const action = parse(await readFile(request.actionFile, "utf8")) as CompositeAction;
  const inputs = Object.fromEntries(
    Object.entries(action.inputs).map(([name, spec]) => [name, request.inputs[name] ?? spec.default ?? ""]),
  );
  const steps: Record<string, Record<string, string>> = {};
  const summary = join(request.runnerTemp, `composite-summary-${Date.now()}`);
  await writeFile(summary, "");
  let stdout = "";
  let code = 0;
  const context = { inputs, steps };
  for (const [index, step] of action.runs.steps.entries()) {
    if (code !== 0) break;
    if (step.if !== undefined && !truthy(evaluate(step.if, context))) continue;
    if (step.uses !== undefined)
      throw new Error(`step ${index} would run ${step.uses}, which this runner cannot`);
    const outputFile = join(request.runnerTemp, `composite-output-${index}-${Date.now()}`);
    await writeFile(outputFile, "");
    const env: Record<string, string> = {
      ...request.env,
      GITHUB_ACTION_PATH: dirname(request.actionFile),
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summary,
    };
    for (const [name, value] of Object.entries(step.env ?? {})) env[name] = interpolate(value, context);
    const result = await bash(step.run ?? "", { cwd: request.cwd, env });
    stdout += result.stdout;
    code = result.code;
    if (step.id) steps[step.id] = parseOutputFile(await readFile(outputFile, "utf8"));
  }
  const outputs = Object.fromEntries(
    Object.entries(action.outputs).map(([name, spec]) => [name, interpolate(spec.value, context)]),
  );
  return { code, stdout, outputs, steps, summary: await readFile(summary, "utf8") };
}

type Context = { inputs: Record<string, string>; steps: Record<string, Record<string, string>> };

function interpolate(template: string, context: Context): string {
  return template.replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) =>
    String(evaluate(expression, context)),
  );
}

/** The subset of the expression language the composite uses: properties, literals, ==, !=, <, ||, &&, fromJSON. */
function evaluate(expression: string, context: Context): unknown {
  const values: unknown[] = [];
  const source = expression
    .replace(/'([^']*)'/g, (_, text: string) => `$v[${values.push(text) - 1}]`)
    .replace(/\binputs\.([\w-]+)/g, (_, name: string) => `$v[${values.push(context.inputs[name] ?? "") - 1}]`)
    .replace(/\bsteps\.([\w-]+)\.outputs\.([\w-]+)/g, (_, id: string, name: string) => {
      return `$v[${values.push(context.steps[id]?.[name] ?? "") - 1}]`;
    })
    .replace(/\bfromJSON\(/g, "JSON.parse(");
  if (/[^\s$v[\]\d=!<>|&().JSONparse]/.test(source)) throw new Error(`unsupported expression: ${expression}`);
  return new Function("$v", `return (${source});`)(values);
}

function truthy(value: unknown): boolean {
  return value !== "" && value !== false && value !== 0 && value !== null && value !== undefined;
}

function bash(script: string, options: { cwd: string; env: Record<string, string> }) {
  return new Promise<{ code: number; stdout: string }>((resolve, reject) => {
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
      ...options,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ code: status ?? -1, stdout: out }));
  });
}

function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i += 1) {
    const heredoc = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? "");
    if (heredoc?.[1] && heredoc[2]) {
      const value: string[] = [];
      for (i += 1; i < lines.length && lines[i] !== heredoc[2]; i += 1) value.push(lines[i] ?? "");
      outputs[heredoc[1]] = value.join("\n");
      continue;
    }
    const plain = /^([^=]+)=(.*)$/.exec(lines[i] ?? "");
    if (plain?.[1]) outputs[plain[1]] = plain[2] ?? "";
  }
  return outputs;
}
