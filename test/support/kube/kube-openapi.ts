import type { JsonObject } from "./kube-json.ts";
import { groupVersionOf, kubeResources } from "./kube-resources.ts";

/**
 * The OpenAPI v3 documents kubectl reads: the root index, and per group-version the PATCH operations
 * with their GVK and `fieldValidation` parameter, which is how kubectl decides to let the server
 * validate (`--validate=strict`). Schemas are left out: kubectl then builds strategic merge patches from
 * its compiled-in types, as it does for any server without them.
 */
export function openApiDocument(path: string): JsonObject | undefined {
  const groupVersions = [...new Set(kubeResources.map(groupVersionOf))];
  const prefix = (gv: string) => (gv.includes("/") ? `apis/${gv}` : `api/${gv}`);
  if (path === "/openapi/v3") {
    return {
      paths: Object.fromEntries(
        groupVersions.map((gv) => [
          prefix(gv),
          { serverRelativeURL: `/openapi/v3/${prefix(gv)}?hash=aether` },
        ]),
      ),
    };
  }
  const gv = groupVersions.find((g) => path === `/openapi/v3/${prefix(g)}`);
  if (gv === undefined) return undefined;
  const paths: JsonObject = {};
  const parameters = ["dryRun", "fieldManager", "fieldValidation", "force"].map((name) => ({
    name,
    in: "query",
    schema: { type: "string" },
  }));
  for (const r of kubeResources.filter((x) => groupVersionOf(x) === gv)) {
    const base = `/${prefix(gv)}${r.namespaced ? "/namespaces/{namespace}" : ""}/${r.plural}/{name}`;
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    paths[base] = {
      get: { "x-kubernetes-action": "get", "x-kubernetes-group-version-kind": gvk, responses: {} },
      patch: {
        "x-kubernetes-action": "patch",
        "x-kubernetes-group-version-kind": gvk,
        parameters,
        responses: {},
      },
    };
  }
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: "v1.32.0" },
    paths,
    components: { schemas: {} },
  };
}
