import { encodeRefRecord } from "./ref-record-codec.ts";
import { InvalidSourceRefError, normalizeAppPath, refKey } from "./store-layout.ts";
import type { RefRecord, SourceRef } from "./store.ts";

/**
 * The key and bytes a store writes for `putRef`. The record's path must name the ref's folder (both
 * normalised), so an index entry never claims to be the build of another app; it is stored normalised.
 */
export function refEntry(ref: SourceRef, record: RefRecord): { key: string; bytes: Buffer } {
  const key = refKey(ref);
  const path = normalizeAppPath(ref.path);
  if (normalizeAppPath(record.path) !== path) {
    throw new InvalidSourceRefError(
      `the record of ${ref.repository}@${ref.commit.slice(0, 7)} says path ${JSON.stringify(record.path)} ` +
        `but is indexed under path ${JSON.stringify(path)}; pass the app's folder as both`,
    );
  }
  return { key, bytes: encodeRefRecord({ ...record, path }) };
}

/**
 * Looks a ref up with `read` (the store's read of one key). Before the index had a key per app path, the
 * builds of every path went to the root key; such a record still answers for its own path, so an app in a
 * folder built by an older builder deploys without a rebuild.
 */
export async function lookUpRef(
  ref: SourceRef,
  read: (key: string) => Promise<RefRecord | undefined>,
): Promise<RefRecord | undefined> {
  const found = await read(refKey(ref));
  const path = normalizeAppPath(ref.path);
  if (found !== undefined || path === ".") return found;
  const legacy = await read(refKey({ repository: ref.repository, commit: ref.commit }));
  return legacy !== undefined && normalizeAppPath(legacy.path) === path ? legacy : undefined;
}
