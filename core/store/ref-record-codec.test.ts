import { describe, expect, it } from "vitest";
import { digestOf } from "../artifact/digest.ts";
import { decodeRefRecord, encodeRefRecord } from "./ref-record-codec.ts";
import type { RefRecord } from "./store.ts";

const RECORD: RefRecord = {
  digest: digestOf("a"),
  path: "apps/web",
  builtAt: "2025-01-01T00:00:00Z",
  builder: "ci",
};

describe("ref record codec", () => {
  it("round-trips a record as canonical JSON, without extra fields", () => {
    const bytes = encodeRefRecord({ ...RECORD, extra: "dropped" } as RefRecord);
    expect(bytes.toString("utf8")).toBe(
      `{"builder":"ci","builtAt":"2025-01-01T00:00:00Z","digest":"${RECORD.digest}","path":"apps/web"}`,
    );
    expect(decodeRefRecord(bytes, "here")).toEqual(RECORD);
  });

  it.each([
    ["not JSON", "{", /here: ref record is not valid JSON/],
    ["an array", "[]", /here: ref record is not an object/],
    ["a bad digest", JSON.stringify({ ...RECORD, digest: "md5:x" }), /field digest is not a sha256 digest/],
    ["an empty path", JSON.stringify({ ...RECORD, path: "" }), /field path/],
    ["no builtAt", JSON.stringify({ ...RECORD, builtAt: 1 }), /field builtAt/],
    ["no builder", JSON.stringify({ ...RECORD, builder: null }), /field builder/],
  ])("refuses %s", (_what, text, message) => {
    expect(() => decodeRefRecord(Buffer.from(text), "here")).toThrow(message);
  });
});
