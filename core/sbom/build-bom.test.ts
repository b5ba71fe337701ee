import { describe, expect, it } from "vitest";
import { buildBom } from "./build-bom.ts";
import type { LockedPackage } from "./sbom-model.ts";

const pkg = (name: string, over: Partial<LockedPackage> = {}): LockedPackage => ({
  ecosystem: "npm",
  name,
  version: "1.0.0",
  purl: `pkg:npm/${name}@1.0.0`,
  hashes: [],
  licenses: [],
  scope: "required",
  dependsOn: [],
  source: { file: "/p/package-lock.json", line: 3 },
  ...over,
});

const options = {
  dir: "/p",
  app: { name: "app", version: "1" },
  includeDev: false,
  epoch: 0,
  toolVersion: "t",
};

describe("buildBom", () => {
  it("keeps one component per purl even when a lockfile lists one twice, joining what each knew", () => {
    const lockfile = {
      file: "/p/package-lock.json",
      kind: "npm" as const,
      crc: 1,
      direct: ["pkg:npm/a@1.0.0"],
      packages: [
        pkg("a", { dependsOn: ["pkg:npm/b@1.0.0"], scope: "optional" }),
        pkg("b"),
        pkg("a", { licenses: ["MIT"], scope: "required", dependsOn: ["pkg:npm/c@1.0.0"] }),
        pkg("c"),
      ],
    };
    const before = JSON.stringify(lockfile);
    const bom = buildBom({ ...options, lockfiles: [lockfile] });
    expect(bom.components.map((c) => c.purl)).toEqual([
      "pkg:npm/a@1.0.0",
      "pkg:npm/b@1.0.0",
      "pkg:npm/c@1.0.0",
    ]);
    expect(bom.components[0]).toMatchObject({ scope: "required", licenses: [{ license: { id: "MIT" } }] });
    expect(bom.dependencies.find((d) => d.ref === "pkg:npm/a@1.0.0")?.dependsOn).toEqual([
      "pkg:npm/b@1.0.0",
      "pkg:npm/c@1.0.0",
    ]);
    // The parsed lockfile is not changed by the merge.
    expect(JSON.stringify(lockfile)).toBe(before);
  });

  it("gives another serial number when a lockfile's bytes change, and the same for the same input", () => {
    const lockfile = {
      file: "/p/package-lock.json",
      kind: "npm" as const,
      crc: 7,
      direct: [],
      packages: [pkg("a")],
    };
    const serial = buildBom({ ...options, lockfiles: [lockfile] }).serialNumber;
    expect(buildBom({ ...options, lockfiles: [lockfile] }).serialNumber).toBe(serial);
    expect(buildBom({ ...options, lockfiles: [{ ...lockfile, crc: 8 }] }).serialNumber).not.toBe(serial);
    expect(serial).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
