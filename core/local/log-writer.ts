import { createWriteStream } from "node:fs";

export const LOG_STREAMS = ["stdout", "stderr", "aether"] as const;
/** Where a line came from: the app's two streams, or Aether itself (start, exit, restart, stop). */
export type LogStream = (typeof LOG_STREAMS)[number];

/** One line of a release log. On disk each is a JSON object on its own line; readers add `release`. */
export interface LogLine {
  /** ISO time the line was received. */
  t: string;
  stream: LogStream;
  line: string;
  release?: number;
}

export interface LogWriter {
  write(stream: LogStream, line: string): void;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

/**
 * Appends JSON lines to a release's log file. Write errors (the environment folder removed under a running
 * supervisor) are ignored: losing log lines must never stop a release.
 */
export function openLogWriter(file: string, now: () => Date = () => new Date()): LogWriter {
  const out = createWriteStream(file, { flags: "a", mode: 0o600 });
  out.on("error", () => undefined);
  return {
    write(stream, line) {
      if (out.writable) out.write(`${JSON.stringify({ t: now().toISOString(), stream, line })}\n`);
    },
    close() {
      return new Promise((done) => {
        if (out.closed || out.destroyed) return done();
        out.end(() => done());
        out.once("error", () => done());
      });
    },
  };
}
