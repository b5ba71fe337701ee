import { describe, expect, it } from "vitest";
import { parseConfig } from "./parse-config.ts";

describe("parseConfig", () => {
  it("fills defaults for a minimal file: one app at the root, production, previews for 7 days", () => {
    const result = parseConfig("version: 1\n");
    expect(result).toEqual({
      ok: true,
      config: {
        version: 1,
        apps: { app: { path: ".", healthPath: "/health" } },
        environments: {
          production: { requiredChecks: [], deployers: [], restrictToDeployers: false },
        },
        previews: {
          enabled: true,
          host: "pr-{number}.preview.localhost",
          ttlMs: 7 * 86_400_000,
          forks: false,
          requiredChecks: [],
          database: { engine: "none" },
        },
        requireProvenance: false,
      },
    });
  });

  it("reads a full monorepo config", () => {
    const result = parseConfig(`version: 1
apps:
  web: { path: apps/web, port: 3000 }
  api:
    path: apps/api
    healthPath: /healthz
environments:
  production:
    branch: main
    url: https://shop.example.com
    requiredChecks: [test, lint]
    deployers: ["@acme/ops", carol]
    restrictToDeployers: true
  staging: {}
previews:
  host: "pr-{number}.preview.acme.dev"
  ttl: 3d12h
  forks: true
  database: { engine: postgres, migrations: db/migrations, seed: db/seed.sql }
requireProvenance: true
`);
    if (!result.ok) throw new Error(result.message);
    expect(result.config.apps).toEqual({
      web: { path: "apps/web", port: 3000, healthPath: "/health" },
      api: { path: "apps/api", healthPath: "/healthz" },
    });
    expect(result.config.environments["production"]).toEqual({
      branch: "main",
      url: "https://shop.example.com",
      requiredChecks: ["test", "lint"],
      deployers: ["@acme/ops", "carol"],
      restrictToDeployers: true,
    });
    expect(result.config.environments["staging"]?.requiredChecks).toEqual([]);
    expect(result.config.previews.ttlMs).toBe(3.5 * 86_400_000);
    expect(result.config.previews.database).toEqual({
      engine: "postgres",
      migrations: "db/migrations",
      seed: "db/seed.sql",
    });
    expect(result.config.requireProvenance).toBe(true);
  });

  it("reports every problem with file, line, column and key path", () => {
    const result = parseConfig(
      `version: 1
prevews:
  ttl: 7d
apps:
  Web_App: { path: . }
environments:
  production:
    requiredChecks: test
    restrictToDeployers: "yes"
previews:
  ttl: forever
  host: preview.example.com
  database: { engine: mysql }
`,
      ".github/aether.yml",
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.line, p.path])).toEqual([
      [2, "(top level)"],
      [5, "apps"],
      [8, "environments.production.requiredChecks"],
      [9, "environments.production.restrictToDeployers"],
      [11, "previews.ttl"],
      [12, "previews.host"],
      [13, "previews.database.engine"],
    ]);
    expect(result.message).toContain(
      '.github/aether.yml:2:1: (top level) unknown key "prevews" (did you mean "previews"?)',
    );
    expect(result.message).toContain(
      ".github/aether.yml:8:21: environments.production.requiredChecks must be a list",
    );
    expect(result.message).toContain('previews.ttl must be a duration such as 30m, 12h or 7d, not "forever"');
    expect(result.message).toContain(
      "previews.database.engine must be one of none, postgres, redis, mongodb",
    );
    expect(result.message).toMatch(/^\.github\/aether\.yml is not valid \(7 problems\):/);
  });

  it("refuses an app folder outside the repository, since builds are indexed by it", () => {
    const result = parseConfig(
      "version: 1\napps:\n  web: { path: apps/web }\n  api: { path: ../api }\n  doc: { path: /srv/doc }\n",
      ".github/aether.yml",
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.line, p.path])).toEqual([
      [4, "apps.api.path"],
      [5, "apps.doc.path"],
    ]);
    expect(result.message).toContain(
      'must be a folder inside the repository, like apps/web (no leading /, no .., no backslashes), not "../api"',
    );
  });

  it("reports broken YAML, an empty file, a missing or unknown version", () => {
    const broken = parseConfig("version: 1\napps:\n  web: {path: x\n");
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.problems[0]?.path).toBe("(syntax)");
    const empty = parseConfig("# nothing\n");
    expect(!empty.ok && empty.message).toContain("is empty; it needs at least `version: 1`");
    const noVersion = parseConfig("apps: {}\n");
    expect(!noVersion.ok && noVersion.message).toContain('is missing the required key "version"');
    const future = parseConfig("version: 2\n");
    expect(!future.ok && future.message).toContain("version must be from 1 to 1, not 2");
    const duplicate = parseConfig("version: 1\nversion: 1\n");
    expect(duplicate.ok).toBe(false);
  });

  it("refuses two apps in one folder and environments named like previews", () => {
    const result = parseConfig(
      "version: 1\napps:\n  a: { path: x }\n  b: { path: x }\nenvironments:\n  pr-7: {}\n",
    );
    expect(!result.ok && result.message).toContain(
      ".github/aether.yml:4:1: apps.b.path is the same folder as apps.a",
    );
    expect(!result.ok && result.message).toContain(".github/aether.yml:6:1: environments.pr-7 is named like");
    expect(!result.ok && result.message).toContain("environments.pr-7 is named like a preview environment");
  });
});
