import { BLOCK_SIZE, paddingFor, tarHeader, type TarEntryKind } from "../../core/artifact/tar-header.ts";

export interface HandEntry {
  path: string;
  kind?: TarEntryKind;
  body?: string;
  target?: string;
  mode?: number;
}

/**
 * An uncompressed tar made entry by entry, so a test can hold what our packer never writes (`..`, absolute
 * paths, links out of the tree, duplicates).
 */
export function handMadeTar(entries: HandEntry[], mtime = 0): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const body = Buffer.from(e.body ?? "");
    parts.push(
      tarHeader({
        path: e.path,
        kind: e.kind ?? "file",
        mode: e.mode ?? 0o644,
        size: body.length,
        mtime,
        linkTarget: e.target ?? "",
      }),
      body,
      Buffer.alloc(paddingFor(body.length)),
    );
  }
  return Buffer.concat([...parts, Buffer.alloc(2 * BLOCK_SIZE)]);
}
