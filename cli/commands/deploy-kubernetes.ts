import { basename } from "node:path";
import { shortDigest } from "../../core/artifact/digest.ts";
import { deployKube, type KubeDeployEvent, type KubeDeployOutcome } from "../../core/kube/deploy-kube.ts";
import { kubeRequest } from "../../core/kube/kube-request.ts";
import { kubeRuntimeImages } from "../../core/kube/kube-runtime-images.ts";
import { openKubeTarget } from "../../core/kube/open-kube-target.ts";
import { buildArtifact, type BuiltArtifact } from "../../core/pipeline/build-artifact.ts";
import { checkProvenance } from "../../core/pipeline/check-provenance.ts";
import type { DeployReport } from "../../core/pipeline/deploy-app.ts";
import { formatBytes, formatDuration } from "../../core/pipeline/format.ts";
import { PhaseError, type Phase, type PipelineEvent } from "../../core/pipeline/pipeline-events.ts";
import type { CliContext } from "../context.ts";
import { pipelineDeps } from "../pipeline-deps.ts";
import { provenanceSetup } from "../provenance-setup.ts";
import { createProgressRenderer } from "../present/progress-renderer.ts";
import { renderTable } from "../present/table.ts";

/** The flags `aether deploy --target kubernetes` reads. */
export interface KubeDeployFlags {
  store?: string | undefined;
  kubeconfig?: string | undefined;
  context?: string | undefined;
  namespace?: string | undefined;
  host?: string | undefined;
  app?: string | undefined;
  "runtime-image"?: string | undefined;
  "fetcher-image"?: string | undefined;
  json?: boolean | undefined;
}

// The progress display and the report speak the pipeline's phases: applying the objects is the release's
// `start`, the watched rollout its `healthy`.
const PHASE_OF = { apply: "start", rollout: "healthy", rollback: "healthy" } as const satisfies Record<
  KubeDeployEvent["phase"],
  Phase
>;

/**
 * `aether deploy --target kubernetes`: build and store the artifact, then core/kube's deployKube against the
 * kubeconfig's cluster. Returns the exit code.
 */
