import type { PrCommand } from "../../core/commands/parse-command.ts";
import { reactToComment } from "../github/comment-replies.ts";
import { readRepoConfig } from "../github/read-repo-config.ts";
import { repoRef } from "../github/repo-ref.ts";
import type { CommandContext } from "./on-issue-comment.ts";
import { previewEnv } from "./on-pull-request.ts";

const TAIL = 30;
const PREVIEW = /^pr-\d+$/;

/**
 * `/logs [APP] [ENV] [--since 10m]`: the last lines one app logged in one environment (this pull request's
 * preview unless named), read from the target and posted redacted. The app is the only one of the config at
 * the pull request's head, or the one named; a single name is an environment unless the config has no such
 * environment but an app of that name (`/logs web`). The caller has checked the commenter may write.
 */
export async function logsCommand(
  context: CommandContext,
  command: Extract<PrCommand, { kind: "logs" }>,
): Promise<void> {
  const { deps, github, repository, prNumber } = context;
  const refuse = async (message: string) => {
    await reactToComment(github, { repository, commentId: context.commentId, content: "-1" });
    await context.reply("refused", `❌ ${message}`);
  };
  const { data: pull } = await github.rest.pulls.get({ ...repoRef(repository), pull_number: prNumber });
  const sha = pull.head.sha;
  const parsed = await readRepoConfig(github, { repository, sha });
  if (!parsed.ok)
    return refuse(
      `The configuration at \`${sha.slice(0, 7)}\` is not valid:\n\n\`\`\`\n${parsed.message}\n\`\`\``,
    );
  const apps = Object.keys(parsed.config.apps);
  const envs = [previewEnv(prNumber), ...Object.keys(parsed.config.environments)];
  const isEnv = (name: string) => envs.includes(name) || PREVIEW.test(name);
  const nameIsApp =
    command.app === undefined &&
    command.env !== undefined &&
    !isEnv(command.env) &&
    apps.includes(command.env);
  const app = nameIsApp ? command.env : (command.app ?? (apps.length === 1 ? apps[0] : undefined));
  const env = (nameIsApp ? undefined : command.env) ?? previewEnv(prNumber);
  if (app === undefined)
    return refuse(`Name the app whose logs to show: one of ${apps.join(", ")} (\`/logs APP [ENV]\`).`);
  if (!apps.includes(app))
    return refuse(`There is no app **${app}** in .github/aether.yml (known: ${apps.join(", ")}).`);
  if (!isEnv(env))
    return refuse(`There is no environment **${env}** in .github/aether.yml (known: ${envs.join(", ")}).`);
  const lines = await deps.target.logs({
    repository,
    app,
    env,
    tail: TAIL,
    ...(command.sinceMs === undefined ? {} : { sinceMs: command.sinceMs }),
  });
  const where = apps.length === 1 ? `**${env}**` : `**${app}** in **${env}**`;
  // A log line may hold anything the app printed: redacted here, and the whole reply again on the way out.
  const text = deps.redact(lines.join("\n")).replaceAll("```", "ʼʼʼ");
  return context.reply(
    "logs",
    lines.length === 0
      ? `No log lines for ${where}.`
      : `Last ${lines.length} log lines of ${where}:\n\n\`\`\`\n${text}\n\`\`\``,
  );
}
