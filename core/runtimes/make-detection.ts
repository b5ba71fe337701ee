import type { RuntimeName } from "../artifact/manifest.ts";
import type { Detection } from "./runtime.ts";

/** A start command with the text people wrote and where it came from. */
export interface StartChoice {
  argv: string[];
  /** The command as written (shown in the summary), before any `sh -c` wrapping. */
  text: string;
  source: string;
}

/**
 * Assembles a Detection and its one-line summary: `node >=20 · npm · start "node server.js" · port 3000`,
 * followed by `⚠` notes for things the user should know (no lockfile, several lockfiles …).
 */
export function makeDetection(parts: {
  runtime: RuntimeName;
  version: string | undefined;
  tool: string;
  lockfile: string | undefined;
  start: StartChoice;
  port: number;
  notes?: string[];
}): Detection {
  const { runtime, version, tool, lockfile, start, port, notes = [] } = parts;
  const summary = [
    version === undefined ? runtime : `${runtime} ${version}`,
    ...(tool === "none" ? [] : [tool]),
    `start "${start.text}"`,
    `port ${port}`,
    ...notes.map((note) => `⚠ ${note}`),
  ].join(" · ");
  return {
    runtime,
    ...(version === undefined ? {} : { version }),
    tool,
    ...(lockfile === undefined ? {} : { lockfile }),
    start: start.argv,
    startSource: start.source,
    port,
    healthPath: "/health",
    summary,
  };
}
