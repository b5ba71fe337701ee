import { describe, expect, it } from "vitest";
import { integrityHashes, prefixedHash } from "./integrity-hashes.ts";
import { licenseChoices } from "./spdx-licenses.ts";
import { jsonKeyLines } from "./json-key-lines.ts";

describe("integrityHashes", () => {
  it("converts every SRI part to hex and skips unknown algorithms", () => {
    expect(
      integrityHashes(
        "sha1-VgiurfwAvmwpAd9fmGF4jeDVl8g= md5-AAAA sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
      ),
    ).toEqual([
      { alg: "SHA-1", content: "5608aeadfc00be6c2901df5f9861788de0d597c8" },
      { alg: "SHA-256", content: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
    ]);
    expect(integrityHashes(undefined)).toEqual([]);
  });

  it("reads prefixed hex hashes", () => {
    expect(prefixedHash("sha256:ABCDEF")).toEqual({ alg: "SHA-256", content: "abcdef" });
    expect(prefixedHash("md5:abcdef")).toBeUndefined();
    expect(prefixedHash("sha256:not-hex")).toBeUndefined();
  });
});

describe("licenseChoices", () => {
  it("uses ids for common SPDX ids, names otherwise, one expression when one combines ids", () => {
    expect(licenseChoices(["MIT", "Custom", "MIT"])).toEqual([
      { license: { name: "Custom" } },
      { license: { id: "MIT" } },
    ]);
    expect(licenseChoices(["(MIT OR Apache-2.0)"])).toEqual([{ expression: "(MIT OR Apache-2.0)" }]);
    expect(licenseChoices(["ISC", "MIT OR X"])).toEqual([{ expression: "(ISC) AND (MIT OR X)" }]);
  });
});

describe("jsonKeyLines", () => {
  it("finds the line of object-valued keys by path", () => {
    const lines = jsonKeyLines(
      '{\n  "a": {\n    "b": {\n      "c": 1\n    }\n  },\n  "d": {\n    "b": {}\n  }\n}\n',
    );
    expect(lines.get("a")).toBe(2);
    expect(lines.get("a\nb")).toBe(3);
    expect(lines.get("d")).toBe(7);
    expect(lines.get("d\nb")).toBeUndefined(); // `{}` on one line opens nothing to point at
  });
});
