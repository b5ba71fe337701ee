import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTempDirs } from "../../test/support/temp-dirs.ts";
import { LockfileError, generateSbom, serializeSbomJson, serializeSbomXml } from "./generate-sbom.ts";
import {
  REAL_FIXTURES,
  SYNTHETIC_FIXTURES,
  catchLockfileError,
  schemaErrors,
  xmlElements,
} from "./sbom-test-kit.ts";

const tempDir = useTempDirs("aether-sbom-");
const app = { name: "demo", version: "1.2.3" };
const EPOCH = 1_700_000_000;

const FIXTURE_DIRS = [
  ...["parse-server", "playwright", "helm-go", "flask-uv", "celery-pip"].map((d) => join(REAL_FIXTURES, d)),
  ...[
    "npm-v1",
    "npm-v3",
    "pnpm-v6",
    "pnpm-v9",
    "yarn-classic",
    "yarn-berry",
    "poetry",
    "requirements",
    "go",
  ].map((d) => join(SYNTHETIC_FIXTURES, d)),
];

describe("generateSbom", () => {
  it.each(FIXTURE_DIRS)("makes a schema-valid CycloneDX 1.6 SBOM for %s", async (dir) => {
    for (const includeDev of [false, true]) {
      const bom = await generateSbom({ dir, app, epoch: EPOCH, includeDev });
      expect(await schemaErrors(bom)).toBeNull();
      expect(bom.components.length).toBeGreaterThan(0);
      expect(xmlElements(serializeSbomXml(bom)).filter((n) => n === "component")).toHaveLength(
        bom.components.length + 2, // plus the tool and the app
      );
    }
  });

  it("gives the same bytes for the same input and epoch, and a timestamp from the epoch", async () => {
    const dir = join(REAL_FIXTURES, "playwright");
    const first = serializeSbomJson(await generateSbom({ dir, app, epoch: EPOCH }));
    const second = serializeSbomJson(await generateSbom({ dir, app, epoch: EPOCH }));
    expect(second).toBe(first);
    const bom = JSON.parse(first) as { serialNumber: string; metadata: { timestamp: string } };
    expect(bom.metadata.timestamp).toBe("2023-11-14T22:13:20Z");
    const later = await generateSbom({ dir, app, epoch: EPOCH + 1 });
    expect(later.serialNumber).not.toBe(bom.serialNumber);
    const seeded = await generateSbom({ dir, app, epoch: EPOCH, serialSeed: "build-7" });
    expect(seeded.serialNumber).not.toBe(bom.serialNumber);
    expect(serializeSbomXml(await generateSbom({ dir, app, epoch: EPOCH }))).toBe(
      serializeSbomXml(await generateSbom({ dir, app, epoch: EPOCH })),
    );
  });

  it("leaves development packages out unless asked, then marks them excluded", async () => {
    const dir = join(SYNTHETIC_FIXTURES, "npm-v3");
    const prod = await generateSbom({ dir, app, epoch: EPOCH });
    const all = await generateSbom({ dir, app, epoch: EPOCH, includeDev: true });
    expect(prod.components.some((c) => c.name === "vitest-like")).toBe(false);
    expect(all.components.find((c) => c.name === "vitest-like")?.scope).toBe("excluded");
    expect(all.components.find((c) => c.name === "vitest-like")?.licenses).toEqual([
      { license: { name: "Weird-Custom-License" } },
    ]);
    expect(all.components.find((c) => c.name === "fsevents")?.scope).toBe("optional");
    // Nothing in the graph points at a component that was left out.
    const refs = new Set([prod.metadata.component["bom-ref"], ...prod.components.map((c) => c["bom-ref"])]);
    for (const d of prod.dependencies) for (const on of d.dependsOn) expect(refs.has(on)).toBe(true);
    const root = all.dependencies.find((d) => d.ref === all.metadata.component["bom-ref"])!;
    expect(root.dependsOn).toContain("pkg:npm/%40mono/web@0.3.0");
  });

  it("writes components with group, hashes, licences, vcs references and the entry's source", async () => {
    const bom = await generateSbom({
      dir: join(SYNTHETIC_FIXTURES, "npm-v3"),
      app,
      epoch: EPOCH,
      includeDev: true,
    });
    const git = bom.components.find((c) => c.name === "tiny-git")!;
    expect(git.licenses).toEqual([{ expression: "(MIT OR Apache-2.0)" }]);
    expect(git.externalReferences?.[0]?.type).toBe("vcs");
    const web = bom.components.find((c) => c.name === "web")!;
    expect([web.group, web.purl]).toEqual(["@mono", "pkg:npm/%40mono/web@0.3.0"]);
    const express = bom.components.find((c) => c.name === "express")!;
    expect(express.properties).toContainEqual({ name: "aether:lockfile", value: "package-lock.json:23" });
    expect(bom.metadata.tools.components[0]?.name).toBe("aether");
  });

  it("merges every lockfile of a monorepo into one component per package, skipping node_modules", async () => {
    const dir = await tempDir();
    await cp(join(SYNTHETIC_FIXTURES, "npm-v3"), join(dir, "web"), { recursive: true });
    await cp(join(SYNTHETIC_FIXTURES, "pnpm-v6"), join(dir, "tools"), { recursive: true });
    await cp(join(SYNTHETIC_FIXTURES, "go"), join(dir, "svc"), { recursive: true });
    await cp(join(SYNTHETIC_FIXTURES, "requirements"), join(dir, "ml"), { recursive: true });
    await mkdir(join(dir, "web", "node_modules", "x"), { recursive: true });
    await writeFile(join(dir, "web", "node_modules", "x", "package-lock.json"), "not even json");
    const bom = await generateSbom({ dir, app, epoch: EPOCH, includeDev: true });
    expect(await schemaErrors(bom)).toBeNull();
    const purls = bom.components.map((c) => c.purl!);
    expect(new Set(purls).size).toBe(purls.length);
    expect(purls.filter((p) => p === "pkg:npm/ms@2.1.3")).toHaveLength(1); // in npm-v3 and pnpm-v6
    expect(purls.some((p) => p.startsWith("pkg:golang/"))).toBe(true);
    expect(purls.some((p) => p.startsWith("pkg:pypi/"))).toBe(true);
    const ms = bom.components.find((c) => c.purl === "pkg:npm/ms@2.1.3")!;
    expect(ms.scope).toBe("required"); // dev in one lockfile, production in the other
    expect(ms.properties).toContainEqual({ name: "aether:lockfile", value: "tools/pnpm-lock.yaml:21" });
  });

  it("names the folder when there is no lockfile, and the file when one is broken", async () => {
    const dir = await tempDir();
    const missing = await catchLockfileError(() => generateSbom({ dir, app, epoch: EPOCH }));
    expect(missing.kind).toBe("missing");
    expect(missing.message).toContain(dir);
    const text = await readFile(join(REAL_FIXTURES, "parse-server", "package-lock.json"), "utf8");
    await writeFile(join(dir, "package-lock.json"), text.slice(0, 500_000));
    const truncated = await catchLockfileError(() => generateSbom({ dir, app, epoch: EPOCH }));
    expect(truncated).toBeInstanceOf(LockfileError);
    expect(truncated.file).toBe(join(dir, "package-lock.json"));
    expect(truncated.line).toBe(text.slice(0, 500_000).split("\n").length);
  });
});
