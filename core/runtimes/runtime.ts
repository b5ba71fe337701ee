import type { RuntimeName } from "../artifact/manifest.ts";

/** What detection found in a source folder: enough to build it and to start it. */
export interface Detection {
  runtime: RuntimeName;
  /** Runtime version the app asks for (engines.node, go directive, …), when it says. */
  version?: string;
  /** The build tool: npm, pnpm, yarn, pip, uv, poetry, go, javac, maven, none. */
  tool: string;
  /** Lockfile path relative to the source folder, when there is one. */
  lockfile?: string;
  /** argv run from the release folder. */
  start: string[];
  /** Where the start command came from: "package.json scripts.start", "Procfile web", "convention". */
  startSource: string;
  port: number;
  healthPath: string;
  /** One line for people: `node 24 · npm · start "node server.js" · port 3000`. */
  summary: string;
}

/** Runs a command; handed in so tests and callers control processes and output. */
export type RunCommand = (request: {
  argv: string[];
  cwd: string;
  env?: Record<string, string>;
  onLine?: (line: string) => void;
}) => Promise<{ code: number; output: string }>;

/** Which layer a built folder becomes, and where it sits in the release folder. */
export interface LayerSource {
  /** Folder whose contents are packed. */
  root: string;
  /** Path prefix inside the layer (and the release folder), "" for the top. */
  prefix: string;
  /** Relative paths (or folder names at any depth, ending in /) left out. */
  exclude: string[];
}
