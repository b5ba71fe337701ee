import { formatDuration } from "../pipeline/format.ts";
import { latencyMarkdown } from "./latency-markdown.ts";
import type { Redact } from "../redact/redact.ts";
import type { BuildBytes, BuildTimings } from "../store/store.ts";
import type { PhaseState } from "./phase-progress.ts";

/** The buttons on a finished check run (GitHub's requested actions: label ≤ 20, identifier ≤ 20). */
export const CHECK_RUN_ACTIONS = [
  { label: "Roll back", description: "Serve the previous release again", identifier: "rollback" },
  { label: "Redeploy", description: "Deploy this commit again", identifier: "redeploy" },
] as const;

export interface CheckRunOutput {
  name: string;
  status: "in_progress" | "completed";
  conclusion?: "success" | "failure";
  output: { title: string; summary: string };
  actions: typeof CHECK_RUN_ACTIONS | [];
}

const MARK: Record<PhaseState["state"], string> = { pending: "⚪", running: "🔵", done: "✅", failed: "❌" };

/** What the build recorded with its artifact (the store's RefRecord): it ran in the user's Actions run. */
export interface BuildFigures {
  timings?: BuildTimings;
  bytes?: BuildBytes;
}

/**
 * The check run of a deploy, redrawn as phases finish: a title, a summary with one line per phase, and the
 * Roll back / Redeploy buttons once it is over; with the build's figures, a successful deploy ends with the
 * latency table from build to healthy. Text from the app or build goes through `redact`.
 */
export function renderCheckRun(request: {
  env: string;
  sha: string;
  progress: readonly PhaseState[];
  url?: string;
  build?: BuildFigures;
  redact: Redact;
}): CheckRunOutput {
  const { env, progress, redact } = request;
  const failed = progress.find((p) => p.state === "failed");
  const finished = failed !== undefined || progress.every((p) => p.state === "done");
  const lines = progress.map((p) => {
    const mark = MARK[p.state];
    switch (p.state) {
      case "pending":
        return `| ${mark} | ${p.phase} | | |`;
      case "running":
        return `| ${mark} | **${p.phase}** | ${escape(redact(p.note ?? "running…"))} | |`;
      case "done":
        return `| ${mark} | ${p.phase} | ${escape(redact(p.detail))} | ${formatDuration(p.ms)} |`;
      case "failed":
        return `| ${mark} | **${p.phase}** | ${escape(redact(p.message))} | ${formatDuration(p.ms)} |`;
    }
  });
  const total = progress.reduce((sum, p) => sum + ("ms" in p ? p.ms : 0), 0);
  const title = failed
    ? `Deploy to ${env} failed at ${failed.phase}`
    : finished
      ? `Deployed ${request.sha.slice(0, 7)} to ${env} in ${formatDuration(total)}`
      : `Deploying ${request.sha.slice(0, 7)} to ${env}…`;
  const summary = [
    ...(finished && !failed && request.url ? [`**Live at ${request.url}**`, ""] : []),
    "| | phase | | time |",
    "|---|---|---|---|",
    ...lines,
    ...(finished && !failed && request.build ? latencyTable(progress, request.build) : []),
  ].join("\n");
  return {
    name: `Aether · deploy ${env}`,
    status: finished ? "completed" : "in_progress",
    ...(finished ? { conclusion: failed ? ("failure" as const) : ("success" as const) } : {}),
    output: { title, summary },
    actions: finished ? CHECK_RUN_ACTIONS : [],
  };
}

/**
 * The latency of the whole deploy, from the build (recorded by the builder) to healthy (measured here);
 * none when the builder recorded no timings (records from older builders).
 */
function latencyTable(progress: readonly PhaseState[], build: BuildFigures): string[] {
  if (build.timings === undefined) return [];
  const msOf = (phase: string): number => {
    const entry = progress.find((p) => p.phase === phase);
    return entry !== undefined && "ms" in entry ? entry.ms : 0;
  };
  const phases = {
    build: build.timings.buildMs,
    upload: build.timings.uploadMs,
    start: msOf("start"),
    healthy: msOf("healthy"),
  };
  const total = phases.build + phases.upload + phases.start + phases.healthy;
  return [
    "",
    `**Latency**, build to healthy: ${formatDuration(total)}`,
    "",
    latencyMarkdown({
      timings: { ...phases, total },
      ...(build.bytes ? { bytesUploaded: build.bytes.uploaded, bytesReused: build.bytes.reused } : {}),
    }),
  ];
}

function escape(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}
