import { validateAction, validateWorkflow } from "@action-validator/core";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function yamlFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? yamlFiles(join(dir, entry.name))
      : /\.ya?ml$/.test(entry.name)
        ? [join(dir, entry.name)]
        : [],
  );
}

const WORKFLOWS = yamlFiles(".github/workflows");
const ACTIONS = [
  "action.yml",
  ...readdirSync(join(ROOT, "actions")).map((name) => `actions/${name}/action.yml`),
];
const read = (file: string): string => readFileSync(join(ROOT, file), "utf8");

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: unknown;
  steps?: Step[];
}

/** Every step of a workflow, or of a composite action. */
function stepsIn(text: string): Step[] {
  const doc = parse(text) as { jobs?: Record<string, Job>; runs?: { steps?: Step[] } };
  return [...Object.values(doc.jobs ?? {}).flatMap((job) => job.steps ?? []), ...(doc.runs?.steps ?? [])];
}
const stepsOf = (file: string): Step[] => stepsIn(read(file));

/**
 * The run: scripts holding an expression. An expression is spliced into the script text before the shell
 * sees it, so untrusted input there (a branch name, a PR title: github.event.*, head_ref) is code. Values
 * reach scripts through env: instead. Stricter than needed: no expression at all.
 */
function expressionsInRunScripts(text: string): string[] {
  return stepsIn(text)
    .map((step) => step.run)
    .filter((run): run is string => run !== undefined && /\$\{\{|github\.event\.|head_ref/.test(run));
}

describe("workflows and action.yml files", () => {
  it("finds the files it checks", () => {
    expect(WORKFLOWS).toEqual(
      expect.arrayContaining([
        ".github/workflows/ci.yml",
        ".github/workflows/examples/push-to-deploy.yml",
        ".github/workflows/examples/pr-preview.yml",
        ".github/workflows/examples/release.yml",
        ".github/workflows/examples/monorepo.yml",
      ]),
    );
    expect(ACTIONS).toEqual(
      expect.arrayContaining([
        "action.yml",
        "actions/build/action.yml",
        "actions/sbom/action.yml",
        "actions/deploy/action.yml",
      ]),
    );
  });

  it.each(WORKFLOWS)("%s is valid against SchemaStore's workflow schema", (file) => {
    expect(validateWorkflow(read(file)).errors).toEqual([]);
  });

  it.each(ACTIONS)("%s is valid against SchemaStore's action schema", (file) => {
    const text = read(file);
    // The schema bundled in @action-validator/core 0.6 stops at node20; GitHub runs node24 actions. Checked
    // as node20 for everything else, and node24 is asserted on its own.
    const using = (parse(text) as { runs: { using: string } }).runs.using;
    expect(["node24", "composite"]).toContain(using);
    expect(validateAction(text.replace(/using: node24$/m, "using: node20")).errors).toEqual([]);
  });

  it("catches a broken file (the validator is not a no-op)", () => {
    expect(
      validateWorkflow("on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - usess: x\n").errors,
    ).not.toEqual([]);
    expect(validateAction("name: x\ndescription: y\nruns:\n  using: node20\n").errors).not.toEqual([]);
  });

  it.each([...WORKFLOWS, "action.yml"])("%s pins third-party actions to full commit SHAs", (file) => {
    for (const step of stepsOf(file)) {
      if (step.uses === undefined || step.uses.startsWith("./") || step.uses.startsWith("docker://"))
        continue;
      expect(step.uses, `${file}: ${step.uses}`).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
    }
  });

  it.each(WORKFLOWS)("%s checks out without persisting credentials", (file) => {
    for (const step of stepsOf(file)) {
      if (!step.uses?.startsWith("actions/checkout@")) continue;
      expect(step.with?.["persist-credentials"], `${file}: ${step.uses}`).toBe(false);
    }
  });

  it.each(WORKFLOWS)("%s sets least permissions at the top and per job", (file) => {
    const doc = parse(read(file)) as { permissions?: unknown; jobs: Record<string, Job> };
    expect(doc.permissions, `${file}: top-level permissions`).toBeDefined();
    const top = doc.permissions;
    expect(top === "read-all" || top === "write-all", `${file}: no blanket permissions`).toBe(false);
    for (const [name, job] of Object.entries(doc.jobs)) {
      const granted = job.permissions ?? top;
      expect(
        typeof granted === "object" && granted !== null,
        `${file}: job ${name} names its permissions`,
      ).toBe(true);
    }
  });

  it.each([...WORKFLOWS, ...ACTIONS])("%s puts no expression into a run: script", (file) => {
    expect(expressionsInRunScripts(read(file))).toEqual([]);
  });

  it("finds an untrusted expression in a run: script when there is one", () => {
    const steps = (run: string) =>
      `on: pull_request\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: ${run}\n`;
    expect(expressionsInRunScripts(steps('echo "${{ github.event.pull_request.title }}"'))).toHaveLength(1);
    expect(expressionsInRunScripts(steps("git checkout ${{ github.head_ref }}"))).toHaveLength(1);
    expect(expressionsInRunScripts(steps('echo "$TITLE"'))).toEqual([]);
  });

  it.each(WORKFLOWS.filter((f) => f.includes("/examples/")))(
    "%s is copied verbatim into docs/actions.md",
    (file) => {
      expect(read("docs/actions.md")).toContain("```yaml\n" + read(file) + "```");
    },
  );
});
