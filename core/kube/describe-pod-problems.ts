import type { CoreV1Event, V1ContainerStatus, V1Pod } from "@kubernetes/client-node";

/** One reason a pod is not ready, in words, with what is needed to fetch more (the crashed container). */
export type PodProblem =
  | { kind: "image-pull"; line: string; image: string }
  | { kind: "crash-loop"; line: string; container: string; restarts: number }
  | { kind: "readiness"; line: string }
  | { kind: "unschedulable"; line: string }
  | { kind: "create-failed"; line: string }
  | { kind: "waiting"; line: string };

const PULL_REASONS = new Set(["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"]);

/**
 * Why one pod is not ready, from its status and its events (newest last): an image that cannot be pulled
 * (naming the image and the kubelet's message), a crash loop (exit code, restarts), a failing readiness
 * probe (the Unhealthy event's text), or a pod the scheduler cannot place.
 * @example describePodProblems(pod, eventsOf(pod), "/healthz")[0]?.line
 */
export function describePodProblems(pod: V1Pod, events: CoreV1Event[], healthPath?: string): PodProblem[] {
  const problems: PodProblem[] = [];
  const status = pod.status;
  const statuses = [
    ...(status?.initContainerStatuses ?? []).map((s) => ({ s, init: true })),
    ...(status?.containerStatuses ?? []).map((s) => ({ s, init: false })),
  ];
  for (const { s, init } of statuses) {
    const problem = containerProblem(s, init, events);
    if (problem) problems.push(problem);
  }
  const scheduled = status?.conditions?.find((c) => c.type === "PodScheduled");
  if (scheduled?.status === "False") {
    const why = scheduled.message ?? lastMessage(events, "FailedScheduling") ?? scheduled.reason ?? "";
    problems.push({ kind: "unschedulable", line: `the pod cannot be scheduled: ${why}` });
  }
  const running = statuses.length > 0 && statuses.every(({ s, init }) => init || s.state?.running);
  const ready = status?.conditions?.find((c) => c.type === "Ready")?.status === "True";
  if (problems.length === 0 && running && !ready) {
    const probe = lastMessage(events, "Unhealthy", /^Readiness probe/);
    const where = healthPath ? ` on GET ${healthPath}` : "";
    problems.push({
      kind: "readiness",
      line: probe
        ? `the readiness probe${where} keeps failing: ${probe}`
        : `the app runs but never reports ready${where}`,
    });
  }
  if (problems.length === 0 && !ready) {
    problems.push({ kind: "waiting", line: `the pod is ${status?.phase ?? "Pending"} and not ready yet` });
  }
  return problems;
}

function containerProblem(
  s: V1ContainerStatus,
  init: boolean,
  events: CoreV1Event[],
): PodProblem | undefined {
  const label = `${init ? "init container" : "container"} "${s.name}"`;
  const waiting = s.state?.waiting;
  if (waiting?.reason && PULL_REASONS.has(waiting.reason)) {
    const failed =
      lastMessage(events, "Failed", new RegExp(`^Failed to pull image "${escape(s.image)}"`)) ??
      lastMessage(events, "Failed", /^Failed to pull image/) ??
      waiting.message ??
      waiting.reason;
    return {
      kind: "image-pull",
      image: s.image,
      line: `image "${s.image}" of ${label} cannot be pulled (${waiting.reason}): ${failed}`,
    };
  }
  const terminated = s.lastState?.terminated ?? s.state?.terminated;
  const crashing = waiting?.reason === "CrashLoopBackOff" || (terminated !== undefined && s.restartCount > 0);
  if (crashing || (terminated && terminated.exitCode !== 0 && !s.ready)) {
    const exit = terminated
      ? `exit code ${terminated.exitCode}${terminated.reason ? ` (${terminated.reason})` : ""}`
      : "";
    const restarts = `restarted ${s.restartCount} time${s.restartCount === 1 ? "" : "s"}`;
    return {
      kind: "crash-loop",
      container: s.name,
      restarts: s.restartCount,
      line: `${label} keeps crashing: ${[exit, restarts].filter(Boolean).join(", ")}`,
    };
  }
  if (waiting?.reason && waiting.reason !== "ContainerCreating" && waiting.reason !== "PodInitializing") {
    return {
      kind: "waiting",
      line: `${label} is waiting: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ""}`,
    };
  }
  return undefined;
}

function lastMessage(events: CoreV1Event[], reason: string, pattern?: RegExp): string | undefined {
  for (let i = events.length - 1; i >= 0; i -= 1) {
    const event = events[i];
    if (event?.reason === reason && event.message && (!pattern || pattern.test(event.message)))
      return event.message;
  }
  return undefined;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