export async function deployToKubernetes(
  ctx: CliContext,
  input: {
    dir: string;
    envName: string;
    appEnv: Record<string, string>;
    healthSeconds: number | undefined;
    flags: KubeDeployFlags;
    argv: string[];
  },
): Promise<number> {
  const { flags, envName } = input;
  const app = flags.app ?? basename(input.dir);
  const kubeconfigPath = flags.kubeconfig ?? singleKubeconfig(ctx.env["KUBECONFIG"]);
  const started = ctx.clock();
  const fail = (message: string, rest: Partial<DeployReport> = {}): number => {
    const report = { ok: false, envName, target: "kubernetes", layers: [], bytesUploaded: 0, bytesReused: 0 };
    if (flags.json) {
      const timings = { total: ctx.clock() - started };
      ctx.stdout.write(JSON.stringify({ ...report, timings, ...rest, message }, null, 2) + "\n");
    } else ctx.stderr.write(`\n  ${ctx.style.fail("✖")} ${message}\n`);
    return 1;
  };
  let target: ReturnType<typeof openKubeTarget>;
  try {
    target = openKubeTarget({
      ...(kubeconfigPath === undefined ? {} : { kubeconfigPath }),
      ...(flags.context === undefined ? {} : { context: flags.context }),
      ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }),
    });
    // Before a build that may take minutes: is the cluster there and do the credentials work?
    await kubeRequest(target.clients, {
      method: "GET",
      path: "/version",
      operation: { verb: "get", resource: "version" },
    });
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  const { clients, namespace, server } = target;
  const deps = pipelineDeps(ctx, flags.store);
  const renderer = flags.json
    ? undefined
    : createProgressRenderer({ out: ctx.stdout, interactive: ctx.interactive, style: ctx.style });
  if (!flags.json) {
    const where = `kubernetes/${namespace}/${envName}`;
    ctx.stdout.write(
      `\n  ${ctx.style.bold("aether deploy")} ${ctx.style.dim(`${input.dir} → ${where}`)}\n\n`,
    );
  }
  const onEvent = (event: PipelineEvent) => renderer?.onEvent(event);
  let built: BuiltArtifact;
  let provenance: string;
  try {
    const { attest, requirements } = await provenanceSetup(ctx);
    built = await buildArtifact({ ...deps, ...(attest ? { attest } : {}), dir: input.dir, onEvent });
    // The same rule as the local target: what the cluster runs is what was verified (or labelled not).
    const decision = await checkProvenance({
      store: deps.store,
      digest: built.digest,
      ...(built.manifest.sbom ? { sbomDigest: built.manifest.sbom.digest } : {}),
      requirements,
    });
    if (!decision.proceed) {
      renderer?.stop();
      return fail(`provenance: ${decision.message}`, { digest: built.digest });
    }
    provenance = decision.label;
  } catch (error) {
    renderer?.stop();
    if (!(error instanceof PhaseError)) throw error;
    return fail(`${error.phase}: ${error.message}`, {
      failure: { phase: error.phase, message: error.message, logTail: error.logTail },
    });
  }
  if (deps.store.url.startsWith("file:") && !flags.json) {
    ctx.stdout.write(
      `  ${ctx.style.warn("⚠")} the store is a folder on this machine: the cluster's fetcher can read it only if it is mounted at the same path (use an s3:// store)\n`,
    );
  }
  const images = kubeRuntimeImages({
    runtime: built.manifest.runtime.name,
    runtimeImage: flags["runtime-image"] ?? ctx.env["AETHER_RUNTIME_IMAGE"],
    fetcherImage: flags["fetcher-image"] ?? ctx.env["AETHER_FETCHER_IMAGE"],
  });
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  const phaseMs: Partial<Record<KubeDeployEvent["phase"], number>> = {};
  let outcome: KubeDeployOutcome;
  try {
    outcome = await deployKube({
      clients,
      app,
      env: envName,
      namespace,
      repository: ctx.env["GITHUB_REPOSITORY"] ?? `local/${app}`,
      digest: built.digest,
      manifest: built.manifest,
      storeUrl: deps.store.url,
      ...images,
      ...(flags.host === undefined ? {} : { host: flags.host }),
      envVars: input.appEnv,
      ...(input.healthSeconds === undefined ? {} : { timeoutMs: input.healthSeconds * 1000 }),
      clock: ctx.clock,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === "phase-finished" || event.type === "phase-failed") phaseMs[event.phase] = event.ms;
        if (event.phase === "rollback") return drawRollback(ctx, event, flags.json === true);
        onEvent({ ...event, phase: PHASE_OF[event.phase] });
      },
    });
  } finally {
    renderer?.stop();
    process.off("SIGINT", stop);
  }
  const kubeEnded = ctx.clock();
  const report: DeployReport = {
    ok: outcome.ok,
    envName,
    target: "kubernetes",
    digest: built.digest,
    runtime: built.manifest.runtime.name,
    provenance,
    ...(outcome.ok ? { release: outcome.release, ...(outcome.url ? { url: outcome.url } : {}) } : {}),
    layers: built.layers,
    bytesUploaded: built.bytesUploaded,
    bytesReused: built.bytesReused,
    timings: {
      ...built.timings,
      ...(phaseMs.apply === undefined ? {} : { start: phaseMs.apply }),
      ...(phaseMs.rollout === undefined ? {} : { healthy: phaseMs.rollout }),
      total: kubeEnded - started,
    },
    ...(outcome.ok
      ? {}
      : {
          failure: {
            phase: PHASE_OF[outcome.phase],
            message: outcome.message,
            logTail: outcome.logTail,
          },
        }),
  };
  const kubernetes = {
    namespace,
    server,
    app,
    ...images,
    ...(phaseMs.rollback === undefined ? {} : { rollbackMs: phaseMs.rollback }),
    outcome,
  };
  if (flags.json) ctx.stdout.write(JSON.stringify({ ...report, kubernetes }, null, 2) + "\n");
  else ctx.stdout.write(renderKubeSummary(ctx, { report, outcome, namespace, app, argv: input.argv }));
  return outcome.ok ? 0 : 1;
}

