import { formatDuration } from "../pipeline/format.ts";
import type { Redact } from "../redact/redact.ts";
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

/**
 * The check run of a deploy, redrawn as phases finish: a title, a summary with one line per phase, and the
 * Roll back / Redeploy buttons once it is over. Text from the app or build goes through `redact`.
 */
export function renderCheckRun(request: {
  env: string;
  sha: string;
  progress: readonly PhaseState[];
  url?: string;
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
  ].join("\n");
  return {
    name: `Aether · deploy ${env}`,
    status: finished ? "completed" : "in_progress",
    ...(finished ? { conclusion: failed ? ("failure" as const) : ("success" as const) } : {}),
    output: { title, summary },
    actions: finished ? CHECK_RUN_ACTIONS : [],
  };
}

function escape(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}
