import { provisionDatabase } from "../../core/previewdb/provision-database.ts";
import { reactToComment } from "../github/comment-replies.ts";
import { readRepoConfig } from "../github/read-repo-config.ts";
import { repoRef } from "../github/repo-ref.ts";
import { formatExpiry, previewExpiresAt } from "../worker/preview-lifetimes.ts";
import type { CommandContext } from "./on-issue-comment.ts";
import { previewEnv } from "./on-pull-request.ts";
import { requestDeploys } from "./request-deploys.ts";

/**
 * `/preview reset-db` and `/preview extend` on a pull request whose preview is up. The caller has checked
 * the commenter may deploy (write, maintain or admin); a lock held by someone else on the preview refuses both.
 */
export async function previewCommand(
  context: CommandContext,
  kind: "preview-reset-db" | "preview-extend",
): Promise<void> {
  const { deps, github, repository, prNumber, actor } = context;
  const env = previewEnv(prNumber);
  const refuse = async (message: string) => {
    await reactToComment(github, { repository, commentId: context.commentId, content: "-1" });
    await context.reply("refused", `❌ ${message}`);
  };
  const { data: pull } = await github.rest.pulls.get({ ...repoRef(repository), pull_number: prNumber });
  if (pull.state !== "open") return refuse("This pull request is closed.");
  const preview = await deps.records.lifetimes.find({ repository, env });
  if (preview === undefined)
    return refuse(`There is no preview **${env}** to act on: push a commit or comment \`/deploy\` first.`);
  const lock = await deps.locks.get({ repository, env });
  if (lock !== undefined && lock.owner !== actor)
    return refuse(`**${env}** is locked by @${lock.owner}${lock.reason ? `: '${lock.reason}'` : ""}.`);
  const sha = pull.head.sha;
  const parsed = await readRepoConfig(github, { repository, sha });
  if (!parsed.ok)
    return refuse(
      `The configuration at \`${sha.slice(0, 7)}\` is not valid:\n\n\`\`\`\n${parsed.message}\n\`\`\``,
    );
  const { previews } = parsed.config;
  if (kind === "preview-extend") {
    const from = Math.max(previewExpiresAt(preview, previews.ttlMs).getTime(), deps.now());
    const until = new Date(from + previews.ttlMs);
    await deps.records.lifetimes.extend({ repository, env, until });
    return context.reply(
      "extend",
      `⏳ **${env}** now lives until ${formatExpiry(until)} (extended by ${formatDays(previews.ttlMs)} by @${actor}).`,
    );
  }
  if (previews.database.engine !== "postgres")
    return refuse(
      `**${env}** has no PostgreSQL database to reset (\`previews.database.engine\` is ${previews.database.engine}).`,
    );
  if (deps.previewDb === undefined)
    return refuse("The app has no preview database server (PREVIEW_DATABASE_URL or DATABASE_URL).");
  const db = await provisionDatabase({
    admin: deps.previewDb,
    repository,
    env,
    ttlMs: previews.ttlMs,
    reset: true,
    now: () => new Date(deps.now()),
  });
  // The reset gave the role a new password: the preview is deployed again with the new DATABASE_URL.
  await requestDeploys(
    deps,
    preview.apps.map((app) => ({
      dedupeKey: `${context.delivery.id}:${app}:${env}:reset-db`,
      repository,
      installationId: context.installationId,
      app,
      env,
      kind: "preview" as const,
      task: "deploy" as const,
      sha,
      digest: null,
      prNumber,
      requestedBy: actor,
      source: "comment" as const,
      commandCommentId: context.commentId,
      verifyHead: true,
    })),
  );
  return context.reply(
    "reset-db",
    `🔄 The database \`${db.database}\` of **${env}** was reset (${Math.round(db.ms)} ms), asked by @${actor}; ` +
      `redeploying \`${sha.slice(0, 7)}\` so the preview uses it — follow the check run.`,
  );
}

function formatDays(ms: number): string {
  const hours = ms / 3_600_000;
  return hours >= 24 && hours % 24 === 0 ? `${hours / 24} days` : `${Math.round(hours * 10) / 10} hours`;
}