/** The rollback's row, drawn as the progress display draws a phase (it is not one of the pipeline's). */
function drawRollback(ctx: CliContext, event: KubeDeployEvent, json: boolean): void {
  if (json || event.type === "phase-started" || event.type === "progress") return;
  const mark = event.type === "phase-finished" ? ctx.style.warn("↺") : ctx.style.fail("✖");
  const text = (event.type === "phase-finished" ? event.detail : event.message.split("\n")[0]) ?? "";
  const time = formatDuration(event.ms);
  const room = Math.max(40, (ctx.stdout.columns ?? 100) - 1) - 10 - time.length - 8;
  const detail = text.length <= room ? text.padEnd(room) : `${text.slice(0, room - 1)}…`;
  ctx.stdout.write(`  ${mark} ${"rollback".padEnd(10)} ${detail} ${ctx.style.dim(time)}\n`);
}

function renderKubeSummary(
  ctx: CliContext,
  input: { report: DeployReport; outcome: KubeDeployOutcome; namespace: string; app: string; argv: string[] },
): string {
  const { report, outcome, namespace, app } = input;
  const { style } = ctx;
  const lines: string[] = [""];
  const where = `kubernetes/${namespace}/${report.envName}`;
  if (outcome.ok) {
    lines.push(
      outcome.url
        ? `  ${style.bold("Live at")} ${style.accent(outcome.url)}  ${style.dim(`(${where}, release ${outcome.release})`)}`
        : `  ${style.bold("Ready")} ${style.dim(`(${where}, release ${outcome.release}; no --host, so no Ingress: kubectl -n ${namespace} port-forward svc/${app} 8080:80)`)}`,
    );
  } else {
    for (const line of outcome.message.split("\n")) lines.push(`  ${style.fail("✖")} ${line}`);
    for (const line of outcome.explanation) lines.push(`    · ${line}`);
    if (outcome.logTail.length > 0) {
      lines.push(`  ${style.dim("last lines of output:")}`);
      for (const line of outcome.logTail) lines.push(`    ${line}`);
    }
  }
  lines.push("");
  const phases = (["detect", "build", "pack", "upload", "start", "healthy"] as const).filter(
    (p) => report.timings[p] !== undefined,
  );
  lines.push(
    renderTable(
      [...phases.map((p) => (p === "start" ? "apply" : p === "healthy" ? "rollout" : p)), "total"],
      [[...phases.map((p) => formatDuration(report.timings[p] ?? 0)), formatDuration(report.timings.total)]],
    ).trimEnd(),
  );
  if (report.digest) {
    lines.push(
      `  ${shortDigest(report.digest)} · uploaded ${formatBytes(report.bytesUploaded)} · reused ${formatBytes(report.bytesReused)}` +
        (report.provenance === "verified"
          ? ` · provenance ${style.ok("✔ verified")}`
          : ` · provenance ${style.warn(`⚠ ${report.provenance ?? "unverified"}`)}`),
    );
  }
  const env = report.envName === "production" ? "" : ` --env ${report.envName}`;
  lines.push(
    style.dim(
      report.ok
        ? `  Logs: ${ctx.invokedAs} logs ${app} --target kubernetes --namespace ${namespace}${env} --follow`
        : `  Retry: ${ctx.invokedAs} ${["deploy", ...input.argv.filter((a) => a !== "--json")].join(" ")}`,
    ),
  );
  return lines.join("\n") + "\n";
}

/** KUBECONFIG may list several files (merged by client-node's default loading); one is used as a path. */
function singleKubeconfig(value: string | undefined): string | undefined {
  return value && !value.includes(":") ? value : undefined;
}
