import { LineCounter, parseDocument } from "yaml";
import {
  CONFIG_PATH,
  CONFIG_SCHEMA,
  type AetherConfig,
  type AppConfig,
  type EnvironmentConfig,
  type PreviewConfig,
} from "./config-schema.ts";
import { parseDuration } from "./parse-duration.ts";
import { validateNode, type ConfigProblem } from "./validate-node.ts";

export type ParseConfigResult =
  { ok: true; config: AetherConfig } | { ok: false; problems: ConfigProblem[]; message: string };

/**
 * Reads `.github/aether.yml` text (as it is at the commit being deployed). Every problem is reported with
 * file, line, column and key path, all at once, so one fix-and-push round is enough.
 * @example parseConfig("version: 1\nprevews: {}\n") // problem at line 2: unknown key "prevews" (did you mean "previews"?)
 */
export function parseConfig(text: string, file: string = CONFIG_PATH): ParseConfigResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems: ConfigProblem[] = doc.errors.map((error) => ({
    path: "(syntax)",
    line: error.linePos?.[0].line ?? 1,
    column: error.linePos?.[0].col ?? 1,
    message: error.message.split("\n")[0] ?? "invalid YAML",
  }));
  if (problems.length === 0 && (doc.contents === null || doc.contents === undefined)) {
    problems.push({
      path: "(top level)",
      line: 1,
      column: 1,
      message: "is empty; it needs at least `version: 1`",
    });
  }
  if (problems.length > 0) return failure(file, problems);
  const raw = validateNode({
    schema: CONFIG_SCHEMA,
    node: doc.contents,
    path: [],
    at: undefined,
    lines,
    problems,
  });
  if (problems.length > 0) return failure(file, problems);
  const config = toConfig(raw as RawConfig);
  const apps = Object.entries(config.apps);
  for (const [name, app] of apps) {
    const twin = apps.find(([other, o]) => other < name && o.path === app.path);
    if (twin)
      problems.push({
        path: `apps.${name}.path`,
        line: lineOfKey(text, lines, name),
        column: 1,
        message: `is the same folder as apps.${twin[0]}`,
      });
  }
  for (const name of Object.keys(config.environments)) {
    if (/^pr-\d+$/.test(name)) {
      problems.push({
        path: `environments.${name}`,
        line: lineOfKey(text, lines, name),
        column: 1,
        message: "is named like a preview environment (pr-N); choose another name",
      });
    }
  }
  return problems.length > 0 ? failure(file, problems) : { ok: true, config };
}

interface RawConfig {
  version: 1;
  apps?: Record<string, AppConfig>;
  environments?: Record<string, Partial<EnvironmentConfig>>;
  previews: Omit<PreviewConfig, "ttlMs"> & { ttl: string };
  requireProvenance: boolean;
}

/** Fills what the file leaves out: one app at the root, a production environment on the default branch. */
function toConfig(raw: RawConfig): AetherConfig {
  const environments: Record<string, EnvironmentConfig> = {};
  for (const [name, env] of Object.entries(raw.environments ?? { production: {} })) {
    environments[name] = {
      ...env,
      requiredChecks: env.requiredChecks ?? [],
      deployers: env.deployers ?? [],
      restrictToDeployers: env.restrictToDeployers ?? false,
    };
  }
  const { ttl, ...previews } = raw.previews;
  return {
    version: 1,
    apps:
      raw.apps && Object.keys(raw.apps).length > 0 ? raw.apps : { app: { path: ".", healthPath: "/health" } },
    environments,
    previews: {
      ...previews,
      requiredChecks: previews.requiredChecks ?? [],
      ttlMs: parseDuration(ttl) ?? 0,
    },
    requireProvenance: raw.requireProvenance,
  };
}

function failure(file: string, problems: ConfigProblem[]): ParseConfigResult {
  const sorted = [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
  const message = [
    `${file} is not valid (${sorted.length} problem${sorted.length === 1 ? "" : "s"}):`,
    ...sorted.map((p) => `  ${file}:${p.line}:${p.column}: ${p.path} ${p.message}`),
  ].join("\n");
  return { ok: false, problems: sorted, message };
}

/** The line where a nested key is written, for problems found after validation. */
function lineOfKey(text: string, lines: LineCounter, key: string): number {
  const offset = text.search(new RegExp(`^\\s+${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*:`, "m"));
  return offset === -1 ? 1 : lines.linePos(offset).line + (text[offset] === "\n" ? 1 : 0);
}
