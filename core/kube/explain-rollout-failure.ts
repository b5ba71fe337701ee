import type { CoreV1Event, V1Deployment, V1ReplicaSet } from "@kubernetes/client-node";
import { describePodProblems, type PodProblem } from "./describe-pod-problems.ts";
import type { KubeClients } from "./kube-client.ts";

export interface ExplainRolloutFailureRequest {
  clients: Pick<KubeClients, "apps" | "core">;
  namespace: string;
  /** The Deployment whose rollout failed. */
  name: string;
  /** How many of the crashed container's last log lines to return (default 20). */
  logLines?: number;
}

/** Short lines a person can act on, and the last log lines of a crashed container (empty otherwise). */
export interface RolloutExplanation {
  lines: string[];
  logTail: string[];
}

const REVISION = "deployment.kubernetes.io/revision";
const MAX_PODS = 5;

/**
 * Why the new ReplicaSet of a Deployment has no ready pods, from its pods' state and their events: an
 * image that cannot be pulled, a crash loop (with the crashed container's last log lines), a failing
 * readiness probe, a pod that cannot be scheduled, pods the ReplicaSet could not create (quota). Never
 * throws: what cannot be read becomes a line of the explanation.
 * @example const { lines, logTail } = await explainRolloutFailure({ clients, namespace: "web-prod", name: "web" });
 */
export async function explainRolloutFailure(
  request: ExplainRolloutFailureRequest,
): Promise<RolloutExplanation> {
  try {
    return await explain(request);
  } catch (error) {
    return {
      lines: [
        `could not read the rollout's pods and events: ${error instanceof Error ? error.message : String(error)}`,
      ],
      logTail: [],
    };
  }
}

async function explain(request: ExplainRolloutFailureRequest): Promise<RolloutExplanation> {
  const { clients, namespace, name } = request;
  const deployment = await clients.apps.readNamespacedDeployment({ name, namespace });
  const set = await newReplicaSet(request, deployment);
  if (set === undefined) return { lines: ["the Deployment has not created a ReplicaSet yet"], logTail: [] };
  const hash = set.metadata?.labels?.["pod-template-hash"];
  const selector = hash === undefined ? undefined : `pod-template-hash=${hash}`;
  const pods = (
    await clients.core.listNamespacedPod({ namespace, ...(selector ? { labelSelector: selector } : {}) })
  ).items.filter((p) => p.metadata?.ownerReferences?.some((o) => o.uid === set.metadata?.uid));
  if (pods.length === 0) {
    const events = await eventsOf(request, set.metadata?.name ?? "");
    const failure =
      set.status?.conditions?.find((c) => c.type === "ReplicaFailure")?.message ??
      events.filter((e) => e.reason === "FailedCreate").at(-1)?.message;
    return {
      lines: [failure ? `pods cannot be created: ${failure}` : "the new ReplicaSet has no pods yet"],
      logTail: [],
    };
  }
  const healthPath = deployment.spec?.template.spec?.containers[0]?.readinessProbe?.httpGet?.path;
  const seen = new Map<string, { problem: PodProblem; pods: string[] }>();
  // A few pods tell the story; reading the events of hundreds would only slow the report down.
  for (const pod of pods.slice(0, MAX_PODS)) {
    const podName = pod.metadata?.name ?? "";
    const own = await eventsOf(request, podName);
    for (const problem of describePodProblems(pod, own, healthPath)) {
      const entry = seen.get(problem.line) ?? { problem, pods: [] };
      entry.pods.push(podName);
      seen.set(problem.line, entry);
    }
  }
  const lines = [...seen.values()].map(({ problem, pods: which }) =>
    which.length > 1 ? `${problem.line} (${which.length} pods)` : `${problem.line} (pod ${which[0] ?? ""})`,
  );
  const crash = [...seen.values()].find((e) => e.problem.kind === "crash-loop");
  const logTail =
    crash?.problem.kind === "crash-loop" && crash.pods[0] !== undefined
      ? await lastLogLines({ ...request, pod: crash.pods[0], container: crash.problem.container })
      : [];
  return { lines, logTail };
}

async function newReplicaSet(
  request: ExplainRolloutFailureRequest,
  deployment: V1Deployment,
): Promise<V1ReplicaSet | undefined> {
  const labels = deployment.spec?.selector.matchLabels ?? {};
  const labelSelector = Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
  const sets = (
    await request.clients.apps.listNamespacedReplicaSet({ namespace: request.namespace, labelSelector })
  ).items.filter((rs) => rs.metadata?.ownerReferences?.some((o) => o.uid === deployment.metadata?.uid));
  const revision = deployment.metadata?.annotations?.[REVISION];
  const byRevision = (rs: V1ReplicaSet) => Number(rs.metadata?.annotations?.[REVISION] ?? "0");
  return (
    sets.find((rs) => revision !== undefined && rs.metadata?.annotations?.[REVISION] === revision) ??
    sets.sort((a, b) => byRevision(b) - byRevision(a))[0]
  );
}

/** The crashed container's last lines: its previous run's log, else the current one's. */
async function lastLogLines(
  input: ExplainRolloutFailureRequest & { pod: string; container: string },
): Promise<string[]> {
  const read = (previous: boolean) =>
    input.clients.core.readNamespacedPodLog({
      name: input.pod,
      namespace: input.namespace,
      container: input.container,
      tailLines: input.logLines ?? 20,
      ...(previous ? { previous: true } : {}),
    });
  let text: string;
  try {
    text = await read(true);
  } catch {
    try {
      text = await read(false);
    } catch {
      return [];
    }
  }
  return text.split("\n").filter((line, index, all) => line !== "" || index < all.length - 1);
}

/** The events about one object of the namespace, oldest first. */
async function eventsOf(request: ExplainRolloutFailureRequest, name: string): Promise<CoreV1Event[]> {
  const list = await request.clients.core.listNamespacedEvent({
    namespace: request.namespace,
    fieldSelector: `involvedObject.name=${name}`,
  });
  return sortByTime(list.items);
}

function sortByTime(events: CoreV1Event[]): CoreV1Event[] {
  const time = (e: CoreV1Event) =>
    new Date(
      e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? 0,
    ).getTime();
  // Stable: events within the same second keep the server's order.
  return [...events].sort((a, b) => time(a) - time(b));
}
