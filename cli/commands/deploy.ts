import { resolve } from "node:path";
import { deployApp } from "../../core/pipeline/deploy-app.ts";
import {
  appendDeployRecord,
  firstSuccessfulTotal,
  readDeployHistory,
} from "../../core/pipeline/deploy-history.ts";
import type { Command, CommandOptions } from "../command.ts";
import { envOption, intOption, parseOptions, refuseKubeOnlyFlags } from "../parse-options.ts";
import { pipelineDeps } from "../pipeline-deps.ts";
import { provenanceSetup } from "../provenance-setup.ts";
import { createProgressRenderer } from "../present/progress-renderer.ts";
import { renderDeploySummary } from "../present/deploy-summary.ts";
import { UsageError } from "../usage-error.ts";
import { parseEnvAssignments } from "./env-assignments.ts";

const OPTIONS = {
  env: { type: "string" },
  target: { type: "string" },
  store: { type: "string" },
  port: { type: "string" },
  "health-timeout": { type: "string" },
  set: { type: "string", short: "e", multiple: true },
  kubeconfig: { type: "string" },
  context: { type: "string" },
  namespace: { type: "string" },
  host: { type: "string" },
  app: { type: "string" },
  "runtime-image": { type: "string" },
  "fetcher-image": { type: "string" },
} as const satisfies CommandOptions;

/** Flags that only mean something with --target kubernetes. */
const KUBE_ONLY = [
  "kubeconfig",
  "context",
  "namespace",
  "host",
  "app",
  "runtime-image",
  "fetcher-image",
] as const;

export const deployCommand: Command = {
  name: "deploy",
  options: OPTIONS,
  summary: "build an app and release it (local machine or Kubernetes)",
  help: `Usage: aether deploy [dir] [options]

Builds the app in dir (default: the current folder) into a content-addressed artifact, stores it,
and releases it to an environment. The new release starts beside the old one and takes over only
once GET <health path> answers 200; if it never does, the old release keeps serving.

With --target kubernetes the release is applied to the cluster of your kubeconfig (server-side
apply) and its rollout watched; if it does not become ready, Aether says why (image pull, crash
loop with the last log lines, failing readiness probe) and rolls back to the previous release.

Options:
  --env NAME             environment (default: production)
  --target NAME          local (default: a supervised process on this machine) or kubernetes
  --store URL            artifact store: file:///path, s3://bucket/prefix (default: .aether/store)
  --port N               public port on the environment's first deploy (local; default: first free from 4100)
  --health-timeout S     seconds to wait for the health path, or for the rollout on Kubernetes
                         (default: 30 local, 180 kubernetes)
  -e, --set KEY=VALUE    environment variable for the app (repeatable; a Secret on Kubernetes)
  --json                 print one JSON report instead of the progress display
  -h, --help             this help

Kubernetes options (with --target kubernetes):
  --kubeconfig FILE      kubeconfig to use (default: KUBECONFIG, then ~/.kube/config)
  --context NAME         kubeconfig context (default: its current context)
  --namespace NS         namespace to deploy into (default: the context's namespace, else default)
  --host HOST            public host name: adds an Ingress for it (default: no Ingress)
  --app NAME             app name on the cluster (default: the folder's name)
  --runtime-image IMAGE  runtime base image (default: Aether's image for the app's runtime;
                         or AETHER_RUNTIME_IMAGE)
  --fetcher-image IMAGE  artifact fetcher image (default: Aether's; or AETHER_FETCHER_IMAGE)

Examples:
  aether deploy examples/node-express
  aether deploy . --env staging --port 5000
  aether deploy --store s3://my-bucket/aether --json
  aether deploy --target kubernetes --store s3://my-bucket/aether --namespace shop --host shop.example.com`,
  async run(argv, ctx) {
    const { values, positionals } = parseOptions("deploy", argv, OPTIONS);
    if (positionals.length > 1)
      throw new UsageError(`aether deploy: expected one folder, got ${positionals.join(" ")}`);
    const target = values.target ?? "local";
    if (target !== "local" && target !== "kubernetes") {
      throw new UsageError(
        `aether deploy: unknown --target "${target}" (this version deploys to: local, kubernetes)`,
      );
    }
    const envName = envOption("deploy", values.env);
    const port = intOption("deploy", "port", values.port);
    const healthSeconds = intOption("deploy", "health-timeout", values["health-timeout"]);
    const appEnv = parseEnvAssignments(values.set ?? []);
    ctx.addSecrets(Object.values(appEnv));
    const dir = resolve(ctx.cwd, positionals[0] ?? ".");
    if (target === "kubernetes") {
      if (port !== undefined) throw new UsageError("aether deploy: --port is for the local target");
      // Loaded here: the local target should not pay for the Kubernetes client.
      const { deployToKubernetes } = await import("./deploy-kubernetes.ts");
      return deployToKubernetes(ctx, { dir, envName, appEnv, healthSeconds, flags: values, argv });
    }
    refuseKubeOnlyFlags("deploy", values, KUBE_ONLY);
    const deps = pipelineDeps(ctx, values.store);
    const renderer = values.json
      ? undefined
      : createProgressRenderer({ out: ctx.stdout, interactive: ctx.interactive, style: ctx.style });
    if (!values.json)
      ctx.stdout.write(
        `\n  ${ctx.style.bold("aether deploy")} ${ctx.style.dim(`${dir} → local/${envName}`)}\n\n`,
      );
    const { attest, requirements } = await provenanceSetup(ctx);
    const report = await deployApp({
      ...deps,
      ...(attest ? { attest } : {}),
      provenance: requirements,
      dir,
      envName,
      ...(port === undefined ? {} : { port }),
      ...(healthSeconds === undefined ? {} : { healthTimeoutMs: healthSeconds * 1000 }),
      appEnv,
      onEvent: (event) => renderer?.onEvent(event),
    }).finally(() => renderer?.stop());
    const history = await readDeployHistory({ stateDir: deps.stateDir, envName });
    await appendDeployRecord({ stateDir: deps.stateDir, record: { at: new Date().toISOString(), report } });
    if (values.json) {
      ctx.stdout.write(JSON.stringify(report, null, 2) + "\n");
    } else {
      ctx.stdout.write(
        renderDeploySummary({
          report,
          firstTotal: firstSuccessfulTotal(history),
          invokedAs: ctx.invokedAs,
          retry: `${ctx.invokedAs} ${["deploy", ...argv.filter((a) => a !== "--json")].join(" ")}`,
          style: ctx.style,
        }),
      );
    }
    return report.ok ? 0 : 1;
  },
};
