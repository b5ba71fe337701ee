import { mkdir, readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { envDirFor, envPaths } from "../../core/local/env-paths.ts";
import { ensureSupervisor } from "../../core/local/ensure-supervisor.ts";
import type { LaunchSupervisor } from "../../core/local/local-types.ts";

/**
 * Starts an environment's supervisor and waits until it has queued its start-up work, before the first deploy
 * is sent to it. Works around a race in core/local/run-supervisor.ts: the control socket answers before the
 * start-up task (end the predecessor, resume) is queued, so a deploy that arrives in that window runs first and
 * the start-up task then ends the release that deploy just started (SIGTERM) and fails to listen again. The
 * "listening" line of supervisor.log is written in the same synchronous step that queues the start-up task.
 * Remove once run-supervisor queues its start-up work before it answers.
 */
export async function waitSupervisorReady(request: {
  stateDir: string;
  envName: string;
  launchSupervisor: LaunchSupervisor;
  timeoutMs?: number;
}): Promise<void> {
  const envDir = envDirFor(request);
  await mkdir(envDir, { recursive: true });
  const { status, launched } = await ensureSupervisor({ envDir, launchSupervisor: request.launchSupervisor });
  if (!launched) return;
  const line = `supervisor ${status.pid} listening on`;
  const deadline = Date.now() + (request.timeoutMs ?? 5_000);
  while (Date.now() < deadline) {
    const log = await readFile(envPaths(envDir).supervisorLog, "utf8").catch(() => "");
    if (log.includes(line)) return;
    await sleep(20);
  }
}
