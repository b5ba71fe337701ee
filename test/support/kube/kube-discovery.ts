import type { JsonObject } from "./kube-json.ts";
import { groupVersionOf, kubeResources, resourceVerbs } from "./kube-resources.ts";

/** The legacy discovery documents (/api, /apis, /api/v1, /apis/<g>/<v>), or undefined for other paths. */
export function discoveryDocument(path: string): JsonObject | undefined {
  const serverAddressByClientCIDRs = [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1" }];
  if (path === "/api") return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs };
  if (path === "/version") {
    return {
      major: "1",
      minor: "32",
      gitVersion: "v1.32.0-aether-test",
      platform: "linux/amd64",
      goVersion: "go1.23.0",
      compiler: "gc",
    };
  }
  const groups = [...new Set(kubeResources.filter((r) => r.group !== "").map(groupVersionOf))];
  if (path === "/apis") {
    return {
      kind: "APIGroupList",
      apiVersion: "v1",
      groups: groups.map((gv) => {
        const [name = "", version = ""] = gv.split("/");
        return {
          name,
          versions: [{ groupVersion: gv, version }],
          preferredVersion: { groupVersion: gv, version },
        };
      }),
    };
  }
  const groupVersion =
    path === "/api/v1" ? "v1" : path.startsWith("/apis/") ? path.slice("/apis/".length) : "";
  if (!groups.includes(groupVersion) && groupVersion !== "v1") {
    if (path.startsWith("/apis/") && !groupVersion.includes("/")) {
      const match = groups.find((g) => g.startsWith(`${groupVersion}/`));
      if (match === undefined) return undefined;
      const version = match.split("/")[1] ?? "";
      const v = { groupVersion: match, version };
      return { kind: "APIGroup", apiVersion: "v1", name: groupVersion, versions: [v], preferredVersion: v };
    }
    return undefined;
  }
  const resources: JsonObject[] = [];
  for (const r of kubeResources.filter((x) => groupVersionOf(x) === groupVersion)) {
    resources.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: resourceVerbs,
      ...(r.shortNames.length > 0 ? { shortNames: r.shortNames } : {}),
    });
    for (const sub of r.subresources) {
      resources.push({
        name: `${r.plural}/${sub}`,
        singularName: "",
        namespaced: r.namespaced,
        kind: sub === "log" ? "Pod" : r.kind,
        verbs: sub === "log" ? ["get"] : ["get", "patch", "update"],
      });
    }
  }
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion, resources };
}
