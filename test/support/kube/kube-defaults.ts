import { randomUUID } from "node:crypto";
import { arrayAt, ensureObject, isObject, objectAt, stringAt, type JsonObject } from "./kube-json.ts";

function defaultContainers(spec: JsonObject): void {
  for (const list of [arrayAt(spec, "containers"), arrayAt(spec, "initContainers")]) {
    for (const container of list) {
      if (!isObject(container)) continue;
      const image = stringAt(container, "image") ?? "";
      const tagless = !/:[^/]+$/.test(image) || image.endsWith(":latest");
      container.imagePullPolicy ??= tagless && !image.includes("@") ? "Always" : "IfNotPresent";
      container.terminationMessagePath ??= "/dev/termination-log";
      container.terminationMessagePolicy ??= "File";
      container.resources ??= {};
      for (const port of arrayAt(container, "ports")) if (isObject(port)) port.protocol ??= "TCP";
      for (const probe of ["readinessProbe", "livenessProbe", "startupProbe"]) {
        const p = container[probe];
        if (!isObject(p)) continue;
        p.timeoutSeconds ??= 1;
        p.periodSeconds ??= 10;
        p.successThreshold ??= 1;
        p.failureThreshold ??= 3;
        if (isObject(p.httpGet)) p.httpGet.scheme ??= "HTTP";
      }
    }
  }
}

/** Defaults a pod spec as the API server does. */
export function defaultPodSpec(spec: JsonObject): void {
  spec.restartPolicy ??= "Always";
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= "ClusterFirst";
  spec.securityContext ??= {};
  spec.schedulerName ??= "default-scheduler";
  defaultContainers(spec);
}

let nextClusterIp = 10;

/** Applies the API server's defaulting for `kind` to a new or updated object. */
export function applyDefaults(kind: string, object: JsonObject): void {
  const spec = objectAt(object, "spec");
  if (kind === "Deployment") {
    spec.replicas ??= 1;
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    spec.strategy ??= { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } };
    defaultPodSpec(ensureObject(ensureObject(spec, "template"), "spec"));
    object.spec = spec;
  }
  if (kind === "ReplicaSet") {
    spec.replicas ??= 1;
    defaultPodSpec(ensureObject(ensureObject(spec, "template"), "spec"));
    object.spec = spec;
  }
  if (kind === "Pod") {
    defaultPodSpec(spec);
    object.spec = spec;
  }
  if (kind === "Service") {
    spec.type ??= "ClusterIP";
    spec.sessionAffinity ??= "None";
    if (spec.clusterIP === undefined) {
      nextClusterIp += 1;
      spec.clusterIP = `10.96.${Math.floor(nextClusterIp / 250)}.${nextClusterIp % 250}`;
      spec.clusterIPs = [spec.clusterIP];
    }
    spec.ipFamilies ??= ["IPv4"];
    spec.ipFamilyPolicy ??= "SingleStack";
    spec.internalTrafficPolicy ??= "Cluster";
    for (const port of arrayAt(spec, "ports")) {
      if (!isObject(port)) continue;
      port.protocol ??= "TCP";
      port.targetPort ??= port.port;
    }
    object.spec = spec;
    object.status ??= { loadBalancer: {} };
  }
  if (kind === "Secret") {
    object.type ??= "Opaque";
    const stringData = object.stringData;
    if (isObject(stringData)) {
      const data = ensureObject(object, "data");
      for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v)).toString("base64");
      delete object.stringData;
    }
  }
  if (kind === "Namespace") {
    const metadata = ensureObject(object, "metadata");
    ensureObject(metadata, "labels")["kubernetes.io/metadata.name"] = stringAt(metadata, "name") ?? "";
    object.spec = { finalizers: ["kubernetes"] };
    object.status ??= { phase: "Active" };
  }
  if (kind === "Ingress") object.status ??= { loadBalancer: {} };
}

/** Sets the server-owned metadata of a newly created object. */
export function initMetadata(object: JsonObject, tracksGeneration: boolean): void {
  const metadata = ensureObject(object, "metadata");
  metadata.uid = randomUUID();
  metadata.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  if (tracksGeneration) metadata.generation = 1;
  delete metadata.resourceVersion;
  const generateName = stringAt(metadata, "generateName");
  if (stringAt(metadata, "name") === undefined && generateName !== undefined) {
    metadata.name = generateName + Math.random().toString(36).slice(2, 7);
  }
}
