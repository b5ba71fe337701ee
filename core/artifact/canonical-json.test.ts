import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.ts";

describe("canonicalJson", () => {
  it("sorts keys at every depth and drops undefined values", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it("gives equal bytes for equal values built in different orders", () => {
    const one = { name: "x", layers: [{ role: "deps", size: 1 }] };
    const two = { layers: [{ size: 1, role: "deps" }], name: "x" };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it("keeps array order and plain values", () => {
    expect(canonicalJson([2, 1, "é", null, true])).toBe('[2,1,"é",null,true]');
  });
});
