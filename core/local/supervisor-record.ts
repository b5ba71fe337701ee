import { readFile } from "node:fs/promises";
import { isErrno } from "./is-errno.ts";
import { writeJsonAtomic } from "./write-json-atomic.ts";

/** A release process the supervisor started, so a successor can end it after a supervisor crash. */
export interface ChildRecord {
  release: number;
  pid: number;
}

/** supervisor.json: who supervises the environment, where to reach it, and the public port. */
export interface SupervisorRecord {
  pid: number;
  socket: string;
  /** The environment's public port; kept after the supervisor exits so the URL survives restarts. */
  port?: number;
  startedAt: string;
  /** Set when the supervisor was stopped on purpose (POST /stop): nobody should bring it back unasked. */
  stoppedAt?: string;
  children: ChildRecord[];
}

/** The record, or undefined when there is none (or it is unreadable: it only holds what a restart can redo). */
export async function readSupervisorRecord(file: string): Promise<SupervisorRecord | undefined> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    if (isErrno(error, "ENOENT") || error instanceof SyntaxError) return undefined;
    throw error;
  }
  if (typeof raw !== "object" || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r["pid"] !== "number" || typeof r["socket"] !== "string" || typeof r["startedAt"] !== "string") {
    return undefined;
  }
  const children = Array.isArray(r["children"]) ? r["children"] : [];
  return {
    pid: r["pid"],
    socket: r["socket"],
    ...(typeof r["port"] === "number" ? { port: r["port"] } : {}),
    startedAt: r["startedAt"],
    ...(typeof r["stoppedAt"] === "string" ? { stoppedAt: r["stoppedAt"] } : {}),
    children: children.flatMap((c: unknown) => {
      if (typeof c !== "object" || c === null) return [];
      const { release, pid } = c as Record<string, unknown>;
      return typeof release === "number" && typeof pid === "number" ? [{ release, pid }] : [];
    }),
  };
}

export async function writeSupervisorRecord(file: string, record: SupervisorRecord): Promise<void> {
  await writeJsonAtomic(file, record);
}
