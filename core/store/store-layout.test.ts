import { describe, expect, it } from "vitest";
import { digestOf, type Digest } from "../artifact/digest.ts";
import { InvalidSourceRefError, blobKey, refKey } from "./store-layout.ts";

const COMMIT = "0123456789abcdef0123456789abcdef01234567";

describe("blobKey", () => {
  it("names a blob by its hex under blobs/sha256", () => {
    const digest = digestOf("x");
    expect(blobKey(digest)).toBe(`blobs/sha256/${digest.slice(7)}`);
  });

  it("refuses a value that only the type calls a digest", () => {
    const sneaky = "sha256:../../refs/x" as Digest;
    expect(() => blobKey(sneaky)).toThrow(/is not a sha256 digest/);
    expect(() => blobKey(`sha256:${"A".repeat(64)}` as Digest)).toThrow(/is not a sha256 digest/);
  });
});

describe("refKey", () => {
  it("lowercases owner, name and commit, as GitHub compares them", () => {
    expect(refKey({ repository: "Octo-Org/My_Repo.js", commit: COMMIT.toUpperCase() })).toBe(
      `refs/octo-org/my_repo.js/${COMMIT}.json`,
    );
  });

  it.each([
    ["no owner", "web"],
    ["three parts", "octo/web/x"],
    ["parent folder as owner", "../web"],
    ["parent folder as name", "octo/.."],
    ["current folder as name", "octo/."],
    ["owner starting with a hyphen", "-octo/web"],
    ["owner with a dot", "oc.to/web"],
    ["owner too long", `${"o".repeat(40)}/web`],
    ["name with a space", "octo/my web"],
    ["name with a backslash", "octo/a\\b"],
    ["name too long", `octo/${"n".repeat(101)}`],
    ["empty name", "octo/"],
  ])("refuses a repository with %s", (_what, repository) => {
    expect(() => refKey({ repository, commit: COMMIT })).toThrow(InvalidSourceRefError);
    expect(() => refKey({ repository, commit: COMMIT })).toThrow(/is not a GitHub owner\/name/);
  });

  it.each([
    ["short", "abc123"],
    ["not hex", "g".repeat(40)],
    ["a path", `../${COMMIT.slice(3)}`],
  ])("refuses a %s commit", (_what, commit) => {
    expect(() => refKey({ repository: "octo/web", commit })).toThrow(/is not a full commit SHA/);
  });

  it("accepts the longest names GitHub allows", () => {
    const repository = `${"o".repeat(39)}/${"n".repeat(100)}`;
    expect(refKey({ repository, commit: COMMIT })).toBe(`refs/${repository}/${COMMIT}.json`);
  });
});
