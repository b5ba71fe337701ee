import { readFile } from "node:fs/promises";
import { isDigest, type Digest } from "../artifact/digest.ts";
import type { ArtifactManifest } from "../artifact/manifest.ts";
import { decodeManifest } from "../artifact/manifest-codec.ts";
import { isErrno } from "./is-errno.ts";
import { writeJsonAtomic } from "./write-json-atomic.ts";

export const RELEASE_STATUSES = ["active", "superseded", "failed", "rolled-back"] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];

/** One release of an environment as users see it (`aether status`, `--json`). */
export interface ReleaseRecord {
  number: number;
  digest: Digest;
  /** ISO time the release was attempted. */
  createdAt: string;
  status: ReleaseStatus;
  /** For a rollback: the release whose artifact this one runs again. */
  rollbackOf?: number;
  /** Why it failed. */
  reason?: string;
}

/**
 * What history.json keeps per release: enough to start it again after a supervisor restart or a rollback.
 * `env` may hold secrets the user passed, so the file is written mode 0600 and `env` never leaves core.
 */
export interface StoredRelease extends ReleaseRecord {
  releaseDir: string;
  manifest: ArtifactManifest;
  env: Record<string, string>;
}

const HISTORY_VERSION = 1;

/** The releases of an environment, oldest first; empty when there is no history yet. */
export async function readHistory(file: string): Promise<StoredRelease[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (isErrno(error, "ENOENT")) return [];
    throw error;
  }
  return parseHistory(text, file);
}

/** Replaces history.json atomically. */
export async function writeHistory(file: string, releases: readonly StoredRelease[]): Promise<void> {
  await writeJsonAtomic(file, { version: HISTORY_VERSION, releases }, 0o600);
}

/** The release the environment serves, if any. */
export function activeRelease(releases: readonly StoredRelease[]): StoredRelease | undefined {
  return releases.find((r) => r.status === "active");
}

/**
 * The history after `release` was switched on: the release it replaces becomes `replacedAs` (superseded by a
 * deploy, rolled-back by a rollback) and `release` is appended as active.
 */
export function withActive(
  releases: readonly StoredRelease[],
  release: StoredRelease,
  replacedAs: "superseded" | "rolled-back",
): StoredRelease[] {
  const updated = releases.map((r): StoredRelease =>
    r.status === "active" ? { ...r, status: replacedAs } : r,
  );
  return [...updated, { ...release, status: "active" }];
}

/** The user-facing part of a stored release (no environment values, no manifest). */
export function publicRecord(release: StoredRelease): ReleaseRecord {
  const { number, digest, createdAt, status, rollbackOf, reason } = release;
  return {
    number,
    digest,
    createdAt,
    status,
    ...(rollbackOf === undefined ? {} : { rollbackOf }),
    ...(reason === undefined ? {} : { reason }),
  };
}

function parseHistory(text: string, file: string): StoredRelease[] {
  const fail = (what: string): never => {
    throw new Error(`${file}: ${what}; move the file away to start the environment's history afresh`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return fail("is not valid JSON");
  }
  const releases = isObject(raw) ? raw["releases"] : undefined;
  if (!Array.isArray(releases)) return fail('has no "releases" array');
  return releases.map((entry: unknown, i): StoredRelease => {
    if (!isObject(entry)) return fail(`releases[${i}] is not an object`);
    const { number, digest, createdAt, status, rollbackOf, reason, releaseDir, manifest, env } = entry;
    if (typeof number !== "number" || !Number.isInteger(number))
      return fail(`releases[${i}].number is not an integer`);
    if (typeof digest !== "string" || !isDigest(digest)) return fail(`releases[${i}].digest is not a digest`);
    if (typeof createdAt !== "string") return fail(`releases[${i}].createdAt is not a string`);
    const known: readonly unknown[] = RELEASE_STATUSES;
    if (!known.includes(status))
      return fail(`releases[${i}].status is not one of ${RELEASE_STATUSES.join(", ")}`);
    if (typeof releaseDir !== "string") return fail(`releases[${i}].releaseDir is not a string`);
    if (!isObject(env) || !Object.values(env).every((v) => typeof v === "string")) {
      return fail(`releases[${i}].env is not an object of strings`);
    }
    return {
      number,
      digest,
      createdAt,
      status: status as ReleaseStatus,
      ...(typeof rollbackOf === "number" ? { rollbackOf } : {}),
      ...(typeof reason === "string" ? { reason } : {}),
      releaseDir,
      manifest: decodeManifest(JSON.stringify(manifest), `${file} releases[${i}].manifest`),
      env: env as Record<string, string>,
    };
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
