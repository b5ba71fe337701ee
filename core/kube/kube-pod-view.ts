/** What following an app's logs needs to know about a pod. */
export interface PodView {
  name: string;
  resourceVersion: string;
  containers: string[];
  initContainers: string[];
  /** Restart count per container, from status.containerStatuses. */
  restarts: Record<string, number>;
}

/**
 * Reads a pod from a list (client-node's V1Pod) or a watch event (wire JSON): the fields used here have
 * the same names in both. Undefined when it is not a pod with a name.
 */
export function kubePodView(raw: unknown): PodView | undefined {
  const metadata = field(raw, "metadata");
  const name = field(metadata, "name");
  if (typeof name !== "string") return undefined;
  const rv = field(metadata, "resourceVersion");
  const spec = field(raw, "spec");
  const restarts: Record<string, number> = {};
  for (const status of list(field(field(raw, "status"), "containerStatuses"))) {
    const container = field(status, "name");
    const count = field(status, "restartCount");
    if (typeof container === "string" && typeof count === "number") restarts[container] = count;
  }
  return {
    name,
    resourceVersion: typeof rv === "string" ? rv : "",
    containers: names(field(spec, "containers")),
    initContainers: names(field(spec, "initContainers")),
    restarts,
  };
}

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null && key in value
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

function names(value: unknown): string[] {
  return list(value).flatMap((c) => {
    const name = field(c, "name");
    return typeof name === "string" ? [name] : [];
  });
}
