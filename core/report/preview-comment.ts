import { shortDigest, type Digest } from "../artifact/digest.ts";
import { formatDuration } from "../pipeline/format.ts";
import type { Phase } from "../pipeline/pipeline-events.ts";
import type { Redact } from "../redact/redact.ts";
import { COMMAND_USAGE } from "../commands/parse-command.ts";
import { latencyMarkdown, type Timings } from "./latency-markdown.ts";

/** The hidden marker that finds the one sticky comment of an environment again (never a second one). */
export function commentMarker(env: string): string {
  return `<!-- aether:comment env=${env} -->`;
}

export interface PreviewCommentState {
  env: string;
  status: "deploying" | "ready" | "failed" | "closed" | "expired";
  url?: string;
  commit: { sha: string; message: string };
  artifact?: { digest: Digest; provenance: "verified" | "unverified"; sbomComponents?: number };
  database?: { name: string; template?: string; readyMs?: number };
  expiresAt?: string;
  timings?: Timings;
  bytesUploaded?: number;
  bytesReused?: number;
  responseTimes?: { preview: { p50: number; p95: number }; production?: { p50: number; p95: number } };
  failure?: { phase: Phase; message: string; logTail: string[] };
}

/**
 * The sticky PR comment: what is live where, from which commit and artifact, its database, the latency of
 * this deploy, and on failure which phase failed with the last log lines. Every piece of text that came from
 * the app or the build goes through `redact`.
 */
export function renderPreviewComment(state: PreviewCommentState, redact: Redact): string {
  const lines: string[] = [commentMarker(state.env)];
  const host = state.url?.replace(/^https?:\/\//, "");
  switch (state.status) {
    case "deploying":
      lines.push(`### ⏳ Deploying preview \`${state.env}\` from \`${state.commit.sha.slice(0, 7)}\``);
      break;
    case "ready":
      lines.push(`### 🚀 Preview ready: [${host}](${state.url})`);
      break;
    case "failed":
      lines.push(`### ❌ Preview \`${state.env}\` failed at **${state.failure?.phase ?? "deploy"}**`);
      break;
    case "closed":
      lines.push(`### 🧹 Preview \`${state.env}\` removed: the pull request was closed`);
      break;
    case "expired":
      lines.push(
        `### ⌛ Preview \`${state.env}\` expired and was removed: no push or \`/preview extend\` within its ` +
          "time to live. Push a commit or comment `/deploy` to bring it back",
      );
      break;
  }
  const rows: [string, string][] = [
    [
      "Commit",
      `\`${state.commit.sha.slice(0, 7)}\` "${escapeCell(redact(state.commit.message.split("\n")[0] ?? ""))}"`,
    ],
  ];
  if (state.artifact) {
    const sbom =
      state.artifact.sbomComponents === undefined
        ? ""
        : ` · SBOM ${state.artifact.sbomComponents} components`;
    const provenance =
      state.artifact.provenance === "verified" ? "provenance ✔ verified" : "provenance ⚠ unverified";
    rows.push(["Artifact", `\`${shortDigest(state.artifact.digest)}\` · ${provenance}${sbom}`]);
  }
  if (state.database) {
    const template = state.database.template ? ` from template \`${state.database.template}\`` : "";
    const ready =
      state.database.readyMs === undefined ? "" : ` · ready in ${formatDuration(state.database.readyMs)}`;
    rows.push(["Database", `\`${state.database.name}\`${template}${ready}`]);
  }
  if (state.expiresAt && state.status !== "closed" && state.status !== "expired") {
    rows.push(["Expires", `${state.expiresAt}, or when this PR closes (\`/preview extend\`)`]);
  }
  lines.push("| | |", "|---|---|", ...rows.map(([k, v]) => `| ${k} | ${v} |`));
  if (state.timings) {
    lines.push(
      "",
      `**Latency** (this deploy: ${formatDuration(state.timings.total)})`,
      latencyMarkdown({
        timings: state.timings,
        ...(state.bytesUploaded === undefined ? {} : { bytesUploaded: state.bytesUploaded }),
        ...(state.bytesReused === undefined ? {} : { bytesReused: state.bytesReused }),
      }),
    );
  }
  if (state.responseTimes) {
    const { preview, production } = state.responseTimes;
    const prod = production ? ` — production p50 ${production.p50} ms · p95 ${production.p95} ms` : "";
    lines.push("", `**Response time after rollout**: p50 ${preview.p50} ms · p95 ${preview.p95} ms${prod}`);
  }
  if (state.status === "failed" && state.failure) {
    lines.push("", `> ${escapeQuote(redact(state.failure.message))}`);
    if (state.failure.logTail.length > 0) {
      lines.push(
        "",
        "<details><summary>Last log lines</summary>",
        "",
        "```",
        ...state.failure.logTail.slice(-20).map((l) => redact(l).replaceAll("```", "ʼʼʼ")),
        "```",
        "</details>",
        "",
        "Retry with `/deploy`.",
      );
    }
  }
  lines.push("", `<sub>Commands: ${COMMAND_USAGE.map((c) => `\`${c}\``).join(" · ")}</sub>`);
  return lines.join("\n") + "\n";
}

function escapeCell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("`", "ʼ");
}

function escapeQuote(text: string): string {
  return text.split("\n").join("\n> ");
}
