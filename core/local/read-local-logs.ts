import { open, readdir } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { envDirFor, envPaths, releaseLogFile } from "./env-paths.ts";
import { isDirectory } from "./is-directory.ts";
import { InvalidReleaseError, UnknownEnvironmentError } from "./local-errors.ts";
import { LOG_STREAMS, type LogLine, type LogStream } from "./log-writer.ts";
import { activeRelease, readHistory } from "./release-history.ts";

export interface ReadLocalLogsRequest {
  stateDir: string;
  envName: string;
  /** A release number; default: the release serving now (else the newest attempted). */
  release?: number;
  /** Only the last N lines (of those at or after `since`); with follow, lines written after the call are new. */
  tail?: number;
  since?: Date;
  /** Keep yielding lines as they are written, following the serving release across switches. */
  follow?: boolean;
  /** Ends a follow. */
  signal?: AbortSignal;
  /** How often a follow looks for new lines; default 150 ms. */
  pollMs?: number;
}

const CHUNK = 64 * 1024;

/**
 * The lines of a release's log, oldest first, each with its release number. With `follow`, the iteration
 * goes on until `signal` aborts: new lines are yielded as they arrive, and when no release was named it moves
 * to the new release's log when a deploy or rollback switches the environment.
 * @example for await (const l of readLocalLogs({ stateDir, envName: "production", tail: 50 })) print(l.line)
 */
export async function* readLocalLogs(request: ReadLocalLogsRequest): AsyncGenerator<LogLine> {
  // With follow, lines stamped from this moment on are new: they are all shown, whatever `tail` says.
  const began = Date.now();
  const envDir = envDirFor(request);
  if (!(await isDirectory(envDir))) throw new UnknownEnvironmentError(request.envName, envDir);
  const { since, signal } = request;
  const pick = (): Promise<number | undefined> => currentRelease(envDir);
  let release = request.release ?? (await pick());
  if (request.release !== undefined && !(await exists(releaseLogFile(envDir, request.release)))) {
    throw new InvalidReleaseError(
      `release ${request.release} of "${request.envName}" has no log in ${envDir}/logs`,
    );
  }
  const keep = (line: LogLine): boolean => since === undefined || Date.parse(line.t) >= since.getTime();
  let offset = 0;
  if (release !== undefined) {
    const file = releaseLogFile(envDir, release);
    offset = request.tail === undefined ? 0 : await tailOffset(file, request.tail);
    const read = await readLines(file, offset);
    offset = read.next;
    const isNew = (line: LogLine): boolean => request.follow === true && Date.parse(line.t) >= began;
    const old = read.lines.filter((line) => keep(line) && !isNew(line));
    const shown = request.tail === undefined ? old : old.slice(Math.max(0, old.length - request.tail));
    for (const line of [...shown, ...read.lines.filter((l) => keep(l) && isNew(l))])
      yield { ...line, release };
  }
  if (!request.follow) return;
  while (!signal?.aborted) {
    try {
      await sleep(request.pollMs ?? 150, undefined, signal ? { signal } : {});
    } catch {
      return;
    }
    if (request.release === undefined) {
      const now = await pick();
      if (now !== release) {
        release = now;
        offset = 0;
      }
    }
    if (release === undefined) continue;
    const read = await readLines(releaseLogFile(envDir, release), offset);
    offset = read.next;
    for (const line of read.lines) if (keep(line)) yield { ...line, release };
  }
}

/** The serving release; else the newest in the history; else the newest log (a first deploy in progress). */
async function currentRelease(envDir: string): Promise<number | undefined> {
  const history = await readHistory(envPaths(envDir).historyFile).catch(() => []);
  const active = activeRelease(history);
  if (active) return active.number;
  const files = await readdir(envPaths(envDir).logsDir).catch(() => []);
  const numbers = [
    ...history.map((r) => r.number),
    ...files.flatMap((f) => (/^\d+\.log$/.test(f) ? [parseInt(f, 10)] : [])),
  ];
  return numbers.length === 0 ? undefined : Math.max(...numbers);
}

/** Complete lines from byte `from` to the end of the file; `next` is where the next read starts. */
async function readLines(file: string, from: number): Promise<{ lines: LogLine[]; next: number }> {
  const handle = await open(file, "r").catch(() => undefined);
  if (handle === undefined) return { lines: [], next: from };
  try {
    const { size } = await handle.stat();
    if (size <= from) return { lines: [], next: size < from ? 0 : from };
    const buffer = Buffer.alloc(size - from);
    await handle.read(buffer, 0, buffer.length, from);
    const end = buffer.lastIndexOf(0x0a) + 1;
    const lines = buffer.subarray(0, end).toString("utf8").split("\n").flatMap(parseLine);
    return { lines, next: from + end };
  } finally {
    await handle.close();
  }
}

/** The byte offset where the last `count` lines start, read backwards so a large log is not read whole. */
async function tailOffset(file: string, count: number): Promise<number> {
  const handle = await open(file, "r").catch(() => undefined);
  if (handle === undefined) return 0;
  try {
    const { size } = await handle.stat();
    let position = size;
    let newlines = 0;
    const buffer = Buffer.alloc(CHUNK);
    while (position > 0) {
      const length = Math.min(CHUNK, position);
      position -= length;
      await handle.read(buffer, 0, length, position);
      for (let i = length - 1; i >= 0; i -= 1) {
        // The newline ending the last line does not count; the one before the first kept line is the cut.
        if (buffer[i] === 0x0a && position + i !== size - 1 && ++newlines === count) return position + i + 1;
      }
    }
    return 0;
  } finally {
    await handle.close();
  }
}

function parseLine(text: string): LogLine[] {
  if (text.trim() === "") return [];
  try {
    const raw: unknown = JSON.parse(text);
    if (typeof raw !== "object" || raw === null) return [];
    const { t, stream, line } = raw as Record<string, unknown>;
    const streams: readonly unknown[] = LOG_STREAMS;
    if (typeof t !== "string" || typeof line !== "string" || !streams.includes(stream)) return [];
    return [{ t, stream: stream as LogStream, line }];
  } catch {
    return [];
  }
}

async function exists(file: string): Promise<boolean> {
  const handle = await open(file, "r").catch(() => undefined);
  await handle?.close();
  return handle !== undefined;
}
