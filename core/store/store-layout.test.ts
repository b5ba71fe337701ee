import { describe, expect, it } from "vitest";
import { digestOf, type Digest } from "../artifact/digest.ts";
import { InvalidSourceRefError, appPathSegment, blobKey, normalizeAppPath, refKey } from "./store-layout.ts";

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

describe("refKey with an app path", () => {
  const repository = "octo/web";

  it("keeps the root's key as it was, for records written before monorepos", () => {
    for (const path of [undefined, "", ".", "./", "./."]) {
      expect(refKey({ repository, commit: COMMIT, ...(path === undefined ? {} : { path }) })).toBe(
        `refs/octo/web/${COMMIT}.json`,
      );
    }
  });

  it("gives each folder its own key below the commit, whatever way the path is written", () => {
    const key = `refs/octo/web/${COMMIT}/apps%2fweb.json`;
    for (const path of ["apps/web", "./apps/web/", "apps//web", "apps/./web"]) {
      expect(refKey({ repository, commit: COMMIT, path })).toBe(key);
    }
    expect(refKey({ repository, commit: COMMIT, path: "apps/api" })).not.toBe(key);
  });

  it("never lets two different paths share a key, whatever their characters or case", () => {
    const paths = [
      "a/b",
      "a%2fb",
      "a%2Fb",
      "A/b",
      "a/B",
      "a b",
      "a+b",
      "a_b",
      "a-b",
      "a.b",
      "ä/b",
      "a/b.json",
    ];
    const keys = paths.map((path) => refKey({ repository, commit: COMMIT, path }));
    expect(new Set(keys).size).toBe(paths.length);
    // Only lowercase: a folder store on a case-insensitive disk keeps them apart too.
    for (const key of keys) expect(key).toBe(key.toLowerCase());
    expect(keys.every((key) => key.split("/").length === 5)).toBe(true);
  });

  it.each([
    ["a parent folder", "../other", /climbs out of the repository with '\.\.'/],
    ["a parent folder inside", "apps/../../x", /climbs out/],
    ["an absolute path", "/apps/web", /is absolute/],
    ["a drive letter", "C:/apps", /is absolute/],
    ["a backslash", "apps\\web", /contains a backslash/],
    ["a control character", "apps/\nweb", /contains a control character/],
    ["a very long path", "x/".repeat(150), /too long for the store's index/],
  ])("refuses %s", (_what, path, message) => {
    expect(() => refKey({ repository, commit: COMMIT, path })).toThrow(InvalidSourceRefError);
    expect(() => refKey({ repository, commit: COMMIT, path })).toThrow(message);
  });
});

describe("normalizeAppPath", () => {
  it("writes a folder one way", () => {
    expect(normalizeAppPath(undefined)).toBe(".");
    expect(normalizeAppPath("./")).toBe(".");
    expect(normalizeAppPath("./apps//web/")).toBe("apps/web");
    expect(normalizeAppPath("apps/Web")).toBe("apps/Web");
    expect(() => normalizeAppPath("..")).toThrow(/relative to the repository root/);
  });
});

describe("appPathSegment", () => {
  it("percent-encodes every byte but lowercase letters, digits, '.', '_' and '-'", () => {
    expect(appPathSegment("apps/Web")).toBe("apps%2f%57eb");
    expect(appPathSegment("a%2fb")).toBe("a%252fb");
    expect(appPathSegment("ä")).toBe("%c3%a4");
    expect(appPathSegment("svc_1.v2-x")).toBe("svc_1.v2-x");
  });
});
