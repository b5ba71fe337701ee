import { serverSideApply, recordUpdate } from "./kube-apply.ts";
import { applyDefaults, initMetadata } from "./kube-defaults.ts";
import {
  clone,
  isObject,
  ensureObject,
  jsonEqual,
  objectAt,
  stringAt,
  type JsonObject,
} from "./kube-json.ts";
import { jsonPatch, mergePatch, mergeStrategic } from "./kube-merge.ts";
import {
  groupVersionOf,
  kubeResources,
  qualifiedKind,
  qualifiedResource,
  storageKey,
  type KubeResource,
} from "./kube-resources.ts";
import { alreadyExists, badRequest, invalid, notFound, staleConflict, statusError } from "./kube-status.ts";
import { nameOf, type KubeStore } from "./kube-store.ts";
import { immutableFieldCauses, validateObject } from "./kube-validate.ts";
import { stripVolatile, withType, withoutMeta } from "./kube-object-shape.ts";
import { checkUnknownFields } from "./kube-unknown-fields.ts";

/** Who writes, and how the request asked it to be checked. */
export interface WriteOptions {
  manager: string;
  fieldValidation?: string;
  subresource?: string;
  dryRun?: boolean;
  /** Set by server-side apply, which has already recorded field ownership. */
  applied?: boolean;
  /** Validating admission for creates (quota), after validation as on an API server; throws a Status. */
  admitCreate?: (object: JsonObject) => void;
}

export type PatchType = "merge" | "strategic" | "json" | "apply";

/** The API operations, on the store, with the API server's defaulting, validation and field ownership. */
export class KubeApi {
  readonly store: KubeStore;
  /** Called after each write so the controller can reconcile. */
  onWrite: () => void = () => undefined;

  constructor(store: KubeStore) {
    this.store = store;
  }

  get(resource: KubeResource, namespace: string, name: string): JsonObject {
    const found = this.store.get(storageKey(resource), namespace, name);
    if (found === undefined) throw notFound(qualifiedResource(resource), name);
    return withType(resource, found);
  }

  private prepare(
    resource: KubeResource,
    namespace: string,
    object: JsonObject,
    options: WriteOptions,
  ): JsonObject {
    const body = dropNulls(clone(object));
    if (options.fieldValidation !== "Ignore")
      checkUnknownFields(resource, body, options.fieldValidation === "Strict");
    body.apiVersion = groupVersionOf(resource);
    body.kind = resource.kind;
    const metadata = ensureObject(body, "metadata");
    if (resource.namespaced) {
      const declared = stringAt(metadata, "namespace");
      if (declared !== undefined && declared !== namespace) {
        throw badRequest(
          "the namespace of the provided object does not match the namespace sent on the request",
        );
      }
      metadata.namespace = namespace;
    }
    applyDefaults(resource.kind, body);
    const causes = validateObject(resource.kind, body);
    if (causes.length > 0) {
      throw invalid({
        qualifiedKind: qualifiedKind(resource),
        kind: resource.kind,
        group: resource.group,
        name: nameOf(body),
        causes,
      });
    }
    return body;
  }

