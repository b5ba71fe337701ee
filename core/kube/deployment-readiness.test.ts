import { describe, expect, it } from "vitest";
import type { V1Deployment } from "@kubernetes/client-node";
import { deploymentReadiness } from "./deployment-readiness.ts";

function deployment(status: NonNullable<V1Deployment["status"]>, generation = 2, replicas = 2): V1Deployment {
  return { metadata: { name: "web", generation }, spec: { replicas, selector: {}, template: {} }, status };
}

describe("deploymentReadiness", () => {
  it("waits until the controller observed the latest spec, even when counts look complete", () => {
    const counts = { replicas: 2, updatedReplicas: 2, availableReplicas: 2 };
    expect(deploymentReadiness(deployment({ ...counts, observedGeneration: 1 })).state).toBe("progressing");
    expect(deploymentReadiness(deployment({ ...counts, observedGeneration: 2 }))).toEqual({
      state: "ready",
      message: "2/2 replicas ready",
    });
  });

  it("says what it waits for: updates, availability, then old replicas going away", () => {
    const at = (status: NonNullable<V1Deployment["status"]>) =>
      deploymentReadiness(deployment({ observedGeneration: 2, ...status })).message;
    expect(at({ replicas: 3, updatedReplicas: 1, availableReplicas: 2 })).toBe("1 of 2 new replicas updated");
    expect(at({ replicas: 3, updatedReplicas: 2, availableReplicas: 1 })).toBe(
      "1 of 2 updated replicas available",
    );
    expect(at({ replicas: 3, updatedReplicas: 2, availableReplicas: 2 })).toBe(
      "1 old replica still serving until the new pods are available",
    );
  });

  it("fails on ProgressDeadlineExceeded", () => {
    const result = deploymentReadiness(
      deployment({
        observedGeneration: 2,
        conditions: [
          {
            type: "Progressing",
            status: "False",
            reason: "ProgressDeadlineExceeded",
            message: 'ReplicaSet "web-1" has timed out progressing.',
          },
        ],
      }),
    );
    expect(result).toEqual({
      state: "deadline-exceeded",
      message:
        'deployment "web" exceeded its progress deadline: ReplicaSet "web-1" has timed out progressing.',
    });
  });
});
