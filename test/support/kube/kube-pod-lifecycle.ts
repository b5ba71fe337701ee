import type { KubeApi } from "./kube-api.ts";
import { arrayAt, objectAt, stringAt, type JsonObject } from "./kube-json.ts";
import type { KubePodLogs } from "./kube-pod-logs.ts";
import { kubeResources } from "./kube-resources.ts";
import { nameOf, namespaceOf } from "./kube-store.ts";

/** A fault the control API injects into pods whose first container runs `image` (any image when omitted). */
export type PodFault =
  | { type: "image-pull-failure"; image?: string }
  | { type: "crash-loop"; image?: string; lastLines?: string[] }
  | { type: "never-ready"; image?: string };

type EventInput = {
  object: JsonObject;
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  component: string;
};

const pods = kubeResources.find((r) => r.kind === "Pod")!;
const stamp = (): string => new Date().toISOString().replace(/\.\d+Z$/, "Z");

/** Moves a scheduled pod to Running (and Ready), or into the state its injected fault describes. */
export function startPodLifecycle(input: {
  pod: JsonObject;
  api: KubeApi;
  logs: KubePodLogs;
  faults: PodFault[];
  event: (e: EventInput) => void;
  later: (ms: number, fn: () => void) => void;
  logLines: (pod: string, container: string) => string[];
  readyDelayMs: number;
  onChange: () => void;
}): void {
  const { pod, api } = input;
  const namespace = namespaceOf(pod);
  const name = nameOf(pod);
  const containers = arrayAt(objectAt(pod, "spec"), "containers");
  const first = containers[0];
  const image = stringAt(first, "image") ?? "";
  const containerName = stringAt(first, "name") ?? "";
  const fault = input.faults.find((f) => f.image === undefined || f.image === image);
  const setStatus = (status: JsonObject): boolean => {
    if (api.store.get("/pods", namespace, name) === undefined) return false;
    api.patch({
      resource: pods,
      namespace,
      name,
      type: "merge",
      body: { status },
      force: false,
      options: { manager: "kubelet", subresource: "status" },
    });
    input.onChange();
    return true;
  };
  const statuses = (state: JsonObject, ready: boolean, restartCount = 0, lastState: JsonObject = {}) =>
    containers.map((c) => ({
      name: stringAt(c, "name"),
      image: stringAt(c, "image"),
      imageID: "",
      ready,
      started: ready,
      restartCount,
      state,
      lastState,
    }));
  const conditions = (ready: boolean) => [
    { type: "PodScheduled", status: "True" },
    { type: "Initialized", status: "True" },
    { type: "ContainersReady", status: ready ? "True" : "False" },
    { type: "Ready", status: ready ? "True" : "False", lastTransitionTime: stamp() },
  ];
  input.event({
    object: pod,
    type: "Normal",
    reason: "Pulling",
    message: `Pulling image "${image}"`,
    component: "kubelet",
  });
  if (fault?.type === "image-pull-failure") {
    const message = `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": not found`;
    input.event({ object: pod, type: "Warning", reason: "Failed", message, component: "kubelet" });
    input.event({
      object: pod,
      type: "Warning",
      reason: "Failed",
      message: "Error: ErrImagePull",
      component: "kubelet",
    });
    setStatus({
      phase: "Pending",
      conditions: conditions(false),
      containerStatuses: statuses({ waiting: { reason: "ErrImagePull", message } }, false),
    });
    input.later(input.readyDelayMs, () => {
      input.event({
        object: pod,
        type: "Normal",
        reason: "BackOff",
        message: `Back-off pulling image "${image}"`,
        component: "kubelet",
      });
      setStatus({
        phase: "Pending",
        conditions: conditions(false),
        containerStatuses: statuses(
          { waiting: { reason: "ImagePullBackOff", message: `Back-off pulling image "${image}"` } },
          false,
        ),
      });
    });
    return;
  }
  input.event({
    object: pod,
    type: "Normal",
    reason: "Pulled",
    message: `Successfully pulled image "${image}"`,
    component: "kubelet",
  });
  input.event({
    object: pod,
    type: "Normal",
    reason: "Created",
    message: `Created container ${containerName}`,
    component: "kubelet",
  });
  input.event({
    object: pod,
    type: "Normal",
    reason: "Started",
    message: `Started container ${containerName}`,
    component: "kubelet",
  });
  for (const c of containers) {
    const container = stringAt(c, "name") ?? "";
    for (const text of input.logLines(name, container))
      input.logs.append({ namespace, pod: name, container, text });
  }
  const running = { running: { startedAt: stamp() } };
  if (fault?.type === "crash-loop") {
    const lines = fault.lastLines ?? ["Error: the app exited with status 1"];
    let restarts = 0;
    const crash = (): void => {
      for (const text of lines) input.logs.append({ namespace, pod: name, container: containerName, text });
      const terminated = {
        terminated: { exitCode: 1, reason: "Error", startedAt: stamp(), finishedAt: stamp() },
      };
      const waiting = {
        waiting: {
          reason: "CrashLoopBackOff",
          message: `back-off 10s restarting failed container=${containerName} pod=${name}`,
        },
      };
      const ok = setStatus({
        phase: "Running",
        conditions: conditions(false),
        containerStatuses: statuses(waiting, false, restarts, terminated),
      });
      if (!ok) return;
      input.event({
        object: pod,
        type: "Warning",
        reason: "BackOff",
        message: `Back-off restarting failed container ${containerName} in pod ${name}_${namespace}(${stringAt(objectAt(pod, "metadata"), "uid") ?? ""})`,
        component: "kubelet",
      });
      restarts += 1;
      if (restarts < 5) input.later(input.readyDelayMs, crash);
    };
    crash();
    return;
  }
  if (fault?.type === "never-ready") {
    setStatus({
      phase: "Running",
      conditions: conditions(false),
      containerStatuses: statuses(running, false),
    });
    input.event({
      object: pod,
      type: "Warning",
      reason: "Unhealthy",
      message: "Readiness probe failed: HTTP probe failed with statuscode: 503",
      component: "kubelet",
    });
    return;
  }
  setStatus({ phase: "Running", conditions: conditions(true), containerStatuses: statuses(running, true) });
}
