import { clone, objectAt, type JsonObject } from "./kube-json.ts";
import { groupVersionOf, type KubeResource } from "./kube-resources.ts";

/** The object without metadata and status: what a generation change compares. */
export function withoutMeta(object: JsonObject): JsonObject {
  const out = clone(object);
  delete out.metadata;
  delete out.status;
  return out;
}

/** The object without what changes on every write (resourceVersion, managedFields times). */
export function stripVolatile(object: JsonObject): JsonObject {
  const out = clone(object);
  const metadata = objectAt(out, "metadata");
  delete metadata.resourceVersion;
  if (Array.isArray(metadata.managedFields)) {
    metadata.managedFields = metadata.managedFields.map((e: unknown) => ({
      ...objectAt({ e }, "e"),
      time: "",
    }));
  }
  return out;
}

/** The object with apiVersion and kind first, as served for a single get. */
export function withType(resource: KubeResource, object: JsonObject): JsonObject {
  return { apiVersion: groupVersionOf(resource), kind: resource.kind, ...withoutType(object) };
}

/** The object without apiVersion and kind, as items of a typed list are served. */
export function withoutType(object: JsonObject): JsonObject {
  const rest = { ...object };
  delete rest.apiVersion;
  delete rest.kind;
  return rest;
}
