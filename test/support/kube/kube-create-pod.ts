import type { KubeApi } from "./kube-api.ts";
import { clone, objectAt, stringAt, type JsonObject } from "./kube-json.ts";
import { ownerRef } from "./kube-owners.ts";
import { quotaAdmission } from "./kube-quota.ts";
import type { EventInput } from "./kube-record-event.ts";
import { kubeResources } from "./kube-resources.ts";
import { KubeStatusError } from "./kube-status.ts";
import { nameOf, namespaceOf } from "./kube-store.ts";

const pods = kubeResources.find((r) => r.kind === "Pod")!;

/**
 * Creates one pod from a ReplicaSet's template through quota admission, as the ReplicaSet controller does.
 * A refusal becomes a Warning `FailedCreate` event on the ReplicaSet (`Error creating: pods "…" is
 * forbidden: exceeded quota: …`), recorded once per distinct refusal, and undefined is returned.
 */
export function createReplicaSetPod(input: {
  api: KubeApi;
  rs: JsonObject;
  /** Last refusal per ReplicaSet uid (without the random pod name), so passes do not repeat the event. */
  failedCreates: Map<string, string>;
  event: (event: EventInput) => void;
}): JsonObject | undefined {
  const { api, rs } = input;
  const template = objectAt(objectAt(rs, "spec"), "template");
  const name = `${nameOf(rs)}-${Math.random().toString(36).slice(2, 7)}`;
  const rsUid = stringAt(objectAt(rs, "metadata"), "uid") ?? nameOf(rs);
  try {
    const pod = api.create(
      pods,
      namespaceOf(rs),
      {
        metadata: { ...clone(objectAt(template, "metadata")), name, ownerReferences: [ownerRef(rs)] },
        spec: { ...clone(objectAt(template, "spec")), nodeName: "aether-test-node" },
        status: { phase: "Pending", conditions: [{ type: "PodScheduled", status: "True" }] },
      },
      { manager: "kube-controller-manager", admitCreate: quotaAdmission(api.store, pods, namespaceOf(rs)) },
    );
    input.failedCreates.delete(rsUid);
    return pod;
  } catch (error) {
    if (!(error instanceof KubeStatusError) || error.code !== 403) throw error;
    const message = `Error creating: ${error.message}`;
    const key = message.replace(name, "");
    if (input.failedCreates.get(rsUid) !== key) {
      input.failedCreates.set(rsUid, key);
      input.event({
        object: rs,
        type: "Warning",
        reason: "FailedCreate",
        message,
        component: "replicaset-controller",
      });
    }
    return undefined;
  }
}
