import { readFile } from "node:fs/promises";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BUILD_INPUTS, BUILD_OUTPUTS } from "../../actions/build/src/action-io.ts";
import { DEPLOY_INPUTS, DEPLOY_OUTPUTS } from "../../actions/deploy/src/action-io.ts";
import { SBOM_INPUTS, SBOM_OUTPUTS } from "../../actions/sbom/src/action-io.ts";
import { bundleAction } from "../../scripts/build.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

interface ActionFile {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string; value?: string }>;
  runs: {
    using: string;
    main?: string;
    steps?: { id?: string; run?: string; env?: Record<string, string> }[];
  };
}
const actionFile = async (path: string): Promise<ActionFile> =>
  parse(await readFile(join(ROOT, path), "utf8")) as ActionFile;

const ACTIONS = {
  build: { inputs: BUILD_INPUTS, outputs: BUILD_OUTPUTS },
  sbom: { inputs: SBOM_INPUTS, outputs: SBOM_OUTPUTS },
  deploy: { inputs: DEPLOY_INPUTS, outputs: DEPLOY_OUTPUTS },
} as const;

describe("each action's typed input and output lists", () => {
  it.each(Object.keys(ACTIONS) as (keyof typeof ACTIONS)[])(
    "agree with actions/%s/action.yml",
    async (name) => {
      const action = await actionFile(`actions/${name}/action.yml`);
      expect(Object.keys(action.inputs).sort()).toEqual([...ACTIONS[name].inputs].sort());
      expect(Object.keys(action.outputs).sort()).toEqual([...ACTIONS[name].outputs].sort());
      for (const entry of [...Object.values(action.inputs), ...Object.values(action.outputs)]) {
        expect(entry.description.length).toBeGreaterThan(10);
      }
      expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
    },
  );
});

describe("the root action.yml (composite: build → sbom → deploy)", () => {
  it("hands each bundled action only inputs it declares, and uses every input it declares itself", async () => {
    const root = await actionFile("action.yml");
    const used = new Set<string>();
    for (const step of root.runs.steps ?? []) {
      const target = /actions\/(build|sbom|deploy)\/dist\/index\.js/.exec(step.run ?? "")?.[1] as
        keyof typeof ACTIONS | undefined;
      if (target === undefined) continue;
      expect(step.id).toBe(target);
      const declared = (await actionFile(`actions/${target}/action.yml`)).inputs;
      for (const [variable, value] of Object.entries(step.env ?? {})) {
        const input = variable.replace(/^INPUT_/, "").toLowerCase();
        expect(Object.keys(declared), `${target} has no input ${input}`).toContain(input);
        for (const match of value.matchAll(/inputs\.([\w-]+)/g)) used.add(match[1]!);
      }
      for (const [input, spec] of Object.entries(declared)) {
        if (spec.required)
          expect(Object.keys(step.env ?? {}), `${target} needs ${input}`).toContain(
            `INPUT_${input.toUpperCase()}`,
          );
      }
    }
    for (const input of Object.keys(root.inputs)) {
      if (input === "sbom") continue; // decides whether the sbom step runs
      expect([...used], `root input ${input} is passed on`).toContain(input);
    }
    expect(root.outputs["digest"]?.value).toBe("${{ steps.build.outputs.digest }}");
    expect(root.outputs["url"]?.value).toBe("${{ steps.deploy.outputs.url }}");
  });
});

describe("the committed dist/ of sbom and deploy", () => {
  let fresh: string;
  beforeAll(async () => {
    fresh = await mkdtemp(join(tmpdir(), "aether-dist-"));
    await bundleAction("sbom", join(fresh, "sbom"));
    await bundleAction("deploy", join(fresh, "deploy"));
  });
  afterAll(() => rm(fresh, { recursive: true, force: true }));

  it.each(["sbom", "deploy"])(
    "actions/%s/dist is what the sources bundle to today (`npm run build`)",
    async (name) => {
      for (const file of ["index.js", "licenses.txt"]) {
        const committed = await readFile(join(ROOT, "actions", name, "dist", file), "utf8");
        const rebuilt = await readFile(join(fresh, name, file), "utf8");
        expect(committed === rebuilt, `actions/${name}/dist/${file} is stale`).toBe(true);
      }
    },
  );
});
