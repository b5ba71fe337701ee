import { setTimeout as sleep } from "node:timers/promises";
import { isDigest, shortDigest, type Digest } from "../../core/artifact/digest.ts";
import type { ArtifactManifest } from "../../core/artifact/manifest.ts";
import { DEFAULT_PREVIEW_HOST, type AetherConfig } from "../../core/config/config-schema.ts";
import type { PreviewCommentState } from "../../core/report/preview-comment.ts";
import { normalizeAppPath } from "../../core/store/store-layout.ts";
import { concludeCheckRun, ensureCheckRun } from "../github/check-runs.ts";
import type { GitHub } from "../github/github-client.ts";
import { readRepoConfig } from "../github/read-repo-config.ts";
import { repoRef } from "../github/repo-ref.ts";
import type { TargetOutcome } from "../targets/deploy-target.ts";
import { createDeployPresenter } from "./deploy-presenter.ts";
import { deployFigures } from "./deploy-figures.ts";
import { previewExpiry } from "./preview-expiry.ts";
import { previewResponseTimes } from "./preview-response-times.ts";
import { provisionPreviewDatabase } from "./provision-preview-database.ts";
import { checkRunName, showOnGitHub } from "./show-on-github.ts";
import { artifactProvenance } from "./artifact-provenance.ts";
import { branchMovedFrom } from "./branch-moved.ts";
import { answer, finishFailure, finishSuccess, reportSuperseded } from "./finish-deploy.ts";
import type { DeployRequest } from "./deploy-records.ts";
import { requiredChecksOf, requiredChecksVerdict } from "./required-checks.ts";
import { runTeardown } from "./run-teardown.ts";
import type { AppDeps } from "./worker-deps.ts";
import { passEnvironmentGate } from "./environment-gate.ts";
import { failBeforeRollout } from "./fail-before-rollout.ts";

/**
 * Runs one deploy request to its end: waits its turn for the environment (or steps aside for a newer
 * request), waits for the build's artifact, checks the pinned SHA is still the PR's head, rolls out on the
 * target and keeps the check run, deployment and PR comment in step. A request a restart cut off is resumed:
 * if the target already serves its artifact it is reported done, not deployed twice.
 */
export async function runDeployRequest(deps: AppDeps, requestId: string): Promise<void> {
  let claim = await deps.records.claim(requestId, deps.workerId, deps.leaseMs);
  while (claim.kind === "busy") {
    await sleep(Math.min(250, deps.leaseMs / 4));
    claim = await deps.records.claim(requestId, deps.workerId, deps.leaseMs);
  }
  if (claim.kind === "settled") return;
  const github = deps.github.forInstallation(claim.request.installationId);
  if (claim.kind === "superseded") return reportSuperseded(deps, github, claim.request);
  const request = claim.request;
  deps.inFlight.add(request.id);
  const renew = setInterval(
    () => void deps.records.renewLease(request.id, deps.workerId, deps.leaseMs).catch(() => undefined),
    Math.max(50, deps.leaseMs / 3),
  );
  try {
    if (request.task === "teardown") return await runTeardown(deps, github, request);
    await runClaimed(deps, github, request, claim.resumed);
  } catch (error) {
    // The job is retried by the queue: let that retry (or another worker) resume the request at once.
    await deps.records.releaseLease(request.id, deps.workerId).catch(() => undefined);
    throw error;
  } finally {
    clearInterval(renew);
    deps.inFlight.delete(request.id);
  }
}

