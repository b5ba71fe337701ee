import { describe, expect, it } from "vitest";
import { lineSplitter } from "./line-splitter.ts";

describe("lineSplitter", () => {
  it("splits across chunks, drops CR, keeps UTF-8 split mid-character, and flushes the last line", () => {
    const lines: string[] = [];
    const split = lineSplitter((l) => lines.push(l));
    const bytes = Buffer.from("one\r\ntw€o\nthr", "utf8");
    split.push(bytes.subarray(0, 8));
    split.push(bytes.subarray(8));
    split.push(Buffer.from("ee"));
    expect(lines).toEqual(["one", "tw€o"]);
    split.end();
    expect(lines).toEqual(["one", "tw€o", "three"]);
  });

  it("cuts a runaway line into 16 KiB pieces", () => {
    const lines: string[] = [];
    const split = lineSplitter((l) => lines.push(l));
    split.push(Buffer.from("x".repeat(40 * 1024)));
    split.end();
    expect(lines.map((l) => l.length)).toEqual([16384, 16384, 8192]);
  });
});
