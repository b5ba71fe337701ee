import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderChart, type RenderedObject } from "../support/helm/render-chart.ts";
import { documentedTable } from "./documented-table.ts";
import { installValues } from "./install-values.ts";

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

const guide = readFileSync(join(import.meta.dirname, "..", "..", "docs", "operator-guide.md"), "utf8");

/** The RBAC table of the operator guide: scope, API group, resources, verbs (, why). */
function documentedRules(scope: "namespaced" | "cluster"): Rule[] {
  return documentedTable(guide, "RBAC")
    .filter((row) => row[0]![0] === scope)
    .map((row) => ({
      apiGroups: row[1]!.map((group) => (group === '""' ? "" : group)),
      resources: row[2]!,
      verbs: row[3]!,
    }));
}

function rulesOf(objects: RenderedObject[], kind: string, nameSuffix: string): Rule[][] {
  return objects
    .filter((o) => o.object["kind"] === kind)
    .filter((o) => (o.object["metadata"] as { name: string }).name.endsWith(nameSuffix))
    .map((o) => o.object["rules"] as Rule[]);
}

describe("the deployer's RBAC", () => {
  it("is exactly the documented list, cluster-wide with previews on", async () => {
    const { objects } = await renderChart({ values: installValues(), releaseName: "prod" });
    expect(rulesOf(objects, "ClusterRole", "-deployer")).toEqual([documentedRules("namespaced")]);
    expect(rulesOf(objects, "ClusterRole", "-namespaces")).toEqual([documentedRules("cluster")]);
    expect(documentedRules("namespaced").length).toBeGreaterThan(5);
    const bindings = objects.filter((o) => o.object["kind"] === "ClusterRoleBinding").map((o) => o.object);
    expect(bindings.map((b) => b["subjects"])).toEqual([
      [{ kind: "ServiceAccount", name: "prod-aether", namespace: "default" }],
      [{ kind: "ServiceAccount", name: "prod-aether", namespace: "default" }],
    ]);
  });

  it("is the same namespaced list in a Role per namespace with previews off, and nothing cluster-wide", async () => {
    const { objects } = await renderChart({
      values: installValues({ previews: { enabled: false }, rbac: { namespaces: ["shop", "blog"] } }),
    });
    expect(rulesOf(objects, "Role", "-deployer")).toEqual([
      documentedRules("namespaced"),
      documentedRules("namespaced"),
    ]);
    expect(objects.filter((o) => String(o.object["kind"]).startsWith("Cluster"))).toEqual([]);
  });

  it("never grants wildcards, escalation or exec", async () => {
    const { objects } = await renderChart({ values: installValues() });
    const rules = [...rulesOf(objects, "ClusterRole", "")].flat();
    const words = rules.flatMap((r) => [...r.apiGroups, ...r.resources, ...r.verbs]);
    for (const forbidden of ["*", "escalate", "bind", "impersonate", "pods/exec", "pods/attach", "nodes"]) {
      expect(words).not.toContain(forbidden);
    }
    expect(rules.filter((r) => r.resources.includes("secrets")).flatMap((r) => r.verbs)).not.toContain(
      "watch",
    );
  });

  it("can be left to the operator", async () => {
    const { objects } = await renderChart({
      values: installValues({ rbac: { create: false }, serviceAccount: { create: false, name: "deployer" } }),
    });
    expect(objects.filter((o) => /Role/.test(String(o.object["kind"])))).toEqual([]);
    expect(objects.filter((o) => o.object["kind"] === "ServiceAccount")).toEqual([]);
  });
});
