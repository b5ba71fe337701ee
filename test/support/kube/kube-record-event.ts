import type { KubeApi } from "./kube-api.ts";
import { objectAt, type JsonObject } from "./kube-json.ts";
import { kubeResources } from "./kube-resources.ts";
import { nameOf, namespaceOf } from "./kube-store.ts";

export interface EventInput {
  object: JsonObject;
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  component: string;
}

const events = kubeResources.find((r) => r.kind === "Event" && r.group === "")!;
const stamp = (): string => new Date().toISOString().replace(/\.\d+Z$/, "Z");

/** Records a core/v1 Event about an object, as controllers and the kubelet do. */
export function recordEvent(api: KubeApi, input: EventInput): void {
  const namespace = namespaceOf(input.object) || "default";
  const metadata = objectAt(input.object, "metadata");
  const event = {
    metadata: {
      name: `${nameOf(input.object)}.${Date.now().toString(16)}${Math.random().toString(16).slice(2, 6)}`,
      namespace,
    },
    involvedObject: {
      kind: input.object.kind,
      apiVersion: input.object.apiVersion,
      namespace,
      name: nameOf(input.object),
      uid: metadata.uid,
      resourceVersion: metadata.resourceVersion,
    },
    reason: input.reason,
    message: input.message,
    type: input.type,
    source: { component: input.component },
    firstTimestamp: stamp(),
    lastTimestamp: stamp(),
    count: 1,
  };
  try {
    api.create(events, namespace, event, { manager: input.component });
  } catch {
    // The namespace may be terminating: events are best effort, as on a real cluster.
  }
}
