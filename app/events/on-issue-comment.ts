import { parseCommand, COMMAND_USAGE, type PrCommand } from "../../core/commands/parse-command.ts";
import { authorizeDeploy, type CheckRunState } from "../../core/policy/authorize-deploy.ts";
import { reactToComment, replyToCommand } from "../github/comment-replies.ts";
import { getPermission } from "../github/get-permission.ts";
import type { GitHub } from "../github/github-client.ts";
import { readRepoConfig } from "../github/read-repo-config.ts";
import { repoRef } from "../github/repo-ref.ts";
import type { Delivery } from "../intake/delivery.ts";
import type { AppDeps } from "../worker/worker-deps.ts";
import { previewEnv } from "./on-pull-request.ts";
import { previewCommand } from "./preview-commands.ts";
import { logsCommand } from "./logs-command.ts";
import { payloadReader } from "./payload-fields.ts";
import { requestDeploys } from "./request-deploys.ts";

const WRITE = new Set(["admin", "maintain", "write"]);

/** Everything a command handler needs about the comment it answers. */
export interface CommandContext {
  deps: AppDeps;
  github: GitHub;
  delivery: Delivery;
  repository: string;
  installationId: number;
  prNumber: number;
  commentId: number;
  actor: string;
  reply: (kind: string, body: string) => Promise<void>;
}

/**
 * A new comment on a pull request that is an Aether command: 👀 on receipt, the commenter's permission read
 * from the API, and an answer with the outcome or the reason for a refusal. Edits, deletions, issue (not PR)
 * comments and prose are ignored.
 */
export async function onIssueComment(deps: AppDeps, delivery: Delivery): Promise<void> {
  const p = payloadReader("issue_comment", delivery.payload);
  if (p.string("action") !== "created" || !p.has("issue.pull_request")) return;
  const parsed = parseCommand(p.string("comment.body"));
  if (!parsed.ok && parsed.reason === "not-a-command") return;
  const repository = p.string("repository.full_name");
  const installationId = p.number("installation.id");
  const github = deps.github.forInstallation(installationId);
  const commentId = p.number("comment.id");
  const prNumber = p.number("issue.number");
  const actor = p.string("comment.user.login");
  await reactToComment(github, { repository, commentId, content: "eyes" });
  const context: CommandContext = {
    deps,
    github,
    delivery,
    repository,
    installationId,
    prNumber,
    commentId,
    actor,
    reply: (kind, body) =>
      replyToCommand(github, { repository, issueNumber: prNumber, commentId, kind, body: deps.redact(body) }),
  };
  if (!parsed.ok) return context.reply("invalid", `⚠️ ${parsed.message}`);
  const command = parsed.command;
  if (command.kind === "help") return context.reply("help", helpText());
  const permission = await getPermission(github, { repository, user: actor });
  if (!WRITE.has(permission) && command.kind !== "deploy" && command.kind !== "rollback") {
    await reactToComment(github, { repository, commentId, content: "-1" });
    return context.reply(
      "refused",
      `❌ @${actor} needs write access to use \`/${command.kind}\` (has: ${permission}).`,
    );
  }
  switch (command.kind) {
    case "deploy":
    case "rollback":
      return deployCommand(context, command, permission);
    case "lock": {
      const result = await deps.locks.lock({
        repository,
        env: command.env,
        owner: actor,
        ...(command.reason ? { reason: command.reason } : {}),
      });
      if (!result.ok)
        return context.reply(
          "lock",
          `❌ **${command.env}** is already locked by @${result.heldBy.owner}${result.heldBy.reason ? `: '${result.heldBy.reason}'` : ""}.`,
        );
      return context.reply(
        "lock",
        `🔒 **${command.env}** is locked by @${actor}${command.reason ? `: '${command.reason}'` : ""}. Only @${actor} can deploy there until \`/unlock ${command.env}\`.`,
      );
    }
    case "unlock": {
      const result = await deps.locks.unlock({ repository, env: command.env });
      return context.reply(
        "unlock",
        result.ok ? `🔓 **${command.env}** is unlocked.` : `**${command.env}** was not locked.`,
      );
    }
    case "logs":
      return logsCommand(context, command);
    case "preview-reset-db":
    case "preview-extend":
      return previewCommand(context, command.kind);
  }
}

