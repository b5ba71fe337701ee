import { createRequire } from "node:module";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { ErrorObject } from "ajv";
import { parse } from "yaml";
import { helmRendererBinary, run } from "./helm-renderer-binary.ts";

const require = createRequire(import.meta.url);
const AjvClass: typeof import("ajv").default = require("ajv");

/** The chart in this repository. */
export const AETHER_CHART = resolve(import.meta.dirname, "..", "..", "..", "charts", "aether");

export interface RenderChartRequest {
  /** Values over the chart's values.yaml, as `helm template -f` would take them (null deletes a default). */
  values?: Record<string, unknown>;
  releaseName?: string;
  namespace?: string;
  chartDir?: string;
  /** Also render NOTES.txt (`helm template --notes`'s part after the manifests). */
  notes?: boolean;
}

/** One object of the rendered stream, with the template it came from. */
export interface RenderedObject {
  source: string;
  object: Record<string, unknown>;
}

export interface RenderedChart {
  /** The YAML stream as `helm template` prints it (`---`, `# Source:`, Helm's install order). */
  manifest: string;
  objects: RenderedObject[];
  notes: string;
  /** The coalesced values the templates saw. */
  values: Record<string, unknown>;
}

/** What `helm template` would refuse: schema violations, `required`/`fail`, template or YAML errors. */
export class HelmRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HelmRenderError";
  }
}

/**
 * Renders a chart as `helm template RELEASE CHART -n NAMESPACE -f values` does: values coalesced over
 * values.yaml, validated against values.schema.json (with ajv, before anything renders, as Helm does),
 * then templates rendered by the Go stand-in (test/support/helm/main.go).
 * @example const { objects } = await renderChart({ values: { replicaCount: 1 }, namespace: "aether" });
 */
export async function renderChart(request: RenderChartRequest = {}): Promise<RenderedChart> {
  const chartDir = request.chartDir ?? AETHER_CHART;
  const binary = await helmRendererBinary();
  const work = await mkdtemp(join(tmpdir(), "aether-helm-values-"));
  try {
    const valuesFile = join(work, "values.json");
    await writeFile(valuesFile, JSON.stringify(request.values ?? {}), { mode: 0o600 });
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
    const coalesced = await run(binary, ["values", "-chart", chartDir, "-values", valuesFile], env);
    if (coalesced.code !== 0) throw new HelmRenderError(coalesced.stderr.trim());
    const values = JSON.parse(coalesced.stdout) as Record<string, unknown>;
    await validateAgainstSchema(chartDir, values);
    const args = ["render", "-chart", chartDir, "-values", valuesFile];
    args.push("-name", request.releaseName ?? "release-name", "-namespace", request.namespace ?? "default");
    if (request.notes) args.push("-notes");
    const rendered = await run(binary, args, env);
    if (rendered.code !== 0) throw new HelmRenderError(rendered.stderr.trim().replace(/^Error: /, ""));
    const [manifest = "", notes = ""] = rendered.stdout.split("\nNOTES:\n");
    return { manifest, objects: parseManifest(manifest), notes, values };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The objects of a `helm template` stream, each with its `# Source:` template. */
export function parseManifest(manifest: string): RenderedObject[] {
  return manifest.split(/^---$/m).flatMap((text) => {
    const object: unknown = parse(text);
    if (object === null || typeof object !== "object" || Array.isArray(object)) return [];
    const source = /^# Source: (\S+)$/m.exec(text)?.[1] ?? "";
    return [{ source, object: object as Record<string, unknown> }];
  });
}

async function validateAgainstSchema(chartDir: string, values: Record<string, unknown>): Promise<void> {
  let schemaText: string;
  try {
    schemaText = await readFile(join(chartDir, "values.schema.json"), "utf8");
  } catch {
    return; // a chart without a schema accepts any values, as in Helm
  }
  const ajv = new AjvClass({ allErrors: true, strict: false, logger: false });
  const validate = ajv.compile(JSON.parse(schemaText) as object);
  if (validate(values)) return;
  const chartName = /^name:\s*(\S+)/m.exec(await readFile(join(chartDir, "Chart.yaml"), "utf8"))?.[1] ?? "";
  const lines = (validate.errors ?? []).map(describeSchemaError);
  throw new HelmRenderError(
    "values don't meet the specifications of the schema(s) in the following chart(s):\n" +
      `${chartName}:\n${[...new Set(lines)].join("\n")}`,
  );
}

/** One line per problem, as Helm lists them: `- image.digest: <what is wrong>`. */
function describeSchemaError(error: ErrorObject): string {
  const path = error.instancePath === "" ? "(root)" : error.instancePath.slice(1).replaceAll("/", ".");
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "additionalProperty" || error.keyword === "additionalProperties") {
    return `- ${path}: Additional property ${String(params["additionalProperty"])} is not allowed`;
  }
  if (error.keyword === "enum") {
    const allowed = (params["allowedValues"] as unknown[]).map((v) => JSON.stringify(v)).join(", ");
    return `- ${path}: must be one of the following: ${allowed}`;
  }
  return `- ${path}: ${error.message ?? error.keyword}`;
}
