import type { KubeApi } from "./kube-api.ts";
import { arrayAt, clone, numberAt, objectAt, stringAt, stringMap, type JsonObject } from "./kube-json.ts";
import type { KubePodLogs } from "./kube-pod-logs.ts";
import { kubeResources, type KubeResource } from "./kube-resources.ts";
import { isReady, ownerRef } from "./kube-owners.ts";
import { podTemplateHash } from "./kube-pod-template-hash.ts";
import { recordEvent, type EventInput } from "./kube-record-event.ts";
import { startPodLifecycle, type PodFault } from "./kube-pod-lifecycle.ts";
import { updateDeploymentStatus } from "./kube-deployment-status.ts";
import { nameOf, namespaceOf } from "./kube-store.ts";
import { createReplicaSetPod } from "./kube-create-pod.ts";

export interface ControllerOptions {
  /** Delay before a started pod reports Ready. */
  readyDelayMs: number;
  /** Lines each container logs when it starts. */
  logLines: (pod: string, container: string) => string[];
}

const res = (kind: string): KubeResource =>
  kubeResources.find((r) => r.kind === kind && r.group !== "events.k8s.io")!;
const stamp = (): string => new Date().toISOString().replace(/\.\d+Z$/, "Z");
const system = { manager: "kube-controller-manager" };

/** Deployment → ReplicaSet → Pod controller with readiness, progress deadlines, faults and events. */
export class KubeController {
  readonly faults: PodFault[] = [];
  private readonly api: KubeApi;
  private readonly logs: KubePodLogs;
  private readonly options: ControllerOptions;
  private readonly timers = new Set<NodeJS.Timeout>();
  private scheduled = false;
  private stopped = false;
  /** The last FailedCreate message per ReplicaSet uid, so a refusal is recorded once, not on every pass. */
  private readonly failedCreates = new Map<string, string>();

  constructor(input: { api: KubeApi; logs: KubePodLogs; options: ControllerOptions }) {
    this.api = input.api;
    this.logs = input.logs;
    this.options = input.options;
  }

