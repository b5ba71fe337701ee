import { createHash, randomUUID } from "node:crypto";
import { createWriteStream, realpathSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { once } from "node:events";
import { join, relative, resolve, sep } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Digest } from "./digest.ts";
import { createGzipStream } from "./gzip-stream.ts";
import { TarWriter } from "./tar-writer.ts";
import { walkTree } from "./walk-tree.ts";

export { DEFAULT_EPOCH, epochFromEnv } from "./epoch.ts";

export interface PackProgress {
  /** Entries (files, folders, links) written so far. */
  files: number;
  /** File content bytes read so far. */
  bytesIn: number;
}

export interface PackLayerRequest {
  /** Folder whose contents become the layer. */
  root: string;
  /** Folder path the contents sit under inside the layer ("node_modules"), "" for the top. */
  prefix: string;
  /** Paths relative to `root`, or folder names at any depth ending in "/" (see `excludeMatcher`). */
  exclude: readonly string[];
  /** Seconds since 1970 stamped on every entry: `epochFromEnv(env)`. */
  epoch: number;
  /** Where `<hex>.tar.gz` is written (created when missing). */
  outDir: string;
  /** Called about once per MiB of archive and at the end. */
  onProgress?: (progress: PackProgress) => void;
}

export interface PackedLayer {
  /** `<outDir>/<hex>.tar.gz` */
  path: string;
  /** sha256 of the compressed bytes. */
  digest: Digest;
  /** Compressed size in bytes. */
  size: number;
  entries: number;
}

/**
 * Packs a folder into a reproducible, content-addressed tar.gz layer: the same tree gives the same bytes
 * on any machine with the same zlib, whatever its file times, owners, permission bits other than
 * execute, or creation order. Streams with flat memory; the file appears under its digest only when
 * complete. Throws `SymlinkEscapeError` for a link that leads outside `root`.
 * @example await packLayer({ root: "app/node_modules", prefix: "node_modules", exclude: [".cache/"],
 *   epoch: epochFromEnv(env), outDir: ".aether/cache/layers" })
 */
export async function packLayer(request: PackLayerRequest): Promise<PackedLayer> {
  const prefix = cleanPrefix(request.prefix);
  await mkdir(request.outDir, { recursive: true });
  const temp = join(request.outDir, `.pack-${randomUUID()}.tmp`);
  const exclude = [...request.exclude, ...selfExclusion(request.root, request.outDir, temp)];

  const hash = createHash("sha256");
  let size = 0;
  const gzip = createGzipStream();
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  let streamError: unknown;
  const abort = new AbortController();
  const written = pipeline(gzip, tap, createWriteStream(temp, { flags: "wx" })).catch((error: unknown) => {
    streamError = error;
    abort.abort();
  });
  const writer = new TarWriter({
    epoch: request.epoch,
    write: (chunk) => {
      const full = !gzip.write(chunk);
      request.onProgress?.({ files: writer.entries, bytesIn: writer.bytesIn });
      return full ? once(gzip, "drain", { signal: abort.signal }).then(() => undefined) : undefined;
    },
  });

  try {
    let folder = "";
    for (const part of prefix === "" ? [] : prefix.split("/")) {
      folder = folder === "" ? part : `${folder}/${part}`;
      await writer.addDirectory(folder);
    }
    const under = prefix === "" ? "" : `${prefix}/`;
    for (const entry of walkTree({ root: request.root, exclude })) {
      const path = under + entry.path;
      if (entry.kind === "file") await writer.addFile(path, entry.absolute);
      else if (entry.kind === "directory") await writer.addDirectory(path);
      else await writer.addSymlink(path, entry.target);
    }
    await writer.finish();
    gzip.end();
    await written;
    if (streamError !== undefined) throw streamError;
    const hex = hash.digest("hex");
    const path = join(request.outDir, `${hex}.tar.gz`);
    await rename(temp, path);
    request.onProgress?.({ files: writer.entries, bytesIn: writer.bytesIn });
    return { path, digest: `sha256:${hex}`, size, entries: writer.entries };
  } catch (error) {
    // A stream failure (disk full) is the cause; anything after it is a consequence.
    const cause = streamError ?? error;
    gzip.destroy();
    await written;
    await rm(temp, { force: true });
    throw cause;
  }
}

function cleanPrefix(prefix: string): string {
  const clean = prefix.replace(/^\.\/+/, "").replace(/\/+$/, "");
  if (clean === "" || clean === ".") return "";
  const parts = clean.split("/");
  if (clean.startsWith("/") || parts.some((p) => p === "" || p === "." || p === "..")) {
    throw new Error(`layer prefix "${prefix}" must be a relative folder path such as "node_modules"`);
  }
  return clean;
}

/** Keeps the output folder (or the temp file) out of the layer when it lies inside the packed tree. */
function selfExclusion(root: string, outDir: string, temp: string): string[] {
  let inside: string;
  try {
    inside = relative(realpathSync(resolve(root)), realpathSync(resolve(outDir)));
  } catch {
    return [];
  }
  if (inside === ".." || inside.startsWith(`..${sep}`) || resolve(inside) === inside) return [];
  const path = inside === "" ? relative(resolve(outDir), temp) : inside;
  return [path.split(sep).join("/")];
}
