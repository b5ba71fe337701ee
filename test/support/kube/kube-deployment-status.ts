import type { KubeApi } from "./kube-api.ts";
import { isReady } from "./kube-owners.ts";
import { arrayAt, jsonEqual, numberAt, objectAt, stringAt, stringMap, type JsonObject } from "./kube-json.ts";
import { kubeResources } from "./kube-resources.ts";
import { nameOf, namespaceOf } from "./kube-store.ts";

const deployments = kubeResources.find((r) => r.kind === "Deployment")!;
const stamp = (): string => new Date().toISOString().replace(/\.\d+Z$/, "Z");
const deadlineTimers = new WeakMap<KubeApi, Set<string>>();

/** Computes a Deployment's status from its ReplicaSets and pods, as the deployment controller does. */
export function updateDeploymentStatus(input: {
  deployment: JsonObject;
  api: KubeApi;
  sets: JsonObject[];
  podsOf: (rs: JsonObject) => JsonObject[];
  later: (ms: number, fn: () => void) => void;
  schedule: () => void;
}): void {
  const { deployment, api } = input;
  const spec = objectAt(deployment, "spec");
  const want = numberAt(spec, "replicas") ?? 1;
  const revision = stringMap(objectAt(deployment, "metadata").annotations)[
    "deployment.kubernetes.io/revision"
  ];
  const current = input.sets.find(
    (rs) => stringMap(objectAt(rs, "metadata").annotations)["deployment.kubernetes.io/revision"] === revision,
  );
  const all = input.sets.flatMap(input.podsOf);
  const updated = current === undefined ? [] : input.podsOf(current);
  const ready = all.filter(isReady).length;
  const old = objectAt(deployment, "status");
  const previous = arrayAt(old, "conditions");
  const progressing = previous.find((c) => stringAt(c, "type") === "Progressing");
  const complete = updated.length === want && all.length === want && updated.filter(isReady).length === want;
  const deadline = (numberAt(spec, "progressDeadlineSeconds") ?? 600) * 1000;
  const since = Date.parse(stringAt(progressing, "lastUpdateTime") ?? new Date().toISOString());
  let progress: JsonObject;
  if (complete) {
    progress = {
      type: "Progressing",
      status: "True",
      reason: "NewReplicaSetAvailable",
      message: `ReplicaSet "${nameOf(current)}" has successfully progressed.`,
    };
  } else if (
    stringAt(progressing, "reason") === "ProgressDeadlineExceeded" ||
    Date.now() - since >= deadline
  ) {
    progress = {
      type: "Progressing",
      status: "False",
      reason: "ProgressDeadlineExceeded",
      message: `ReplicaSet "${nameOf(current)}" has timed out progressing.`,
    };
  } else {
    progress = {
      type: "Progressing",
      status: "True",
      reason: "ReplicaSetUpdated",
      message: `ReplicaSet "${nameOf(current)}" is progressing.`,
    };
    const key = `${namespaceOf(deployment)}/${nameOf(deployment)}/${stringAt(progressing, "lastUpdateTime") ?? ""}`;
    const timers = deadlineTimers.get(api) ?? new Set<string>();
    deadlineTimers.set(api, timers);
    if (!timers.has(key)) {
      timers.add(key);
      input.later(Math.max(0, since + deadline - Date.now()) + 5, input.schedule);
    }
  }
  const keep = (c: JsonObject): JsonObject => {
    const before = previous.find((p) => stringAt(p, "type") === c.type);
    const same = stringAt(before, "status") === c.status && stringAt(before, "reason") === c.reason;
    const progressed = c.type === "Progressing" && stringAt(before, "reason") !== c.reason;
    return {
      ...c,
      lastUpdateTime: same && !progressed ? (stringAt(before, "lastUpdateTime") ?? stamp()) : stamp(),
      lastTransitionTime:
        stringAt(before, "status") === c.status
          ? (stringAt(before, "lastTransitionTime") ?? stamp())
          : stamp(),
    };
  };
  const maxUnavailable = Math.floor(want * 0.25);
  const available = {
    type: "Available",
    status: ready >= want - maxUnavailable ? "True" : "False",
    reason: ready >= want - maxUnavailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
    message:
      ready >= want - maxUnavailable
        ? "Deployment has minimum availability."
        : "Deployment does not have minimum availability.",
  };
  const status: JsonObject = {
    observedGeneration: numberAt(objectAt(deployment, "metadata"), "generation") ?? 1,
    replicas: all.length,
    updatedReplicas: updated.length,
    readyReplicas: ready,
    availableReplicas: ready,
    unavailableReplicas: Math.max(0, want - ready),
    conditions: [keep(available), keep(progress)],
  };
  const comparable = (s: JsonObject) =>
    JSON.stringify({
      ...s,
      conditions: arrayAt(s, "conditions").map((c) => ({
        ...objectAt({ c }, "c"),
        lastUpdateTime: "",
        lastTransitionTime: "",
      })),
    });
  if (jsonEqual(comparable(status), comparable(old))) return;
  api.patch({
    resource: deployments,
    namespace: namespaceOf(deployment),
    name: nameOf(deployment),
    type: "merge",
    body: { status: { ...status } },
    force: false,
    options: { manager: "kube-controller-manager", subresource: "status" },
  });
}
