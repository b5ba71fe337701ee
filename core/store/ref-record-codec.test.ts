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

  it("keeps the build's figures when recorded, and leaves out malformed ones instead of failing", () => {
    const figures = { timings: { buildMs: 2400, uploadMs: 180 }, bytes: { uploaded: 9000, reused: 742000 } };
    const bytes = encodeRefRecord({ ...RECORD, ...figures });
    expect(bytes.toString("utf8")).toBe(
      `{"builder":"ci","builtAt":"2025-01-01T00:00:00Z","bytes":{"reused":742000,"uploaded":9000},` +
        `"digest":"${RECORD.digest}","path":"apps/web","timings":{"buildMs":2400,"uploadMs":180}}`,
    );
    expect(decodeRefRecord(bytes, "here")).toEqual({ ...RECORD, ...figures });
    const malformed = JSON.stringify({
      ...RECORD,
      timings: { buildMs: -1, uploadMs: 3 },
      bytes: { uploaded: "9000", reused: 1 },
    });
    expect(decodeRefRecord(Buffer.from(malformed), "here")).toEqual(RECORD);
    const halves = JSON.stringify({ ...RECORD, timings: { buildMs: 5 }, bytes: [1, 2] });
    expect(decodeRefRecord(Buffer.from(halves), "here")).toEqual(RECORD);
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
