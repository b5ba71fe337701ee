import { isDigest, shortDigest } from "../../core/artifact/digest.ts";
import { listLocalEnvironments } from "../../core/local/list-local-environments.ts";
import { localStatus } from "../../core/local/local-status.ts";
import type { EnvStatus } from "../../core/local/local-types.ts";
import { readDeployHistory } from "../../core/pipeline/deploy-history.ts";
import { formatDuration } from "../../core/pipeline/format.ts";
import type { Command, CommandOptions } from "../command.ts";
import type { CliContext } from "../context.ts";
import { envOption, parseOptions, refuseKubeOnlyFlags } from "../parse-options.ts";
import { pipelineDeps } from "../pipeline-deps.ts";
import { renderBarChart } from "../present/bar-chart.ts";
import { renderTable } from "../present/table.ts";
import { UsageError } from "../usage-error.ts";

const OPTIONS = {
  env: { type: "string" },
  target: { type: "string" },
  namespace: { type: "string" },
  kubeconfig: { type: "string" },
  context: { type: "string" },
  app: { type: "string" },
} as const satisfies CommandOptions;

const KUBE_ONLY = ["namespace", "kubeconfig", "context", "app"] as const;

export const statusCommand: Command = {
  name: "status",
  options: OPTIONS,
  summary: "show environments, the release each serves, and their history",
  help: `Usage: aether status [app] [options]

Without --env: one line per local environment. With --env: its URL, the release it serves
(process, restarts, uptime), its release history and the duration of its recent deploys.
A supervisor that died (crash, reboot) is started again and resumes the serving release.

With --target kubernetes: one line per Aether app in the namespace (the environment's only, with
--env): release, artifact digest, ready replicas and rollout state; naming an app adds its release
history as recorded on the cluster.

Options:
  --env NAME          one environment in detail
  --target NAME       local (default) or kubernetes
  --namespace NS      Kubernetes namespace (default: the kubeconfig context's, else default)
  --kubeconfig FILE   kubeconfig to use (default: KUBECONFIG, then ~/.kube/config)
  --context NAME      kubeconfig context to use (default: its current context)
  --app NAME          the same as [app]
  --json              print the status as JSON
  -h, --help          this help

Examples:
  aether status
  aether status --env production --json
  aether status web --target kubernetes --namespace shop`,
  async run(argv, ctx) {
    const parsed = parseOptions("status", argv, OPTIONS);
    const { values } = parsed;
    // `--app NAME` and a positional name are the same thing (deploy takes --app).
    const positionals = [
      ...new Set([...(values.app === undefined ? [] : [values.app]), ...parsed.positionals]),
    ];
    const target = values.target ?? "local";
    if (target === "kubernetes") return await kubeStatus(ctx, { positionals, values });
    if (target !== "local")
      throw new UsageError(`aether status: --target "${target}" is not local or kubernetes`);
    refuseKubeOnlyFlags("status", values, KUBE_ONLY);
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

/** `aether status --target kubernetes`: the Aether apps in a namespace, from their Deployments and history. */
async function kubeStatus(
  ctx: CliContext,
  request: {
    positionals: string[];
    values: { env?: string; namespace?: string; kubeconfig?: string; context?: string; json?: boolean };
  },
): Promise<number> {
  const { values } = request;
  const [app, ...extra] = request.positionals;
  if (extra.length > 0)
    throw new UsageError(`aether status: one app at most, got ${request.positionals.join(" ")}`);
  const env = values.env === undefined ? undefined : envOption("status", values.env);
  // Loaded here: the local target should not pay for the Kubernetes client.
  const [{ openKubeTarget }, { listKubeApps }] = await Promise.all([
    import("../../core/kube/open-kube-target.ts"),
    import("../../core/kube/list-kube-apps.ts"),
  ]);
  const { clients, namespace } = openKubeTarget({
    ...(values.kubeconfig === undefined ? {} : { kubeconfigPath: values.kubeconfig }),
    ...(values.context === undefined ? {} : { context: values.context }),
    ...(values.namespace === undefined ? {} : { namespace: values.namespace }),
  });
  const apps = await listKubeApps({
    clients,
    namespace,
    ...(env === undefined ? {} : { env }),
    ...(app === undefined ? {} : { app }),
  });
  if (values.json) {
    ctx.stdout.write(JSON.stringify(apps, null, 2) + "\n");
    return 0;
  }
  if (apps.length === 0) {
    const what = app === undefined ? "No Aether app" : `No app "${app}"`;
    ctx.stdout.write(
      `${what}${env === undefined ? "" : ` in environment ${env}`} in namespace "${namespace}".\n`,
    );
    return app === undefined ? 0 : 1;
  }
  ctx.stdout.write(
    renderTable(
      ["APP", "ENV", "RELEASE", "READY", "ROLLOUT", "ARTIFACT"],
      apps.map((s) => [
        s.app,
        s.env,
        s.release === undefined ? "-" : String(s.release),
        `${s.readyReplicas}/${s.replicas}`,
        s.rollout.state === "ready" ? "ready" : `${s.rollout.state}: ${s.rollout.message}`,
        s.digest !== undefined && isDigest(s.digest) ? shortDigest(s.digest) : (s.digest ?? "-"),
      ]),
    ),
  );
  if (app !== undefined) {
    for (const s of apps.filter((a) => a.history.length > 0)) {
      ctx.stdout.write(`\n  ${ctx.style.bold(`${s.app} (${s.env})`)} releases\n`);
      ctx.stdout.write(
        renderTable(
          ["RELEASE", "STATUS", "ARTIFACT", "AT", "NOTE"],
          s.history.map((r) => [
            String(r.release),
            r.status,
            isDigest(r.digest) ? shortDigest(r.digest) : r.digest,
            r.at.replace("T", " ").slice(0, 19),
            r.rolledBackTo === undefined ? "" : `rolled back to ${r.rolledBackTo}`,
          ]),
        ),
      );
    }
  }
  return 0;
}
