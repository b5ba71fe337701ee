import { describe, expect, it } from "vitest";
import { formatMs } from "./format-ms.ts";

describe("formatMs", () => {
  it("writes milliseconds below a second, tenths below ten seconds, whole seconds above", () => {
    expect([
      formatMs(0),
      formatMs(999.4),
      formatMs(1_000),
      formatMs(1_550),
      formatMs(30_000),
      formatMs(61_400),
    ]).toEqual(["0 ms", "999 ms", "1 s", "1.6 s", "30 s", "61 s"]);
  });
});
