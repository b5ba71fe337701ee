import { clone, isObject, objectAt, stringAt, type JsonObject } from "./kube-json.ts";

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

/** A change to one stored object, as watches replay it. */
export interface StoredEvent {
  type: WatchEventType;
  key: string;
  namespace: string;
  resourceVersion: number;
  object: JsonObject;
}

/**
 * The test server's storage: objects by storage key, one global resourceVersion counter (as etcd's
 * revision), and a bounded log of changes that watches resume from (older versions answer 410 Gone).
 */
export class KubeStore {
  revision = 1;
  private readonly objects = new Map<string, JsonObject>();
  private log: StoredEvent[] = [];
  private compactedBelow = 0;
  private readonly listeners = new Set<(event: StoredEvent) => void>();
  private readonly logLimit: number;

  constructor(logLimit = 10_000) {
    this.logLimit = logLimit;
  }

  private id(key: string, namespace: string, name: string): string {
    return `${key}\u0000${namespace}\u0000${name}`;
  }

  get(key: string, namespace: string, name: string): JsonObject | undefined {
    const found = this.objects.get(this.id(key, namespace, name));
    return found === undefined ? undefined : clone(found);
  }

  list(key: string, namespace?: string): JsonObject[] {
    const out: JsonObject[] = [];
    for (const [id, object] of this.objects) {
      const [k, ns] = id.split("\u0000");
      if (k === key && (namespace === undefined || ns === namespace)) out.push(clone(object));
    }
    return out.sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
  }

  /** Stores the object with a new resourceVersion and tells watchers; returns the stored copy. */
  put(key: string, object: JsonObject, type: WatchEventType): JsonObject {
    this.revision += 1;
    const stored = clone(object);
    const metadata = objectAt(stored, "metadata");
    metadata.resourceVersion = String(this.revision);
    stored.metadata = metadata;
    const namespace = stringAt(metadata, "namespace") ?? "";
    this.objects.set(this.id(key, namespace, nameOf(stored)), stored);
    this.record({ type, key, namespace, resourceVersion: this.revision, object: clone(stored) });
    return clone(stored);
  }

  remove(key: string, namespace: string, name: string): JsonObject | undefined {
    const id = this.id(key, namespace, name);
    const found = this.objects.get(id);
    if (found === undefined) return undefined;
    this.objects.delete(id);
    this.revision += 1;
    const gone = clone(found);
    objectAt(gone, "metadata").resourceVersion = String(this.revision);
    this.record({ type: "DELETED", key, namespace, resourceVersion: this.revision, object: clone(gone) });
    return gone;
  }

  /** Events after `resourceVersion`, or `"expired"` when the log no longer reaches back that far. */
  eventsSince(resourceVersion: number): StoredEvent[] | "expired" {
    if (resourceVersion < this.compactedBelow) return "expired";
    return this.log
      .filter((e) => e.resourceVersion > resourceVersion)
      .map((e) => ({ ...e, object: clone(e.object) }));
  }

  /** Forgets the change log, as etcd compaction does: watches from older versions get 410 Gone. */
  compact(): void {
    this.log = [];
    this.compactedBelow = this.revision;
  }

  subscribe(listener: (event: StoredEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(event: StoredEvent): void {
    this.log.push(event);
    if (this.log.length > this.logLimit) {
      const dropped = this.log.splice(0, this.log.length - this.logLimit);
      this.compactedBelow = dropped[dropped.length - 1]?.resourceVersion ?? this.compactedBelow;
    }
    for (const listener of [...this.listeners]) listener({ ...event, object: clone(event.object) });
  }
}

export function nameOf(object: unknown): string {
  return isObject(object) ? (stringAt(objectAt(object, "metadata"), "name") ?? "") : "";
}

export function namespaceOf(object: unknown): string {
  return stringAt(objectAt(object, "metadata"), "namespace") ?? "";
}
