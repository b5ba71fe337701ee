import { readdir, writeFile } from "node:fs/promises";

import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { digestOf } from "../artifact/digest.ts";
import { describeStore, openStore } from "./open-store.ts";
import { StoreUrlError } from "./parse-store-url.ts";
import { useTempDirs } from "../../test/support/temp-dirs.ts";

const tempDir = useTempDirs("aether-open-store-");

describe("openStore", () => {
  it("opens the default folder under cwd, and stores there", async () => {
    const cwd = await tempDir();
    const store = openStore(undefined, { cwd, env: {} });
    expect(store.url).toBe(pathToFileURL(join(cwd, ".aether", "store")).href);
    await writeFile(join(cwd, "blob"), "content");
    await store.putBlob(digestOf("content"), join(cwd, "blob"));
    expect(await readdir(join(cwd, ".aether", "store", "blobs", "sha256"))).toEqual([
      digestOf("content").slice("sha256:".length),
    ]);
  });

  it("opens a relative path or a file: URL as the same folder store", async () => {
    const cwd = await tempDir();
    const byPath = openStore("shared", { cwd, env: {} });
    const byUrl = openStore(pathToFileURL(join(cwd, "shared")).href, { cwd: "/elsewhere", env: {} });
    expect(byPath.url).toBe(byUrl.url);
  });

  it("opens s3: URLs without contacting the bucket, and names them without options", () => {
    const store = openStore("s3://builds/aether/?path-style=false", {
      cwd: "/",
      env: { AWS_ENDPOINT_URL_S3: "http://127.0.0.1:1", AWS_ACCESS_KEY_ID: "a", AWS_SECRET_ACCESS_KEY: "b" },
    });
    expect(store.url).toBe("s3://builds/aether");
    expect(openStore("s3://builds", { cwd: "/", env: {} }).url).toBe("s3://builds");
  });

  it("refuses a URL it cannot use", () => {
    expect(() => openStore("gs://x/y", { cwd: "/", env: {} })).toThrow(StoreUrlError);
    expect(() => openStore("s3://builds", { cwd: "/", env: { AWS_ENDPOINT_URL: "nope" } })).toThrow(
      /AWS_ENDPOINT_URL "nope" is not an http\(s\) URL/,
    );
  });
});

describe("describeStore", () => {
  it("shows the default, paths and URLs, never credentials", () => {
    expect(describeStore(undefined)).toBe(".aether/store (default)");
    expect(describeStore("")).toBe(".aether/store (default)");
    expect(describeStore("../store")).toBe("../store");
    expect(describeStore("s3://builds/aether")).toBe("s3://builds/aether");
    expect(describeStore("s3://AKID:SECRET@builds/aether")).toBe("s3://***@builds/aether");
  });
});
