import { readLocalLogs } from "../../core/local/read-local-logs.ts";
import type { Command, CommandOptions } from "../command.ts";
import type { CliContext } from "../context.ts";
import { envOption, intOption, parseOptions, refuseKubeOnlyFlags } from "../parse-options.ts";
import { stateDirOf } from "../context.ts";
import { UsageError } from "../usage-error.ts";
import { parseSince } from "./parse-since.ts";

const OPTIONS = {
  env: { type: "string" },
  release: { type: "string" },
  follow: { type: "boolean", short: "f" },
  since: { type: "string" },
  tail: { type: "string" },
  target: { type: "string" },
  namespace: { type: "string" },
  kubeconfig: { type: "string" },
  context: { type: "string" },
  container: { type: "string" },
  app: { type: "string" },
} as const satisfies CommandOptions;

/** Options that only mean something on Kubernetes. */
const KUBE_ONLY = ["namespace", "kubeconfig", "context", "container", "app"] as const;

export const logsCommand: Command = {
  name: "logs",
  options: OPTIONS,
  summary: "print or follow an environment's logs",
  help: `Usage: aether logs [app] [options]

Prints the output of the release an environment serves (stdout, stderr, and Aether's own lines about
starts, exits and restarts). --follow keeps printing, across crash restarts and release switches.

With --target kubernetes: the logs of every pod of the app (every Aether app of the environment when
no app is named), merged in time order, each line prefixed by its pod. --follow picks up the pods of
new releases and restarted containers, and reconnects when a stream drops.

Options:
  --env NAME          environment (default: production)
  --release N         a specific release instead of the serving one (local target)
  -f, --follow        keep printing new lines until interrupted
  --since WHEN        only lines from WHEN on: 10m, 2h, 1d, or an ISO time
  --tail N            only the last N lines (of all pods together)
  --target NAME       local (default) or kubernetes
  --namespace NS      Kubernetes namespace (default: the kubeconfig context's, else default)
  --kubeconfig FILE   kubeconfig to use (default: KUBECONFIG, then ~/.kube/config)
  --context NAME      kubeconfig context to use (default: its current context)
  --container NAME    only this container of each pod (default: all app containers)
  --app NAME          the same as [app]
  --json              one JSON object per line
  -h, --help          this help

Examples:
  aether logs --follow
  aether logs --env staging --since 10m --tail 100
  aether logs web --target kubernetes --namespace shop --follow`,
  async run(argv, ctx) {
    const parsed = parseOptions("logs", argv, OPTIONS);
    const { values } = parsed;
    // `--app NAME` and a positional name are the same thing (deploy takes --app).
    const positionals = [
      ...new Set([...(values.app === undefined ? [] : [values.app]), ...parsed.positionals]),
    ];
    const envName = envOption("logs", values.env);
    const release = intOption("logs", "release", values.release);
    const tail = intOption("logs", "tail", values.tail);
    const since = values.since === undefined ? undefined : parseSince(values.since, new Date());
    if (since === null)
      throw new UsageError(`aether logs: --since "${values.since}" is not 10m, 2h, 1d or an ISO time`);
    const target = values.target ?? "local";
    if (target !== "local" && target !== "kubernetes")
      throw new UsageError(`aether logs: --target "${target}" is not local or kubernetes`);
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once("SIGINT", stop);
    try {
      if (target === "kubernetes") {
        if (release !== undefined)
          throw new UsageError(
            "aether logs: --release is for the local target; Kubernetes shows the pods running now",
          );
        if (positionals.length > 1)
          throw new UsageError(`aether logs: one app at most, got ${positionals.join(" ")}`);
        return await kubeLogs(ctx, {
          app: positionals[0],
          envName,
          follow: values.follow === true,
          json: values.json === true,
          tail,
          since,
          signal: controller.signal,
          values,
        });
      }
      refuseKubeOnlyFlags("logs", values, KUBE_ONLY);
      for await (const line of readLocalLogs({
        stateDir: stateDirOf(ctx),
        envName,
        ...(release === undefined ? {} : { release }),
        ...(tail === undefined ? {} : { tail }),
        ...(since === undefined ? {} : { since }),
        follow: values.follow === true,
        signal: controller.signal,
      })) {
        if (values.json) {
          ctx.stdout.write(JSON.stringify(line) + "\n");
        } else {
          const prefix = ctx.style.dim(`${line.t.slice(11, 23)} r${line.release ?? "?"}`);
          const text =
            line.stream === "stderr"
              ? ctx.style.warn(line.line)
              : line.stream === "aether"
                ? ctx.style.accent(line.line)
                : line.line;
          ctx.stdout.write(`${prefix} ${text}\n`);
        }
      }
    } finally {
      process.off("SIGINT", stop);
    }
    return 0;
  },
};

/** `aether logs --target kubernetes`: every pod of the app, merged by time. */
async function kubeLogs(
  ctx: CliContext,
  request: {
    app: string | undefined;
    envName: string;
    follow: boolean;
    json: boolean;
    tail: number | undefined;
    since: Date | undefined;
    signal: AbortSignal;
    values: { namespace?: string; kubeconfig?: string; context?: string; container?: string };
  },
): Promise<number> {
  // Loaded here: the local target should not pay for the Kubernetes client.
  const [
    { openKubeTarget },
    { streamAppLogs },
    { appSelector, LABELS, MANAGER },
    { labelValue },
    { createRedactor },
    { timeKey },
  ] = await Promise.all([
    import("../../core/kube/open-kube-target.ts"),
    import("../../core/kube/stream-app-logs.ts"),
    import("../../core/kube/kube-labels.ts"),
    import("../../core/kube/kube-names.ts"),
    import("../../core/redact/redact.ts"),
    import("../../core/kube/parse-kube-log-line.ts"),
  ]);
  const { values } = request;
  const { clients, namespace } = openKubeTarget({
    ...(values.kubeconfig === undefined ? {} : { kubeconfigPath: values.kubeconfig }),
    ...(values.context === undefined ? {} : { context: values.context }),
    ...(values.namespace === undefined ? {} : { namespace: values.namespace }),
  });
  const selector =
    request.app === undefined
      ? { [LABELS.managedBy]: MANAGER, [LABELS.environment]: labelValue(request.envName) }
      : appSelector({ app: request.app, env: request.envName });
  const { style } = ctx;
  const result = await streamAppLogs({
    clients,
    namespace,
    selector,
    follow: request.follow,
    ...(request.tail === undefined ? {} : { tailLines: request.tail }),
    ...(request.since === undefined ? {} : { since: request.since }),
    ...(values.container === undefined ? {} : { container: values.container }),
    signal: request.signal,
    redact: createRedactor(),
    onNotice: (message) => ctx.stderr.write(`${style.dim(message)}\n`),
    onLine: (line) => {
      if (request.json) {
        ctx.stdout.write(JSON.stringify(line) + "\n");
        return;
      }
      // Aether's pods run one container, "app": naming it on every line would only add noise.
      const where =
        line.container === "app" || values.container !== undefined
          ? line.pod
          : `${line.pod}/${line.container}`;
      ctx.stdout.write(
        `${style.dim((timeKey(line.time) ?? line.time).slice(11, 23))} ${style.accent(where)} ${line.line}\n`,
      );
    },
  });
  if (result.pods.length === 0 && !request.follow) {
    const what =
      request.app === undefined
        ? `Aether app of "${request.envName}"`
        : `"${request.app}" (${request.envName})`;
    ctx.stderr.write(`No pod of ${what} in namespace "${namespace}".\n`);
    return 1;
  }
  return 0;
}
