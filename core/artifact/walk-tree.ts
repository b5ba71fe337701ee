import { readdirSync, readlinkSync, statSync, type Dirent } from "node:fs";
import { resolve } from "node:path";
import { excludeMatcher, type ExcludeMatcher } from "./exclude-matcher.ts";
import { symlinkEscape } from "./symlink-escape.ts";

/** One entry of a walked tree; `path` is relative to the root and "/"-separated. */
export type TreeEntry =
  | { kind: "file"; path: string; absolute: string }
  | { kind: "directory"; path: string; absolute: string }
  | { kind: "symlink"; path: string; absolute: string; target: string };

/** A symlink in a tree being packed leads outside it; the layer would not work anywhere else. */
export class SymlinkEscapeError extends Error {
  readonly path: string;
  constructor(path: string, why: string) {
    super(
      `${path}: symlink ${why}. A layer may only hold links to paths inside it; ` +
        `replace the link with a copy, make it relative, or exclude it.`,
    );
    this.name = "SymlinkEscapeError";
    this.path = path;
  }
}

export interface WalkTreeRequest {
  root: string;
  /** Rules as `excludeMatcher` reads them. */
  exclude?: readonly string[];
}

/**
 * Walks `root` depth first in a fixed order: each folder's names sorted by their UTF-8 bytes (a folder
 * as "name/"), a folder before its contents, so the paths come out in byte order as a whole. Regular
 * files (hard links included), folders and symlinks are yielded (the root itself is not); sockets,
 * fifos and devices are skipped. Throws `SymlinkEscapeError` for a link that
 * leads outside the root. Uses synchronous directory reads: the walk feeds a packer that reads files
 * synchronously too, and per-call thread-pool round trips would dominate on node_modules-sized trees.
 */
export function* walkTree(request: WalkTreeRequest): Generator<TreeEntry> {
  const root = resolve(request.root);
  if (!statSync(root).isDirectory()) throw new Error(`${root} is not a folder; nothing to pack`);
  yield* walkFolder(root, "", root, excludeMatcher(request.exclude ?? []));
}

function* walkFolder(
  root: string,
  relative: string,
  absolute: string,
  excluded: ExcludeMatcher,
): Generator<TreeEntry> {
  for (const dirent of sortedEntries(absolute)) {
    const name = dirent.name;
    const path = relative === "" ? name : `${relative}/${name}`;
    const full = `${absolute}/${name}`;
    if (dirent.isDirectory()) {
      if (excluded(path, name, true)) continue;
      yield { kind: "directory", path, absolute: full };
      yield* walkFolder(root, path, full, excluded);
    } else if (excluded(path, name, false)) {
      continue;
    } else if (dirent.isFile()) {
      yield { kind: "file", path, absolute: full };
    } else if (dirent.isSymbolicLink()) {
      const target = readlinkSync(full);
      const why = symlinkEscape({ root, link: path, target });
      if (why !== undefined) throw new SymlinkEscapeError(full, why);
      yield { kind: "symlink", path, absolute: full, target };
    }
  }
}

function sortedEntries(folder: string): Dirent[] {
  // A folder sorts as "name/", as it is named in the tar, so the walk yields whole paths in byte order.
  const keyed = readdirSync(folder, { withFileTypes: true }).map((entry) => ({
    entry,
    key: entry.isDirectory() ? `${entry.name}/` : entry.name,
  }));
  // UTF-16 order equals UTF-8 byte order for ASCII, the common case; otherwise compare the bytes.
  if (keyed.every(({ key }) => Buffer.byteLength(key, "utf8") === key.length)) {
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  } else {
    const bytes = new Map(keyed.map(({ key }) => [key, Buffer.from(key, "utf8")]));
    keyed.sort((a, b) => Buffer.compare(bytes.get(a.key)!, bytes.get(b.key)!));
  }
  return keyed.map(({ entry }) => entry);
}
