import { readRepoConfig } from "../github/read-repo-config.ts";
import type { Delivery } from "../intake/delivery.ts";
import type { AppDeps } from "../worker/worker-deps.ts";
import { payloadReader } from "./payload-fields.ts";
import { requestDeploys } from "./request-deploys.ts";

/** The preview environment of a pull request is named after it. */
export function previewEnv(prNumber: number): string {
  return `pr-${prNumber}`;
}

/**
 * opened / reopened / synchronize: a preview of the head commit for each app (none for a fork unless the
 * config at that commit opts in with `previews.forks`); closed: the preview torn down.
 */
export async function onPullRequest(deps: AppDeps, delivery: Delivery): Promise<void> {
  const p = payloadReader("pull_request", delivery.payload);
  const action = p.string("action");
  if (!["opened", "reopened", "synchronize", "closed"].includes(action)) return;
  const repository = p.string("repository.full_name");
  const installationId = p.number("installation.id");
  const prNumber = p.number("pull_request.number");
  const sha = p.string("pull_request.head.sha");
  const env = previewEnv(prNumber);
  const fromFork = p.optionalString("pull_request.head.repo.full_name") !== repository;
  const github = deps.github.forInstallation(installationId);
  const parsed = await readRepoConfig(github, { repository, sha });
  const apps = parsed.ok ? Object.keys(parsed.config.apps) : ["app"];
  const base = {
    repository,
    installationId,
    env,
    kind: "preview" as const,
    sha,
    digest: null,
    prNumber,
    requestedBy: p.optionalString("sender.login") ?? "unknown",
    source: "pull_request" as const,
    commandCommentId: null,
    verifyHead: false,
  };
  if (action === "closed") {
    await requestDeploys(
      deps,
      apps.map((app) => ({
        ...base,
        app,
        task: "teardown" as const,
        dedupeKey: `${delivery.id}:${app}:${env}:teardown`,
      })),
    );
    return;
  }
  if (parsed.ok && !parsed.config.previews.enabled) return;
  if (fromFork && !(parsed.ok && parsed.config.previews.forks)) {
    deps.log(`no preview for ${repository}#${prNumber}: it comes from a fork and previews.forks is off`);
    return;
  }
  await requestDeploys(
    deps,
    apps.map((app) => ({
      ...base,
      app,
      task: "deploy" as const,
      dedupeKey: `${delivery.id}:${app}:${env}:deploy`,
    })),
  );
}
