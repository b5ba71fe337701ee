import { describe, expect, it } from "vitest";
import { digestOf, isDigest, parseDigest, shortDigest } from "./digest.ts";

const EMPTY = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

describe("digest", () => {
  it("hashes bytes and strings the same way", () => {
    expect(digestOf("")).toBe(EMPTY);
    expect(digestOf(Buffer.from("abc"))).toBe(digestOf("abc"));
    expect(digestOf("abc")).toBe("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("accepts only lowercase sha256 digests", () => {
    expect(isDigest(EMPTY)).toBe(true);
    expect(isDigest(EMPTY.toUpperCase())).toBe(false);
    expect(isDigest(EMPTY.slice(0, -1))).toBe(false);
    expect(isDigest(EMPTY.replace("sha256", "sha512"))).toBe(false);
  });

  it("parses with an error that names where the value came from", () => {
    expect(parseDigest(EMPTY, "--artifact")).toBe(EMPTY);
    expect(() => parseDigest("sha256:xyz", "--artifact")).toThrow(
      '--artifact: "sha256:xyz" is not a sha256 digest',
    );
  });

  it("shortens for display", () => {
    expect(shortDigest(EMPTY)).toBe("sha256:e3b0…b855");
  });
});
