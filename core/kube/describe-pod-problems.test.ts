import { describe, expect, it } from "vitest";
import type { CoreV1Event, V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import { describePodProblems } from "./describe-pod-problems.ts";

const IMAGE = "ghcr.io/octo/runtime:1";

function pod(status: NonNullable<V1Pod["status"]>): V1Pod {
  return { metadata: { name: "web-1" }, status };
}
function container(fields: Partial<V1ContainerStatus>): V1ContainerStatus {
  return { name: "app", image: IMAGE, imageID: "", ready: false, restartCount: 0, ...fields };
}
function event(reason: string, message: string): CoreV1Event {
  return { reason, message, involvedObject: { name: "web-1" }, metadata: {} };
}
const notReady = [{ type: "Ready", status: "False" }];

describe("describePodProblems", () => {
  it("names the image that cannot be pulled with the kubelet's message", () => {
    const [problem] = describePodProblems(
      pod({
        phase: "Pending",
        conditions: notReady,
        containerStatuses: [container({ state: { waiting: { reason: "ImagePullBackOff" } } })],
      }),
      [event("Failed", `Failed to pull image "${IMAGE}": not found`), event("BackOff", "Back-off")],
    );
    expect(problem).toEqual({
      kind: "image-pull",
      image: IMAGE,
      line: `image "${IMAGE}" of container "app" cannot be pulled (ImagePullBackOff): Failed to pull image "${IMAGE}": not found`,
    });
  });

  it("reports a crash loop with exit code and restarts, for init containers too", () => {
    const crashed = container({
      name: "fetch",
      restartCount: 3,
      state: { waiting: { reason: "CrashLoopBackOff" } },
      lastState: { terminated: { exitCode: 2, reason: "Error" } },
    });
    const [problem] = describePodProblems(
      pod({ phase: "Pending", conditions: notReady, initContainerStatuses: [crashed] }),
      [],
    );
    expect(problem).toMatchObject({
      kind: "crash-loop",
      container: "fetch",
      line: 'init container "fetch" keeps crashing: exit code 2 (Error), restarted 3 times',
    });
  });

  it("quotes the failing readiness probe of a running pod", () => {
    const problems = describePodProblems(
      pod({
        phase: "Running",
        conditions: notReady,
        containerStatuses: [container({ state: { running: {} } })],
      }),
      [event("Unhealthy", "Liveness probe failed: x"), event("Unhealthy", "Readiness probe failed: 503")],
      "/healthz",
    );
    expect(problems).toEqual([
      {
        kind: "readiness",
        line: "the readiness probe on GET /healthz keeps failing: Readiness probe failed: 503",
      },
    ]);
  });

  it("explains a pod the scheduler cannot place", () => {
    const problems = describePodProblems(
      pod({
        phase: "Pending",
        conditions: [
          {
            type: "PodScheduled",
            status: "False",
            reason: "Unschedulable",
            message: "0/3 nodes are available: 3 Insufficient cpu.",
          },
        ],
      }),
      [],
    );
    expect(problems).toEqual([
      {
        kind: "unschedulable",
        line: "the pod cannot be scheduled: 0/3 nodes are available: 3 Insufficient cpu.",
      },
    ]);
  });

  it("has nothing to say about a ready pod", () => {
    const ready = pod({
      phase: "Running",
      conditions: [{ type: "Ready", status: "True" }],
      containerStatuses: [container({ ready: true, state: { running: {} } })],
    });
    expect(describePodProblems(ready, [])).toEqual([]);
  });
});