  private checkNamespace(resource: KubeResource, namespace: string): void {
    if (!resource.namespaced) return;
    const ns = this.store.get("/namespaces", "", namespace);
    if (ns === undefined) throw notFound("namespaces", namespace);
    if (objectAt(ns, "status").phase === "Terminating") {
      throw statusError({
        code: 403,
        reason: "Forbidden",
        message: `${resource.plural} "${nameOf(ns)}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      });
    }
  }

  create(resource: KubeResource, namespace: string, object: JsonObject, options: WriteOptions): JsonObject {
    this.checkNamespace(resource, namespace);
    const body = this.prepare(resource, namespace, object, options);
    initMetadata(body, resource.tracksGeneration);
    if (this.store.get(storageKey(resource), namespace, nameOf(body)) !== undefined) {
      throw alreadyExists(qualifiedResource(resource), nameOf(body));
    }
    options.admitCreate?.(body);
    if (options.applied !== true) {
      recordUpdate({
        before: undefined,
        after: body,
        manager: options.manager,
        apiVersion: groupVersionOf(resource),
      });
    }
    if (options.dryRun === true) return withType(resource, body);
    const stored = this.store.put(storageKey(resource), body, "ADDED");
    if (resource.kind === "Namespace") this.seedNamespace(nameOf(stored));
    this.onWrite();
    return withType(resource, stored);
  }

  private seedNamespace(namespace: string): void {
    const sa = kubeResources.find((r) => r.kind === "ServiceAccount");
    if (sa !== undefined) {
      this.create(sa, namespace, { metadata: { name: "default" } }, { manager: "kube-controller-manager" });
    }
  }

  /** PUT: replaces the object; a stale metadata.resourceVersion answers 409. */
  update(
    resource: KubeResource,
    namespace: string,
    name: string,
    object: JsonObject,
    options: WriteOptions,
  ): JsonObject {
    const current = this.store.get(storageKey(resource), namespace, name);
    if (current === undefined) throw notFound(qualifiedResource(resource), name);
    const sent = stringAt(objectAt(object, "metadata"), "resourceVersion");
    if (sent !== undefined && sent !== stringAt(objectAt(current, "metadata"), "resourceVersion")) {
      throw staleConflict(qualifiedResource(resource), name);
    }
    return this.replace(resource, current, object, options);
  }

  private replace(
    resource: KubeResource,
    current: JsonObject,
    object: JsonObject,
    options: WriteOptions,
  ): JsonObject {
    const namespace = stringAt(objectAt(current, "metadata"), "namespace") ?? "";
    const body = this.prepare(resource, namespace, object, options);
    const metadata = ensureObject(body, "metadata");
    const old = objectAt(current, "metadata");
    for (const key of ["uid", "creationTimestamp", "generation", "deletionTimestamp"]) {
      if (old[key] !== undefined) metadata[key] = old[key];
    }
    if (options.subresource === "status") {
      const next = clone(current);
      next.status = body.status;
      return this.commit(resource, current, next, options);
    }
    if (resource.subresources.includes("status")) body.status = current.status;
    const immutable = immutableFieldCauses(resource.kind, current, body);
    if (immutable.length > 0) {
      throw invalid({
        qualifiedKind: qualifiedKind(resource),
        kind: resource.kind,
        group: resource.group,
        name: nameOf(body),
        causes: immutable,
      });
    }
    if (resource.tracksGeneration && !jsonEqual(withoutMeta(current), withoutMeta(body))) {
      metadata.generation = (typeof old.generation === "number" ? old.generation : 0) + 1;
    }
    return this.commit(resource, current, body, options);
  }

  private commit(
    resource: KubeResource,
    current: JsonObject,
    next: JsonObject,
    options: WriteOptions,
  ): JsonObject {
    const recordOptions = {
      before: current,
      after: next,
      manager: options.manager,
      apiVersion: groupVersionOf(resource),
    };
    if (options.applied !== true)
      recordUpdate(
        options.subresource === undefined
          ? recordOptions
          : { ...recordOptions, subresource: options.subresource },
      );
    delete objectAt(next, "metadata").resourceVersion;
    if (jsonEqual(stripVolatile(current), stripVolatile(next))) return withType(resource, current);
    if (options.dryRun === true) return withType(resource, next);
    const stored = this.store.put(storageKey(resource), next, "MODIFIED");
    this.onWrite();
    return withType(resource, stored);
  }

  patch(input: {
    resource: KubeResource;
    namespace: string;
    name: string;
    type: PatchType;
    body: unknown;
    force: boolean;
    options: WriteOptions;
  }): JsonObject {
    const { resource, namespace, name, options } = input;
    const current = this.store.get(storageKey(resource), namespace, name);
    if (input.type === "apply") {
      const config = objectAt({ b: input.body }, "b");
      if (current === undefined) this.checkNamespace(resource, namespace);
      const merged = serverSideApply({
        current: current === undefined ? undefined : withType(resource, current),
        config,
        manager: options.manager,
        force: input.force,
        apiVersion: groupVersionOf(resource),
        qualifiedResource: qualifiedResource(resource),
        name,
      });
      const applyOptions = { ...options, applied: true };
      if (current === undefined) return this.create(resource, namespace, merged, applyOptions);
      return this.replace(resource, current, merged, applyOptions);
    }
    if (current === undefined) throw notFound(qualifiedResource(resource), name);
    const base = options.subresource === "status" ? current : withType(resource, current);
    const patched =
      input.type === "json"
        ? jsonPatch(base, input.body)
        : input.type === "merge"
          ? mergePatch(base, input.body)
          : mergeStrategic(base, input.body);
    const object = objectAt({ p: patched }, "p");
    const sent = stringAt(objectAt(object, "metadata"), "resourceVersion");
    if (sent !== undefined && sent !== stringAt(objectAt(current, "metadata"), "resourceVersion")) {
      throw staleConflict(qualifiedResource(resource), name);
    }
    return this.replace(resource, current, object, options);
  }

  /** Deletes the object and, as the garbage collector would, everything it owns. */
  delete(resource: KubeResource, namespace: string, name: string): JsonObject {
    const key = storageKey(resource);
    const current = this.store.get(key, namespace, name);
    if (current === undefined) throw notFound(qualifiedResource(resource), name);
    if (resource.kind === "Namespace") {
      const terminating = clone(current);
      terminating.status = { phase: "Terminating" };
      objectAt(terminating, "metadata").deletionTimestamp = new Date().toISOString().replace(/\.\d+Z$/, "Z");
      this.store.put(key, terminating, "MODIFIED");
      for (const r of kubeResources.filter((x) => x.namespaced && x.group !== "events.k8s.io")) {
        for (const object of this.store.list(storageKey(r), name))
          this.store.remove(storageKey(r), name, nameOf(object));
      }
      setTimeout(() => this.store.remove(key, "", name), 20);
      this.onWrite();
      return withType(resource, terminating);
    }
    const gone = this.store.remove(key, namespace, name);
    this.collectOrphans(namespace, stringAt(objectAt(current, "metadata"), "uid") ?? "");
    this.onWrite();
    return withType(resource, gone ?? current);
  }

  private collectOrphans(namespace: string, uid: string): void {
    for (const r of kubeResources.filter((x) => x.namespaced && x.group !== "events.k8s.io")) {
      for (const object of this.store.list(storageKey(r), namespace)) {
        const owners = objectAt(object, "metadata").ownerReferences;
        if (Array.isArray(owners) && owners.some((o) => stringAt(o, "uid") === uid)) {
          this.store.remove(storageKey(r), namespace, nameOf(object));
          this.collectOrphans(namespace, stringAt(objectAt(object, "metadata"), "uid") ?? "");
        }
      }
    }
  }
}

/** Drops null fields, as decoding into Go types does (a null `creationTimestamp` is the zero time, omitted). */
function dropNulls<T>(value: T): T {
  if (Array.isArray(value)) value.forEach(dropNulls);
  else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (child === null) Reflect.deleteProperty(value, key);
      else dropNulls(child);
    }
  }
  return value;
}
