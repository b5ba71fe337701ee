import type { RuntimeName } from "../artifact/manifest.ts";

/** Where Aether's images are published (see images/README.md). */
export const IMAGE_REGISTRY = "ghcr.io/aether-dev";

/** The image tag these defaults use until a deploy pins digests: the release of Aether that built them. */
export const IMAGE_TAG = "0.1.0";

/**
 * The one place that maps a runtime to the base image its pods run: static sites are served by the Node
 * runtime's static server, Go binaries need no interpreter (distroless). Override per deploy with
 * `--runtime-image` or AETHER_RUNTIME_IMAGE (a digest-pinned reference is best: what runs is then exactly
 * what was named).
 */
export const RUNTIME_IMAGES: Record<RuntimeName, string> = {
  node: `${IMAGE_REGISTRY}/runtime-node:${IMAGE_TAG}`,
  static: `${IMAGE_REGISTRY}/runtime-node:${IMAGE_TAG}`,
  python: `${IMAGE_REGISTRY}/runtime-python:${IMAGE_TAG}`,
  java: `${IMAGE_REGISTRY}/runtime-java:${IMAGE_TAG}`,
  go: `${IMAGE_REGISTRY}/runtime-static:${IMAGE_TAG}`,
};

/** The init container that fetches and verifies the artifact (override: `--fetcher-image`, AETHER_FETCHER_IMAGE). */
export const FETCHER_IMAGE = `${IMAGE_REGISTRY}/fetcher:${IMAGE_TAG}`;

/**
 * The runtime and fetcher images of one deploy: the overrides when given (non-empty), else the defaults.
 * @example kubeRuntimeImages({ runtime: "python", runtimeImage: flags["runtime-image"] ?? env.AETHER_RUNTIME_IMAGE })
 */
export function kubeRuntimeImages(input: {
  runtime: RuntimeName;
  runtimeImage?: string | undefined;
  fetcherImage?: string | undefined;
}): { runtimeImage: string; fetcherImage: string } {
  return {
    runtimeImage: input.runtimeImage || RUNTIME_IMAGES[input.runtime],
    fetcherImage: input.fetcherImage || FETCHER_IMAGE,
  };
}
