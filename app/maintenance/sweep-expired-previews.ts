import { requestDeploys } from "../events/request-deploys.ts";
import { readRepoConfig } from "../github/read-repo-config.ts";
import { previewExpiresAt } from "../worker/preview-lifetimes.ts";
import type { AppDeps } from "../worker/worker-deps.ts";

/** A preview's time to live when its config cannot be read (the config's own default). */
const DEFAULT_TTL_MS = 7 * 86_400_000;

/**
 * Tears down the previews whose time to live (`previews.ttl` in the config at their commit, counted from their
 * newest deploy, or later when `/preview extend` pushed it) has passed at `now`: a teardown request per app,
 * run by the worker like a closed pull request's (target, database and role, deployments inactive, the sticky
 * comment says it expired). One expiry per life of a preview, however often this runs. A failure with one
 * preview is logged (redacted) and the others go on.
 */
export async function sweepExpiredPreviews(deps: AppDeps, now: Date): Promise<{ expired: string[] }> {
  const expired: string[] = [];
  for (const preview of await deps.records.lifetimes.live()) {
    const name = `${preview.repository} ${preview.env}`;
    try {
      const github = deps.github.forInstallation(preview.installationId);
      const parsed = await readRepoConfig(github, { repository: preview.repository, sha: preview.sha });
      const ttlMs = parsed.ok ? parsed.config.previews.ttlMs : DEFAULT_TTL_MS;
      if (ttlMs <= 0 || previewExpiresAt(preview, ttlMs).getTime() > now.getTime()) continue;
      await requestDeploys(
        deps,
        preview.apps.map((app) => ({
          dedupeKey: `expiry:${preview.repository}:${preview.env}:${preview.lastSeq}:${app}`,
          repository: preview.repository,
          installationId: preview.installationId,
          app,
          env: preview.env,
          kind: "preview" as const,
          task: "teardown" as const,
          sha: preview.sha,
          digest: null,
          prNumber: preview.prNumber,
          requestedBy: "aether",
          source: "expiry" as const,
          commandCommentId: null,
          verifyHead: false,
        })),
      );
      deps.log(`preview ${name} expired: tearing it down`);
      expired.push(name);
    } catch (error) {
      deps.log(`preview sweep: ${name} failed: ${deps.redact(messageOf(error))}`);
    }
  }
  return { expired };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
