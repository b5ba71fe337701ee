import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const IMAGES = fileURLToPath(new URL("../../images/", import.meta.url));

describe("images/", () => {
  it("each Dockerfile runs as a non-root numeric user from a named base", async () => {
    const names = (await readdir(IMAGES, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(names.sort()).toEqual([
      "app",
      "fetcher",
      "runtime-java",
      "runtime-node",
      "runtime-python",
      "runtime-static",
    ]);
    for (const name of names) {
      const text = await readFile(join(IMAGES, name, "Dockerfile"), "utf8");
      const from = /^FROM\s+(\S+)/m.exec(text)?.[1] ?? "";
      expect(from, `${name}: base image`).toMatch(/:[\w.-]+$/);
      expect(from, `${name}: base image`).not.toMatch(/:latest$/);
      const users = [...text.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
      expect(users.at(-1), `${name}: last USER`).toBe("10001:10001");
    }
  });
});
