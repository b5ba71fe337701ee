import { shortDigest } from "../../core/artifact/digest.ts";
import { listLocalEnvironments } from "../../core/local/list-local-environments.ts";
import { localStatus } from "../../core/local/local-status.ts";
import type { EnvStatus } from "../../core/local/local-types.ts";
import { readDeployHistory } from "../../core/pipeline/deploy-history.ts";
import { formatDuration } from "../../core/pipeline/format.ts";
import type { Command, CommandOptions } from "../command.ts";
import type { CliContext } from "../context.ts";
import { envOption, parseOptions } from "../parse-options.ts";
import { pipelineDeps } from "../pipeline-deps.ts";
import { renderBarChart } from "../present/bar-chart.ts";
import { renderTable } from "../present/table.ts";

const OPTIONS = { env: { type: "string" } } as const satisfies CommandOptions;

export const statusCommand: Command = {
  name: "status",
  options: OPTIONS,
  summary: "show environments, the release each serves, and their history",
  help: `Usage: aether status [options]

Without --env: one line per local environment. With --env: its URL, the release it serves
(process, restarts, uptime), its release history and the duration of its recent deploys.
A supervisor that died (crash, reboot) is started again and resumes the serving release.

Options:
  --env NAME     one environment in detail
  --json         print the status as JSON
  -h, --help     this help

Examples:
  aether status
  aether status --env production --json`,
  async run(argv, ctx) {
    const { values } = parseOptions("status", argv, OPTIONS);
    const { stateDir, launchSupervisor } = pipelineDeps(ctx, undefined);
    if (values.env === undefined) {
      const all = await listLocalEnvironments(stateDir);
      if (values.json) {
        ctx.stdout.write(JSON.stringify(all, null, 2) + "\n");
      } else if (all.length === 0) {
        ctx.stdout.write(
          `No environments yet. Deploy one with: ${ctx.invokedAs} deploy examples/node-express\n`,
        );
      } else {
        ctx.stdout.write(renderEnvList(all));
      }
      return 0;
    }
    const envName = envOption("status", values.env);
    const status = await localStatus({ stateDir, envName, launchSupervisor });
    const deploys = await readDeployHistory({ stateDir, envName });
    if (values.json) {
      ctx.stdout.write(JSON.stringify({ ...status, deploys }, null, 2) + "\n");
      return 0;
    }
    ctx.stdout.write(renderEnvDetail(status, ctx));
    const recent = deploys.slice(-10);
    if (recent.length > 0) {
      ctx.stdout.write(`\n  Recent deploys (total time)\n`);
      ctx.stdout.write(
        renderBarChart(
          recent.map((d) => ({
            label: `${d.at.slice(5, 16).replace("T", " ")} ${d.report.ok ? "✔" : "✖"}`,
            value: d.report.timings.total,
            text: formatDuration(d.report.timings.total),
          })),
        ),
      );
    }
    return 0;
  },
};

function renderEnvList(all: EnvStatus[]): string {
  return renderTable(
    ["ENV", "URL", "RELEASE", "STATE", "RESTARTS", "UPTIME", "ARTIFACT"],
    all.map((s) => [
      s.envName,
      s.url ?? "-",
      s.current ? String(s.current.release) : "-",
      s.current ? s.current.state : s.running ? "idle" : "stopped",
      s.current ? String(s.current.restarts) : "-",
      s.current?.uptimeMs === undefined ? "-" : formatDuration(s.current.uptimeMs),
      s.current ? shortDigest(s.current.digest) : "-",
    ]),
  );
}

function renderEnvDetail(s: EnvStatus, ctx: CliContext): string {
  const { style } = ctx;
  const lines = [
    "",
    `  ${style.bold(s.envName)}  ${s.url ? style.accent(s.url) : style.dim("(no URL yet)")}`,
    `  supervisor: ${s.running ? `running, pid ${s.supervisorPid}` : "stopped"}`,
  ];
  if (s.current) {
    const c = s.current;
    lines.push(
      `  serving: release ${c.release}${c.rollbackOf === undefined ? "" : ` (rollback of ${c.rollbackOf})`} · ` +
        `${c.state}${c.pid === undefined ? "" : ` · pid ${c.pid}`} · restarts ${c.restarts}` +
        `${c.uptimeMs === undefined ? "" : ` · up ${formatDuration(c.uptimeMs)}`}`,
      `  artifact: ${c.digest}`,
    );
  }
  if (s.deploying !== undefined) lines.push(`  deploying: release ${s.deploying}`);
  lines.push("", "");
  return (
    lines.join("\n") +
    renderTable(
      ["RELEASE", "STATUS", "ARTIFACT", "CREATED", "NOTE"],
      s.history.map((r) => [
        String(r.number),
        r.status,
        shortDigest(r.digest),
        r.createdAt.replace("T", " ").slice(0, 19),
        r.rollbackOf === undefined ? (r.reason ?? "") : `rollback of ${r.rollbackOf}`,
      ]),
    )
  );
}
