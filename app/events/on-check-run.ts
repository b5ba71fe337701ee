import { getPermission } from "../github/get-permission.ts";
import type { Delivery } from "../intake/delivery.ts";
import { approveDeploy } from "../worker/deploy-approval.ts";
import type { AppDeps } from "../worker/worker-deps.ts";
import { payloadReader } from "./payload-fields.ts";
import { requestDeploys } from "./request-deploys.ts";

const WRITE = new Set(["admin", "maintain", "write"]);

/**
 * check_run: on the app's own run (found by its external id, the request it reported), "Re-run" and the
 * Redeploy button deploy the same commit again and Roll back serves the previous release, for users with
 * write access. Any other app's completed run (the build) wakes the requests waiting for that commit.
 */
export async function onCheckRun(deps: AppDeps, delivery: Delivery): Promise<void> {
  const p = payloadReader("check_run", delivery.payload);
  const action = p.string("action");
  const repository = p.string("repository.full_name");
  if (action === "completed") return wakeWaiting(deps, repository, p.string("check_run.head_sha"));
  if (action !== "rerequested" && action !== "requested_action") return;
  const externalId = p.optionalString("check_run.external_id") ?? "";
  const original = /^[0-9a-f-]{36}$/.test(externalId) ? await deps.records.get(externalId) : undefined;
  if (original === undefined || original.repository !== repository) return;
  const identifier = action === "rerequested" ? "redeploy" : p.optionalString("requested_action.identifier");
  if (identifier === "approve")
    return approveDeploy(deps, {
      github: deps.github.forInstallation(p.number("installation.id")),
      request: original,
      approver: p.string("sender.login"),
    });
  if (identifier !== "redeploy" && identifier !== "rollback") return;
  const actor = p.string("sender.login");
  const github = deps.github.forInstallation(p.number("installation.id"));
  const permission = await getPermission(github, { repository, user: actor });
  if (!WRITE.has(permission)) {
    deps.log(
      `check run ${identifier} on ${repository} by @${actor} ignored: needs write access (has ${permission})`,
    );
    return;
  }
  const task = identifier === "rollback" ? "rollback" : "deploy";
  await requestDeploys(deps, [
    {
      dedupeKey: `${delivery.id}:${original.app}:${original.env}:${task}`,
      repository,
      installationId: original.installationId,
      app: original.app,
      env: original.env,
      kind: original.kind,
      task,
      sha: original.sha,
      digest: original.digest,
      prNumber: original.prNumber,
      requestedBy: actor,
      source: "check_run",
      commandCommentId: null,
      verifyHead: false,
      ref: original.ref,
    },
  ]);
}

/** workflow_run completed: the build of a commit finished, so requests waiting for its artifact run now. */
export async function onWorkflowRun(deps: AppDeps, delivery: Delivery): Promise<void> {
  const p = payloadReader("workflow_run", delivery.payload);
  if (p.string("action") !== "completed") return;
  await wakeWaiting(deps, p.string("repository.full_name"), p.string("workflow_run.head_sha"));
}

async function wakeWaiting(deps: AppDeps, repository: string, sha: string): Promise<void> {
  for (const id of await deps.records.wakeWaiting(repository, sha))
    await deps.enqueueDeploy(id, { again: true });
}
