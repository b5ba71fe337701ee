import { spawn } from "node:child_process";
import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { PostgresConnection } from "./postgres-admin.ts";

const MAX_STDERR = 16 * 1024;

/**
 * Runs pg_dump or pg_restore against `connection`, the password handed over in PGPASSWORD (never in argv,
 * where `ps` would show it). stdout goes to `stdout` when given; stderr's last 16 KiB are returned.
 */
export async function runPgTool(request: {
  program: string;
  args: string[];
  connection: PostgresConnection;
  stdout?: Writable;
}): Promise<{ code: number; stderr: string }> {
  const { connection } = request;
  const child = spawn(
    request.program,
    [
      "-h",
      connection.host,
      "-p",
      String(connection.port),
      "-U",
      connection.user,
      "--no-password",
      ...request.args,
    ],
    {
      stdio: ["ignore", request.stdout ? "pipe" : "ignore", "pipe"],
      env: { PGPASSWORD: connection.password, PGCONNECT_TIMEOUT: "10", LC_ALL: "C", LC_MESSAGES: "C" },
    },
  );
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    stderr = (stderr + text).slice(-MAX_STDERR);
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  const piped = request.stdout && child.stdout ? pipeline(child.stdout, request.stdout) : Promise.resolve();
  const [code] = await Promise.all([exited, piped]);
  return { code, stderr: stderr.split(connection.password).join("***").trim() };
}
