import { describe, expect, it } from "vitest";
import { StoreUrlError, parseStoreUrl, redactStoreUrl } from "./parse-store-url.ts";

const CWD = "/work/app";

describe("parseStoreUrl", () => {
  it("defaults to .aether/store under the working directory", () => {
    expect(parseStoreUrl(undefined, CWD)).toEqual({ kind: "folder", root: "/work/app/.aether/store" });
    expect(parseStoreUrl("", CWD)).toEqual({ kind: "folder", root: "/work/app/.aether/store" });
  });

  it("reads plain paths as folders, relative to the working directory", () => {
    expect(parseStoreUrl("store", CWD)).toEqual({ kind: "folder", root: "/work/app/store" });
    expect(parseStoreUrl("../shared/store", CWD)).toEqual({ kind: "folder", root: "/work/shared/store" });
    expect(parseStoreUrl("/var/aether", CWD)).toEqual({ kind: "folder", root: "/var/aether" });
    expect(parseStoreUrl("./my@store", CWD)).toEqual({ kind: "folder", root: "/work/app/my@store" });
  });

  it("reads file: URLs as absolute folders", () => {
    expect(parseStoreUrl("file:///var/aether/store", CWD)).toEqual({
      kind: "folder",
      root: "/var/aether/store",
    });
    expect(parseStoreUrl("file://localhost/srv/x", CWD)).toEqual({ kind: "folder", root: "/srv/x" });
    expect(parseStoreUrl("file:///srv/me@host", CWD)).toEqual({ kind: "folder", root: "/srv/me@host" });
    expect(parseStoreUrl("FILE:///srv/with%20space", CWD)).toEqual({
      kind: "folder",
      root: "/srv/with space",
    });
  });

  it("reads s3: URLs as bucket and prefix", () => {
    expect(parseStoreUrl("s3://builds", CWD)).toEqual({
      kind: "s3",
      bucket: "builds",
      prefix: "",
      pathStyle: undefined,
    });
    expect(parseStoreUrl("s3://builds/", CWD)).toEqual({
      kind: "s3",
      bucket: "builds",
      prefix: "",
      pathStyle: undefined,
    });
    expect(parseStoreUrl("s3://my.builds-1/aether/prod/", CWD)).toEqual({
      kind: "s3",
      bucket: "my.builds-1",
      prefix: "aether/prod",
      pathStyle: undefined,
    });
    expect(parseStoreUrl("s3://b12/a%20b?path-style=false", CWD)).toEqual({
      kind: "s3",
      bucket: "b12",
      prefix: "a b",
      pathStyle: false,
    });
    expect(parseStoreUrl("s3://b12?path-style=true", CWD)).toMatchObject({ pathStyle: true });
  });

  it.each([
    ["s3:///prefix", /the bucket is missing/],
    ["s3://", /the bucket is missing/],
    ["s3:builds/x", /the bucket is missing/],
    ["s3://Builds/x", /"Builds" is not an S3 bucket name/],
    ["s3://b_x/x", /not an S3 bucket name/],
    ["s3://ab/x", /not an S3 bucket name/],
    ["s3://builds:9000/x", /takes no port; set the endpoint in AWS_ENDPOINT_URL_S3/],
    ["s3://builds/a/../b", /must not contain empty, '.' or '..' segments/],
    ["s3://builds/a//b", /must not contain empty/],
    ["s3://builds/%2e%2e/b", /must not contain empty/],
    ["s3://builds/a%2fb", /must not contain empty/],
    ["s3://builds/%zz", /not valid percent-encoding/],
    ["s3://builds/x?region=eu", /unknown option "region"/],
    ["s3://builds/x?path-style=yes", /path-style must be true or false/],
    ["s3://builds/x#frag", /takes no #fragment/],
    ["gs://builds/x", /"gs:" is not a store scheme/],
    ["https://s3.amazonaws.com/builds", /"https:" is not a store scheme/],
    ["file:relative/path", /a file: URL must be absolute/],
    ["file://server/share", /a file: URL must be absolute/],
    ["file:///srv/x?y=1", /takes no \?query/],
  ])("refuses %s, saying why and what is accepted", (url, problem) => {
    const error = catchError(() => parseStoreUrl(url, CWD));
    expect(error).toBeInstanceOf(StoreUrlError);
    expect(error.message).toMatch(problem);
    expect(error.message).toContain(`store URL "${url}"`);
    expect(error.message).toContain("s3://bucket/prefix");
    expect(error.message).toContain("file:///absolute/path");
  });

  it("refuses credentials in the URL without repeating them", () => {
    for (const url of [
      "s3://AKIAEXAMPLE:s3cr3t@builds/x",
      "s3://AKIAEXAMPLE:abc/def+ghi@builds/x",
      "file://u:pw@/x",
    ]) {
      const error = catchError(() => parseStoreUrl(url, CWD));
      expect(error).toBeInstanceOf(StoreUrlError);
      expect(error.message).toContain("contains credentials");
      expect(error.message).toContain("AWS_ACCESS_KEY_ID");
      expect(error.message).not.toMatch(/AKIAEXAMPLE|s3cr3t|def\+ghi|pw/);
    }
  });
  it("does not repeat credentials when refusing another scheme", () => {
    const error = catchError(() => parseStoreUrl("https://user:hunter2@minio.local/builds", CWD));
    expect(error.message).toContain(
      'store URL "https://***@minio.local/builds": "https:" is not a store scheme',
    );
    expect(error.message).not.toContain("hunter2");
  });
});

describe("redactStoreUrl", () => {
  it("hides everything between :// and the last @", () => {
    expect(redactStoreUrl("s3://key:secret/with/slash@bucket/prefix")).toBe("s3://***@bucket/prefix");
    expect(redactStoreUrl("s3://bucket/prefix")).toBe("s3://bucket/prefix");
    expect(redactStoreUrl("./a@b")).toBe("./a@b");
  });
});

function catchError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  throw new Error("expected an error");
}
