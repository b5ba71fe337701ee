/**
 * The supervisor process of one local environment: `node cli/local-supervisor.ts <envDir>`, started detached by
 * spawnSupervisorProcess. Only wiring lives here (argv, signals, process.env, exit); the supervisor itself is
 * core/local/run-supervisor.ts. It has no terminal: a fatal error goes to <envDir>/supervisor.log.
 */
import { appendFileSync } from "node:fs";
import { delimiter, dirname, isAbsolute, join } from "node:path";
import { runSupervisor } from "../core/local/run-supervisor.ts";

const envDir = process.argv[2];
if (envDir === undefined || !isAbsolute(envDir)) {
  console.error("usage: node cli/local-supervisor.ts <absolute path of the environment folder>");
  process.exit(2);
}

const fatal = (error: unknown): never => {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  try {
    appendFileSync(join(envDir, "supervisor.log"), `${new Date().toISOString()} fatal: ${text}\n`);
  } catch {
    // The environment folder is gone: nobody is left to read the message.
  }
  process.exit(1);
};
process.on("uncaughtException", fatal);
process.on("unhandledRejection", fatal);

const stop = new AbortController();
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(signal, () => stop.abort());

// `node` in a start command means the Node that runs Aether, not whichever one PATH finds first.
const path = [dirname(process.execPath), process.env["PATH"]]
  .filter((p) => p !== undefined && p !== "")
  .join(delimiter);

try {
  await runSupervisor({ envDir, baseEnv: { ...process.env, PATH: path }, signal: stop.signal });
  process.exit(0);
} catch (error) {
  fatal(error);
}