  /** Coalesces reconcile requests into one pass on the next tick. */
  schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.stopped) this.reconcile();
    });
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(timer);
  }

  private reconcile(): void {
    const store = this.api.store;
    for (const deployment of store.list("apps/deployments")) this.syncDeployment(deployment);
    for (const rs of store.list("apps/replicasets")) this.syncReplicaSet(rs);
    for (const deployment of store.list("apps/deployments")) this.updateDeploymentStatus(deployment);
  }

  private owned(kind: "ReplicaSet" | "Pod", owner: JsonObject): JsonObject[] {
    const uid = stringAt(objectAt(owner, "metadata"), "uid");
    const key = kind === "Pod" ? "/pods" : "apps/replicasets";
    return this.api.store
      .list(key, namespaceOf(owner))
      .filter((o) =>
        arrayAt(objectAt(o, "metadata"), "ownerReferences").some((r) => stringAt(r, "uid") === uid),
      );
  }

  private event(input: EventInput): void {
    recordEvent(this.api, input);
  }

  private syncDeployment(deployment: JsonObject): void {
    const spec = objectAt(deployment, "spec");
    const template = objectAt(spec, "template");
    const hash = podTemplateHash(template);
    const sets = this.owned("ReplicaSet", deployment);
    const revisions = sets.map((rs) =>
      Number(stringMap(objectAt(rs, "metadata").annotations)["deployment.kubernetes.io/revision"] ?? "0"),
    );
    const maxRevision = Math.max(0, ...revisions);
    let current = sets.find((rs) => stringMap(objectAt(rs, "metadata").labels)["pod-template-hash"] === hash);
    const replicas = numberAt(spec, "replicas") ?? 1;
    if (current === undefined) {
      const labels = { ...stringMap(objectAt(template, "metadata").labels), "pod-template-hash": hash };
      const rsTemplate = clone(template);
      objectAt(rsTemplate, "metadata").labels = labels;
      rsTemplate.metadata = { ...objectAt(rsTemplate, "metadata"), labels };
      const selector = clone(objectAt(spec, "selector"));
      selector.matchLabels = { ...stringMap(selector.matchLabels), "pod-template-hash": hash };
      current = this.api.create(
        res("ReplicaSet"),
        namespaceOf(deployment),
        {
          metadata: {
            name: `${nameOf(deployment)}-${hash}`,
            labels,
            annotations: { "deployment.kubernetes.io/revision": String(maxRevision + 1) },
            ownerReferences: [ownerRef(deployment)],
          },
          spec: { replicas, selector, template: rsTemplate },
        },
        system,
      );
      this.event({
        object: deployment,
        type: "Normal",
        reason: "ScalingReplicaSet",
        message: `Scaled up replica set ${nameOf(current)} from 0 to ${replicas}`,
        component: "deployment-controller",
      });
      this.setProgress(
        deployment,
        "True",
        "NewReplicaSetCreated",
        `Created new replica set "${nameOf(current)}"`,
      );
    } else {
      const revision = stringMap(objectAt(current, "metadata").annotations)[
        "deployment.kubernetes.io/revision"
      ];
      if (revision !== String(maxRevision) && sets.length > 1)
        this.patchMeta(current, { "deployment.kubernetes.io/revision": String(maxRevision + 1) });
      if (numberAt(objectAt(current, "spec"), "replicas") !== replicas) this.scale(current, replicas);
    }
    const revision =
      stringMap(
        objectAt(this.api.store.get("apps/replicasets", namespaceOf(current), nameOf(current)), "metadata")
          .annotations,
      )["deployment.kubernetes.io/revision"] ?? "1";
    if (
      stringMap(objectAt(deployment, "metadata").annotations)["deployment.kubernetes.io/revision"] !==
      revision
    ) {
      this.patchMeta(deployment, { "deployment.kubernetes.io/revision": revision });
    }
    const newReady = numberAt(objectAt(current, "status"), "readyReplicas") ?? 0;
    for (const old of sets.filter((rs) => nameOf(rs) !== nameOf(current))) {
      if ((numberAt(objectAt(old, "spec"), "replicas") ?? 0) > 0 && newReady >= replicas) {
        this.scale(old, 0);
        this.event({
          object: deployment,
          type: "Normal",
          reason: "ScalingReplicaSet",
          message: `Scaled down replica set ${nameOf(old)} to 0`,
          component: "deployment-controller",
        });
      }
    }
  }

  private patchMeta(object: JsonObject, annotations: Record<string, string>): void {
    const r = object.kind === "Deployment" ? res("Deployment") : res("ReplicaSet");
    this.api.patch({
      resource: r,
      namespace: namespaceOf(object),
      name: nameOf(object),
      type: "merge",
      body: { metadata: { annotations } },
      force: false,
      options: system,
    });
  }

  private scale(rs: JsonObject, replicas: number): void {
    this.api.patch({
      resource: res("ReplicaSet"),
      namespace: namespaceOf(rs),
      name: nameOf(rs),
      type: "merge",
      body: { spec: { replicas } },
      force: false,
      options: system,
    });
  }

  private setProgress(deployment: JsonObject, status: string, reason: string, message: string): void {
    const fresh = this.api.store.get("apps/deployments", namespaceOf(deployment), nameOf(deployment));
    if (fresh === undefined) return;
    const conditions = arrayAt(objectAt(fresh, "status"), "conditions").filter(
      (c) => stringAt(c, "type") !== "Progressing",
    );
    conditions.push({
      type: "Progressing",
      status,
      reason,
      message,
      lastUpdateTime: stamp(),
      lastTransitionTime: stamp(),
    });
    const statusObj = { ...objectAt(fresh, "status"), conditions };
    this.api.patch({
      resource: res("Deployment"),
      namespace: namespaceOf(fresh),
      name: nameOf(fresh),
      type: "merge",
      body: { status: statusObj },
      force: false,
      options: { ...system, subresource: "status" },
    });
  }

  private syncReplicaSet(rs: JsonObject): void {
    const want = numberAt(objectAt(rs, "spec"), "replicas") ?? 0;
    const pods = this.owned("Pod", rs);
    for (let i = pods.length; i < want; i += 1) if (!this.startPod(rs)) break;
    for (const pod of pods.slice(want)) {
      this.api.delete(res("Pod"), namespaceOf(pod), nameOf(pod));
      this.logs.end(namespaceOf(pod), nameOf(pod));
    }
    const live = this.owned("Pod", rs);
    const ready = live.filter(isReady).length;
    const status = {
      replicas: live.length,
      readyReplicas: ready,
      availableReplicas: ready,
      fullyLabeledReplicas: live.length,
      observedGeneration: numberAt(objectAt(rs, "metadata"), "generation") ?? 1,
    };
    if (JSON.stringify(rs.status) !== JSON.stringify(status)) {
      this.api.patch({
        resource: res("ReplicaSet"),
        namespace: namespaceOf(rs),
        name: nameOf(rs),
        type: "merge",
        body: { status },
        force: false,
        options: { ...system, subresource: "status" },
      });
    }
  }

  /** Creates one pod of the ReplicaSet; false when quota admission refused it (a FailedCreate event, as on a cluster). */
  private startPod(rs: JsonObject): boolean {
    const pod = createReplicaSetPod({
      api: this.api,
      rs,
      failedCreates: this.failedCreates,
      event: (e) => this.event(e),
    });
    if (pod === undefined) return false;
    const name = nameOf(pod);
    this.event({
      object: pod,
      type: "Normal",
      reason: "SuccessfulCreate",
      message: `Created pod: ${name}`,
      component: "replicaset-controller",
    });
    this.event({
      object: pod,
      type: "Normal",
      reason: "Scheduled",
      message: `Successfully assigned ${namespaceOf(pod)}/${name} to aether-test-node`,
      component: "default-scheduler",
    });
    this.later(this.options.readyDelayMs, () => this.runPod(pod));
    return true;
  }

  private runPod(pod: JsonObject): void {
    startPodLifecycle({
      pod,
      api: this.api,
      logs: this.logs,
      faults: this.faults,
      event: (e) => this.event(e),
      later: (ms, fn) => this.later(ms, fn),
      logLines: this.options.logLines,
      readyDelayMs: this.options.readyDelayMs,
      onChange: () => this.schedule(),
    });
  }

  private updateDeploymentStatus(deployment: JsonObject): void {
    updateDeploymentStatus({
      deployment,
      api: this.api,
      sets: this.owned("ReplicaSet", deployment),
      podsOf: (rs) => this.owned("Pod", rs),
      later: (ms, fn) => this.later(ms, fn),
      schedule: () => this.schedule(),
    });
  }
}
