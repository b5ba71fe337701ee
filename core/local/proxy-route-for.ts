import type { KeeperState } from "./release-keeper.ts";
import type { ProxyRoute } from "./reverse-proxy.ts";

/** What the route needs to know of the release being kept (a ReleaseKeeper fits). */
export interface KeptRelease {
  readonly release: { number: number };
  readonly state: KeeperState;
  readonly process: { port: number } | undefined;
  readonly restartInMs: number | undefined;
}

/**
 * Where the public proxy sends a request now: the serving release's internal port, or a short answer that
 * says why nothing serves (503 while a release starts and none serves yet, 502 after a crash or with none).
 */
export function proxyRouteFor(state: {
  envName: string;
  keeper: KeptRelease | undefined;
  deploying: number | undefined;
}): ProxyRoute {
  const { envName, keeper, deploying } = state;
  const child = keeper?.process;
  if (keeper && child) return { kind: "up", port: child.port, release: keeper.release.number };
  if (keeper?.state === "restarting") {
    const wait = Math.ceil((keeper.restartInMs ?? 0) / 1000);
    const when = wait > 0 ? ` in ${wait} s` : "";
    return {
      kind: "unavailable",
      status: 502,
      message: `release ${keeper.release.number} of ${envName} crashed; restarting${when}`,
    };
  }
  const starting = keeper?.state === "starting" ? keeper.release.number : keeper ? undefined : deploying;
  if (starting !== undefined) {
    return {
      kind: "unavailable",
      status: 503,
      message: `release ${starting} of ${envName} is starting; try again in a moment`,
    };
  }
  return {
    kind: "unavailable",
    status: 502,
    message: `no release of ${envName} is running; deploy one with aether deploy`,
  };
}
