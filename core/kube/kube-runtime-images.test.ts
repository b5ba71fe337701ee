import { readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { RUNTIME_NAMES } from "../artifact/manifest.ts";
import { FETCHER_IMAGE, kubeRuntimeImages, RUNTIME_IMAGES } from "./kube-runtime-images.ts";

describe("kubeRuntimeImages", () => {
  it("maps every runtime to an image this repository builds (images/<name>)", async () => {
    const built = await readdir(fileURLToPath(new URL("../../images/", import.meta.url)));
    for (const runtime of RUNTIME_NAMES) {
      const image = RUNTIME_IMAGES[runtime];
      const name = /\/([^/:@]+)[:@][^/]*$/.exec(image)?.[1] ?? "";
      expect(built, `${runtime} → ${image}`).toContain(name);
    }
    expect(built).toContain(/\/([^/:@]+):/.exec(FETCHER_IMAGE)?.[1]);
  });

  it("uses the overrides when given, and the defaults for empty ones", () => {
    const pinned = `registry.acme.dev/runtime-python@sha256:${"a".repeat(64)}`;
    expect(kubeRuntimeImages({ runtime: "python", runtimeImage: pinned, fetcherImage: "" })).toEqual({
      runtimeImage: pinned,
      fetcherImage: FETCHER_IMAGE,
    });
    expect(kubeRuntimeImages({ runtime: "go" }).runtimeImage).toBe(RUNTIME_IMAGES.go);
    expect(RUNTIME_IMAGES.static).toBe(RUNTIME_IMAGES.node);
  });
});
