import { describe, expect, it } from "vitest";
import { kubePodView } from "./kube-pod-view.ts";

describe("kubePodView", () => {
  it("reads a watch event's pod: containers, init containers and restart counts", () => {
    const pod = {
      metadata: { name: "web-1", resourceVersion: "42" },
      spec: { initContainers: [{ name: "fetch" }], containers: [{ name: "app" }, { name: "proxy" }] },
      status: {
        containerStatuses: [
          { name: "app", restartCount: 3 },
          { name: "proxy", restartCount: 0 },
        ],
      },
    };
    expect(kubePodView(pod)).toEqual({
      name: "web-1",
      resourceVersion: "42",
      containers: ["app", "proxy"],
      initContainers: ["fetch"],
      restarts: { app: 3, proxy: 0 },
    });
  });

  it("refuses what is not a named object, and tolerates a pod without spec or status", () => {
    expect(kubePodView(null)).toBeUndefined();
    expect(kubePodView({ metadata: {} })).toBeUndefined();
    expect(kubePodView({ metadata: { name: "p" } })).toEqual({
      name: "p",
      resourceVersion: "",
      containers: [],
      initContainers: [],
      restarts: {},
    });
  });
});
