import { describe, expect, it } from "vitest";
import { dnsLabel, labelValue } from "./kube-names.ts";

const DNS = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

describe("dnsLabel", () => {
  it("keeps a valid label as it is and cleans others with a hash that keeps them distinct", () => {
    expect(dnsLabel("web")).toBe("web");
    const a = dnsLabel("Octo/Web");
    const b = dnsLabel("octo-web");
    expect(a).toMatch(DNS);
    expect(a).not.toBe(b);
    expect(dnsLabel("x".repeat(100))).toMatch(DNS);
    expect(dnsLabel("x".repeat(100)).length).toBeLessThanOrEqual(63);
    expect(dnsLabel("___")).toMatch(DNS);
  });

  it("makes label values", () => {
    expect(labelValue("octo.web")).toBe("octo.web");
    expect(labelValue("-a/b-")).toBe("a-b");
    expect(labelValue("y".repeat(70)).length).toBeLessThanOrEqual(63);
  });
});
