import { arrayAt, objectAt, stringAt, type JsonObject } from "./kube-json.ts";
import { nameOf } from "./kube-store.ts";

/** The controller owner reference a controller puts on what it creates. */
export function ownerRef(owner: JsonObject): JsonObject {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: nameOf(owner),
    uid: objectAt(owner, "metadata").uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Whether a pod reports the Ready condition True. */
export function isReady(pod: unknown): boolean {
  return arrayAt(objectAt(pod, "status"), "conditions").some(
    (c) => stringAt(c, "type") === "Ready" && stringAt(c, "status") === "True",
  );
}
