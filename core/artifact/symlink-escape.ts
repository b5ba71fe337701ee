import { lstatSync, readlinkSync } from "node:fs";
import { isAbsolute, posix } from "node:path";

/** How many links one resolution may follow before it counts as a loop (Linux's limit is 40). */
const MAX_FOLLOWS = 40;

export interface SymlinkEscapeRequest {
  /** The tree the link must stay inside, on disk. */
  root: string;
  /** The link's path relative to `root`, "/"-separated. */
  link: string;
  /** The link's target as stored. */
  target: string;
}

/**
 * Why a symlink would lead outside `root`, or undefined when it stays inside. Resolves component by
 * component against the tree on disk, following links inside it, so `a -> .` plus `b -> a/..` is caught
 * although each looks harmless alone; parts that do not exist (dangling links) are resolved lexically.
 * @example symlinkEscape({ root, link: "node_modules/.bin/tsc", target: "../typescript/bin/tsc" }) // undefined
 */
export function symlinkEscape(request: SymlinkEscapeRequest): string | undefined {
  const { root, target } = request;
  if (target === "") return "has an empty target";
  if (target.includes("\0")) return "has a NUL byte in its target";
  if (isAbsolute(target)) return `has an absolute target (${target}); make it relative to the link`;
  const pending = [...posix.dirname(request.link).split("/"), ...target.split("/")].reverse();
  const resolved: string[] = [];
  let follows = 0;
  while (pending.length > 0) {
    const part = pending.pop()!;
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (resolved.length === 0) return `points outside the tree (${target})`;
      resolved.pop();
      continue;
    }
    resolved.push(part);
    // Missing parts are checked too: a later ".." may lead back to parts that exist.
    const next = linkTargetAt(`${root}/${resolved.join("/")}`);
    if (next === undefined) continue;
    if (++follows > MAX_FOLLOWS) return `is part of a symlink loop (${target})`;
    if (isAbsolute(next))
      return `leads through ${resolved.join("/")}, which has an absolute target (${next})`;
    resolved.pop();
    pending.push(...next.split("/").reverse());
  }
  return undefined;
}

/** The target when `path` is a link; undefined when it is something else or missing. */
function linkTargetAt(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return undefined;
  }
}
