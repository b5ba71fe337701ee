import type { AppDeps } from "../worker/worker-deps.ts";
import { readRepoConfig } from "../github/read-repo-config.ts";
import type { Delivery } from "../intake/delivery.ts";
import { payloadReader } from "./payload-fields.ts";
import { requestDeploys } from "./request-deploys.ts";

/**
 * A push: the default branch deploys to production, and a branch named by an environment's `branch` deploys
 * there. Each app of the config at the pushed commit gets a request; an invalid config still gets one, so its
 * check run says what is wrong with the file.
 */
export async function onPush(deps: AppDeps, delivery: Delivery): Promise<void> {
  const p = payloadReader("push", delivery.payload);
  if (p.boolean("deleted")) return;
  const repository = p.string("repository.full_name");
  const installationId = p.number("installation.id");
  const sha = p.string("after");
  const branch = p.string("ref").replace(/^refs\/heads\//, "");
  if (!p.string("ref").startsWith("refs/heads/")) return;
  const defaultBranch = p.string("repository.default_branch");
  const github = deps.github.forInstallation(installationId);
  const parsed = await readRepoConfig(github, { repository, sha });
  const targets: { app: string; env: string; kind: "production" | "named" }[] = [];
  if (!parsed.ok) {
    if (branch === defaultBranch) targets.push({ app: "app", env: "production", kind: "production" });
  } else {
    for (const [env, config] of Object.entries(parsed.config.environments)) {
      const branchOf = config.branch ?? (env === "production" ? defaultBranch : undefined);
      if (branchOf !== branch) continue;
      for (const app of Object.keys(parsed.config.apps))
        targets.push({ app, env, kind: env === "production" ? "production" : "named" });
    }
  }
  const requestedBy = p.optionalString("pusher.name") ?? p.optionalString("sender.login") ?? "unknown";
  await requestDeploys(
    deps,
    targets.map((t) => ({
      dedupeKey: `${delivery.id}:${t.app}:${t.env}:deploy`,
      repository,
      installationId,
      app: t.app,
      env: t.env,
      kind: t.kind,
      task: "deploy",
      sha,
      digest: null,
      prNumber: null,
      requestedBy,
      source: "push",
      commandCommentId: null,
      verifyHead: false,
      ref: branch,
    })),
  );
}
