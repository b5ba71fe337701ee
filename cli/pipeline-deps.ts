import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { epochFromEnv } from "../core/artifact/epoch.ts";
import { spawnSupervisorProcess } from "../core/local/spawn-supervisor-process.ts";
import { openStore } from "../core/store/open-store.ts";
import { createHasCommand } from "../core/util/find-executable.ts";
import { createRunCommand } from "../core/util/run-command.ts";
import { stateDirOf, type CliContext } from "./context.ts";

const SUPERVISOR_ENTRY = fileURLToPath(new URL("./local-supervisor.ts", import.meta.url));

/** The store a command names with --store, else AETHER_STORE, else the folder `.aether/store`. */
export function openCliStore(ctx: CliContext, storeUrl: string | undefined) {
  return openStore(storeUrl ?? ctx.env["AETHER_STORE"], { cwd: ctx.cwd, env: ctx.env });
}

/** The I/O the pipeline is handed when it runs from the CLI: store, folders, clock, processes. */
export function pipelineDeps(ctx: CliContext, storeUrl: string | undefined) {
  const stateDir = stateDirOf(ctx);
  return {
    store: openCliStore(ctx, storeUrl),
    stateDir,
    cacheDir: join(stateDir, "cache"),
    epoch: epochFromEnv(ctx.env),
    platform: `${process.platform}-${process.arch}`,
    run: createRunCommand(ctx.env),
    hasCommand: createHasCommand(ctx.env["PATH"] ?? ""),
    clock: ctx.clock,
    launchSupervisor: spawnSupervisorProcess(SUPERVISOR_ENTRY, ctx.execPath),
  };
}