async function deployCommand(
  context: CommandContext,
  command: Extract<PrCommand, { kind: "deploy" | "rollback" }>,
  permission: Awaited<ReturnType<typeof getPermission>>,
): Promise<void> {
  const { deps, github, repository, prNumber, actor } = context;
  const refuse = async (message: string) => {
    await reactToComment(github, { repository, commentId: context.commentId, content: "-1" });
    await context.reply("refused", `❌ ${message}`);
  };
  // The SHA is pinned here, when the command is read; the worker checks it is still the head before rollout.
  const { data: pull } = await github.rest.pulls.get({ ...repoRef(repository), pull_number: prNumber });
  if (pull.state !== "open") return refuse("This pull request is closed.");
  const sha = pull.head.sha;
  const fromFork = pull.head.repo?.full_name !== repository;
  const parsed = await readRepoConfig(github, { repository, sha });
  if (!parsed.ok)
    return refuse(
      `The configuration at \`${sha.slice(0, 7)}\` is not valid:\n\n\`\`\`\n${parsed.message}\n\`\`\``,
    );
  const config = parsed.config;
  const env = command.env ?? previewEnv(prNumber);
  const isPreview = env === previewEnv(prNumber);
  const envConfig = config.environments[env];
  if (!isPreview && envConfig === undefined)
    return refuse(
      `There is no environment **${env}** in .github/aether.yml (known: ${[previewEnv(prNumber), ...Object.keys(config.environments)].join(", ")}).`,
    );
  const apps = Object.keys(config.apps);
  const app =
    command.kind === "deploy" && command.app !== undefined
      ? command.app
      : apps.length === 1
        ? apps[0]!
        : undefined;
  if (app === undefined || config.apps[app] === undefined)
    return refuse(`Name the app to deploy: one of ${apps.join(", ")} (\`/deploy APP to ENV\`).`);
  const checks = await github.paginate(github.rest.checks.listForRef, {
    ...repoRef(repository),
    ref: sha,
    per_page: 100,
  });
  const lock = await deps.locks.get({ repository, env });
  const decision = authorizeDeploy({
    actor,
    permission,
    teams: [],
    env,
    deployers: envConfig?.deployers ?? [],
    restrictToDeployers: envConfig?.restrictToDeployers ?? false,
    requiredChecks:
      command.kind === "rollback"
        ? []
        : isPreview
          ? config.previews.requiredChecks
          : (envConfig?.requiredChecks ?? []),
    sha,
    checks: checks.map(toCheckState),
    ...(lock ? { lock } : {}),
    fromFork,
    forksAllowed: isPreview && config.previews.forks,
    now: deps.now(),
  });
  if (!decision.ok) return refuse(decision.message);
  if (command.kind === "deploy" && command.noop)
    return context.reply(
      "noop",
      `✅ Dry run: @${actor} may deploy \`${sha.slice(0, 7)}\` to **${env}**; nothing was deployed.`,
    );
  const task = command.kind === "rollback" ? "rollback" : "deploy";
  await requestDeploys(deps, [
    {
      dedupeKey: `${context.delivery.id}:${app}:${env}:${task}`,
      repository,
      installationId: context.installationId,
      app,
      env,
      kind: isPreview ? "preview" : env === "production" ? "production" : "named",
      task,
      sha,
      digest: null,
      prNumber,
      requestedBy: actor,
      source: "comment",
      commandCommentId: context.commentId,
      verifyHead: task === "deploy",
      // GitHub's deployment branch policies match the PR's branch; a fork's never matches.
      ref: fromFork ? null : pull.head.ref,
    },
  ]);
  const verb = task === "rollback" ? "Rolling back" : `Deploying \`${sha.slice(0, 7)}\` to`;
  await context.reply("accepted", `${verb} **${env}** (requested by @${actor}) — follow the check run.`);
}

function toCheckState(run: {
  name: string;
  status: string;
  conclusion: string | null;
  completed_at: string | null;
}): CheckRunState {
  const status =
    (["queued", "in_progress", "completed", "waiting", "requested", "pending"] as const).find(
      (s) => s === run.status,
    ) ?? "queued";
  return { name: run.name, status, conclusion: run.conclusion, completedAt: run.completed_at };
}

function helpText(): string {
  return [
    "Aether commands (on a pull request):",
    "",
    ...COMMAND_USAGE.map((c) => `- \`${c}\``),
    "",
    "`/deploy` without `to ENV` deploys this pull request's preview; the commit is pinned when the command is read.",
  ].join("\n");
}
