import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration } from "./format.ts";

describe("formatBytes", () => {
  it("uses decimal units with one decimal below 100", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(14_200)).toBe("14.2 kB");
    expect(formatBytes(1_900_000)).toBe("1.9 MB");
    expect(formatBytes(250_000_000)).toBe("250 MB");
    expect(formatBytes(3_000_000_000_000_000)).toBe("3000 TB");
  });
});

describe("formatDuration", () => {
  it("switches from ms to seconds to minutes", () => {
    expect(formatDuration(12.4)).toBe("12 ms");
    expect(formatDuration(400)).toBe("400 ms");
    expect(formatDuration(1400)).toBe("1.4 s");
    expect(formatDuration(65_000)).toBe("1 m 05 s");
  });
});
