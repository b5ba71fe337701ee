import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findExecutable } from "../../core/util/find-executable.ts";
import { freePort } from "./postgres-server.ts";

/** A running redis-server on 127.0.0.1 whose `default` user needs `password`. */
export interface RedisTestServer {
  host: string;
  port: number;
  password: string;
  /** `redis://default:…@127.0.0.1:<port>` */
  url: string;
  stop: () => Promise<void>;
}

/**
 * Starts Debian's `redis-server` on a free port with no persistence. Fails (never skips) with an install hint
 * when the program is missing: CI installs it, so a missing server is a broken machine, not an optional test.
 * @example const redis = await startRedisServer(); … await redis.stop();
 */
export async function startRedisServer(searchPath = process.env.PATH ?? ""): Promise<RedisTestServer> {
  const program = await findExecutable("redis-server", searchPath);
  if (!program) {
    throw new Error(
      `redis-server was not found on PATH (${searchPath}). The Redis tests need a real server: ` +
        `install it with "apt-get install -y redis-server" (after "apt-get update" on a fresh machine).`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), "aether-redis-"));
  const password = randomBytes(12).toString("hex");
  const port = await freePort();
  const server = spawn(
    program,
    // The default user gets a password: with `nopass`, a preview's ACL user could `AUTH default x` and
    // escape its key prefix. (On the command line is fine for a throwaway test server.)
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
      "--requirepass",
      password,
    ],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    server.on("error", reject);
    server.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) resolve();
    });
    server.on("exit", (code) =>
      reject(new Error(`redis-server exited with ${code}: ${output.slice(-2000)}`)),
    );
  });
  return {
    host: "127.0.0.1",
    port,
    password,
    url: `redis://default:${password}@127.0.0.1:${port}`,
    stop: async () => {
      if (server.exitCode === null && server.signalCode === null) {
        const exited = new Promise((resolve) => server.once("exit", resolve));
        server.kill("SIGTERM");
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
