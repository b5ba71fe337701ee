import { describe, expect, it } from "vitest";
import { digestOf } from "../artifact/digest.ts";
import { decodeRefRecord } from "./ref-record-codec.ts";
import { lookUpRef, refEntry } from "./ref-index.ts";
import { refKey } from "./store-layout.ts";
import type { RefRecord } from "./store.ts";

const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const REF = { repository: "octo/shop", commit: COMMIT };
const record = (path: string): RefRecord => ({
  digest: digestOf(path),
  path,
  builtAt: "2030-01-01T00:00:00.000Z",
  builder: "test",
});

describe("refEntry", () => {
  it("stores the record under the ref's key with the path written one way", () => {
    const entry = refEntry({ ...REF, path: "./apps/web/" }, record("apps//web"));
    expect(entry.key).toBe(`refs/octo/shop/${COMMIT}/apps%2fweb.json`);
    expect(decodeRefRecord(entry.bytes, "here").path).toBe("apps/web");
  });

  it("refuses a record that names another folder than its key", () => {
    expect(() => refEntry(REF, record("apps/web"))).toThrow(
      /says path "apps\/web" but is indexed under path "\."/,
    );
  });
});

describe("lookUpRef", () => {
  const reader = (entries: Record<string, RefRecord>) => {
    const reads: string[] = [];
    const read = (key: string) => {
      reads.push(key);
      return Promise.resolve(entries[key]);
    };
    return { read, reads };
  };

  it("reads the root key once for the root", async () => {
    const { read, reads } = reader({});
    expect(await lookUpRef(REF, read)).toBeUndefined();
    expect(reads).toEqual([refKey(REF)]);
  });

  it("prefers the folder's own key over a record from an older builder", async () => {
    const own = record("apps/web");
    const { read } = reader({
      [refKey({ ...REF, path: "apps/web" })]: own,
      [refKey(REF)]: { ...own, digest: digestOf("older") },
    });
    expect(await lookUpRef({ ...REF, path: "apps/web" }, read)).toBe(own);
  });

  it("falls back to the root key only when its record is of the same folder", async () => {
    const legacy = record("./apps/web");
    const { read } = reader({ [refKey(REF)]: legacy });
    expect(await lookUpRef({ ...REF, path: "apps/web" }, read)).toBe(legacy);
    expect(await lookUpRef({ ...REF, path: "apps/api" }, read)).toBeUndefined();
  });
});
