import { describe, expect, it } from "vitest";
import { dateKey, parseKubeLogLine, timeKey } from "./parse-kube-log-line.ts";

describe("parseKubeLogLine", () => {
  it("splits a kubelet line with nanoseconds and keeps spaces in the text", () => {
    expect(parseKubeLogLine("2026-11-25T10:00:00.123456789Z GET /health 200  3ms")).toEqual({
      time: "2026-11-25T10:00:00.123456789Z",
      key: "2026-11-25T10:00:00.123456789Z",
      line: "GET /health 200  3ms",
    });
  });

  it("reads an empty line and a CRLF line", () => {
    expect(parseKubeLogLine("2026-11-25T10:00:00Z")?.line).toBe("");
    expect(parseKubeLogLine("2026-11-25T10:00:00.5Z done\r")?.line).toBe("done");
  });

  it("refuses a line without a timestamp", () => {
    expect(parseKubeLogLine("panic: boom")).toBeUndefined();
    expect(parseKubeLogLine("")).toBeUndefined();
  });
});

describe("timeKey", () => {
  it("sorts as text in time order whatever the fraction length", () => {
    const times = ["2026-11-25T10:00:00.12Z", "2026-11-25T10:00:00.1Z", "2026-11-25T10:00:00Z"];
    const sorted = [...times].sort((a, b) => (timeKey(a) ?? "").localeCompare(timeKey(b) ?? ""));
    expect(sorted).toEqual(["2026-11-25T10:00:00Z", "2026-11-25T10:00:00.1Z", "2026-11-25T10:00:00.12Z"]);
  });

  it("converts an offset to UTC and agrees with dateKey", () => {
    expect(timeKey("2026-11-25T12:00:00.250+02:00")).toBe("2026-11-25T10:00:00.250000000Z");
    expect(dateKey(new Date("2026-11-25T10:00:00.250Z"))).toBe("2026-11-25T10:00:00.250000000Z");
  });
});