async function runClaimed(
  deps: AppDeps,
  github: GitHub,
  request: DeployRequest,
  resumed: boolean,
): Promise<void> {
  const refuse = async (message: string) => {
    await deps.records.update(request.id, { state: "refused", message });
    await answer(deps, github, request, "refused", `❌ ${message}`, "-1");
  };
  const parsed = await readRepoConfig(github, { repository: request.repository, sha: request.sha });
  if (!parsed.ok) {
    const run = await ensureCheckRun(github, { ...checkRunName(request), title: "Invalid configuration" });
    await concludeCheckRun(github, {
      repository: request.repository,
      checkRunId: run.id,
      conclusion: "failure",
      title: "Invalid .github/aether.yml",
      summary: "```\n" + deps.redact(parsed.message) + "\n```",
    });
    await deps.records.update(request.id, { state: "failure", message: parsed.message, checkRunId: run.id });
    return answer(deps, github, request, "failure", `❌ ${parsed.message}`, "-1");
  }
  const config = parsed.config;
  // Deployment and check run show up at once (queued) while the request waits for its build; a `/deploy`
  // gets them only once its pinned commit is confirmed, so a refused one leaves no deployment behind.
  // (One held by environment protection on an earlier run shows already: found again, not made twice.)
  let shown =
    request.verifyHead && request.checkRunId === null ? undefined : await showOnGitHub(deps, github, request);
  // Stops the request before rollout: refused without a trace when nothing shows on GitHub yet, else failed.
  const stop = (message: string, title: string) =>
    shown === undefined
      ? refuse(message)
      : failBeforeRollout({ deps, github, request, shown, message, title });
  let digest = request.digest;
  // The build of this app's folder: each app of a monorepo has its own artifact for one commit. Its record
  // also carries the build's figures for the check run's latency table.
  const built =
    request.task === "deploy"
      ? await deps.store.getRef({
          repository: request.repository,
          commit: request.sha,
          path: config.apps[request.app]?.path ?? ".",
        })
      : undefined;
  if (request.task === "deploy" && digest === null) {
    const ref = built;
    if (ref === undefined) {
      // No polling: the build's workflow_run / check_run completed event wakes this request up again.
      await deps.records.update(request.id, {
        state: "waiting-artifact",
        message: `waiting for the build of ${appFolder(config, request.app)}${request.sha.slice(0, 7)}`,
      });
      return;
    }
    digest = ref.digest;
    await deps.records.update(request.id, { digest });
  }
  if (request.task === "deploy") {
    const checks = await requiredChecksVerdict(github, {
      repository: request.repository,
      sha: request.sha,
      required: requiredChecksOf(config, request),
    });
    if (checks.kind === "pending") {
      // Woken again by the check's completed event, like a missing build.
      await deps.records.update(request.id, { state: "waiting-artifact", message: checks.message });
      return;
    }
    if (checks.kind === "failed") return stop(checks.message, "Required checks did not pass");
  }
  if (request.verifyHead && request.prNumber !== null) {
    const { data: pull } = await github.rest.pulls.get({
      ...repoRef(request.repository),
      pull_number: request.prNumber,
    });
    if (pull.head.sha !== request.sha)
      return stop(
        `The pull request moved from \`${request.sha.slice(0, 7)}\` to \`${pull.head.sha.slice(0, 7)}\` after the command was read; ` +
          `nothing was deployed. Comment \`/deploy\` again to deploy \`${pull.head.sha.slice(0, 7)}\`.`,
        "The pull request moved",
      );
  }
  if (request.source === "push" && request.task === "deploy") {
    const moved = await branchMovedFrom(github, request);
    if (moved !== undefined) {
      await deps.records.update(request.id, { state: "superseded", message: moved });
      return reportSuperseded(deps, github, request, moved);
    }
  }
  // GitHub environment protection, checked here every time the request runs, so a rule changed while it
  // waited (for its build, an approval or a wait timer) still counts.
  const show = async () => (shown = await showOnGitHub(deps, github, request));
  if (!(await passEnvironmentGate({ deps, github, request, shown, show, stop }))) return;
  // The artifact about to go live is checked where it is deployed from, whatever built it.
  let manifest: ArtifactManifest | undefined;
  let artifact: PreviewCommentState["artifact"];
  if (request.task === "deploy" && digest !== null) {
    if (!isDigest(digest))
      return stop(
        `\`${digest}\` is not an artifact digest (sha256:…); nothing was deployed.`,
        "Invalid digest",
      );
    manifest = await deps.store.getManifest(digest);
    const provenance = await artifactProvenance({
      store: deps.store,
      digest,
      manifest,
      repository: request.repository,
      config,
      trust: deps.provenance,
    });
    if (!provenance.proceed)
      return stop(
        `The artifact \`${shortDigest(digest)}\` was not deployed: provenance check \`${provenance.check}\` failed: ${provenance.message}`,
        "Provenance check failed",
      );
    artifact = {
      digest,
      provenance: provenance.verified ? "verified" : "unverified",
      ...(manifest.sbom ? { sbomComponents: manifest.sbom.components } : {}),
    };
  }
  shown ??= await showOnGitHub(deps, github, request);
  const { checkRun, deploymentId } = shown;
  const presenter = createDeployPresenter({
    deps,
    github,
    request,
    checkRun,
    deploymentId,
    ...(built !== undefined && built.digest === digest ? { build: built } : {}),
  });
  const comment = (state: Omit<PreviewCommentState, "env" | "commit">) =>
    presenter.comment({
      env: request.env,
      commit: { sha: request.sha, message: `requested by @${request.requestedBy}` },
      ...(artifact ? { artifact } : {}),
      ...state,
    });
  if (resumed && digest !== null) {
    const serving = await deps.target.current(request);
    if (serving?.digest === digest) {
      await finishSuccess(deps, github, request, presenter, serving.url);
      comment({ status: "ready", url: serving.url });
      return presenter.flush();
    }
  }
  presenter.status("in_progress");
  comment({ status: "deploying" });
  const started = deps.now();
  let outcome: TargetOutcome;
  let database: PreviewCommentState["database"];
  if (request.task === "rollback") {
    outcome = await deps.target.rollback({ ...request, onEvent: presenter.onEvent });
  } else {
    manifest ??= await deps.store.getManifest(digest as Digest);
    const appEnv: Record<string, string> = {};
    if (request.kind === "preview" && config.previews.database.engine === "postgres") {
      const provisioned = await provisionPreviewDatabase(deps, request, config);
      if (!provisioned.ok) {
        outcome = {
          ok: false,
          phase: "start",
          message: provisioned.message,
          logTail: [],
          timings: { start: 0, healthy: 0 },
        };
        return finishFailure(deps, github, request, presenter, outcome, comment);
      }
      appEnv["DATABASE_URL"] = provisioned.url;
      database = { name: provisioned.name, readyMs: provisioned.ms };
    }
    outcome = await deps.target.deploy({
      ...request,
      digest: digest as Digest,
      manifest,
      appEnv,
      onEvent: presenter.onEvent,
      ...(request.kind === "preview" && request.prNumber !== null
        ? {
            preview: {
              // A host the repository chose wins; left at its default, the app's own (AETHER_PREVIEW_HOST) does.
              ...(config.previews.host === DEFAULT_PREVIEW_HOST
                ? {}
                : { host: config.previews.host.replaceAll("{number}", String(request.prNumber)) }),
              expiresAt: new Date(deps.now() + config.previews.ttlMs),
            },
          }
        : {}),
    });
  }
  if (!outcome.ok) return finishFailure(deps, github, request, presenter, outcome, comment, database);
  const total = deps.now() - started;
  await finishSuccess(deps, github, request, presenter, outcome.url);
  const responseTimes =
    request.kind === "preview" ? await previewResponseTimes(deps, request, outcome.url) : undefined;
  comment({
    status: "ready",
    url: outcome.url,
    ...(database ? { database } : {}),
    ...deployFigures(built?.digest === digest ? built : undefined, { ...outcome.timings, total }),
    ...(responseTimes ? { responseTimes } : {}),
    ...(request.kind === "preview" ? { expiresAt: await previewExpiry(deps, request, config) } : {}),
  });
  await presenter.flush();
}

/** `apps/web at ` for an app in a folder of a monorepo, nothing for one at the repository's root. */
function appFolder(config: AetherConfig, app: string): string {
  const path = normalizeAppPath(config.apps[app]?.path);
  return path === "." ? "" : `${path} at `;
}
