import { createServer } from "node:http";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ForbiddenRule } from "./kube-access.ts";
import { KubeApi } from "./kube-api.ts";
import { KubeController } from "./kube-controller.ts";
import type { PodFault } from "./kube-pod-lifecycle.ts";
import { KubePodLogs } from "./kube-pod-logs.ts";
import { kubeResources } from "./kube-resources.ts";
import { routeRequest, type RouterState } from "./kube-router.ts";
import { KubeStore } from "./kube-store.ts";

export interface KubeServerOptions {
  /** Delay before started pods become Ready (default 50 ms). */
  readyDelayMs?: number;
  /** Lines each container logs at start (default: two lines naming the pod). */
  logLines?: (pod: string, container: string) => string[];
  /** Namespaces created at start besides `default`. */
  namespaces?: string[];
}

/** Per-test fault injection and inspection, in process. */
export interface KubeServerControl {
  injectPodFault(fault: PodFault): void;
  clearPodFaults(): void;
  /** The next `count` API requests answer 500 InternalError. */
  failNextRequests(count: number): void;
  /** Ends every open watch connection, as a load balancer dropping idle streams does. */
  dropWatches(): void;
  /** Forgets the change log: watches from older resourceVersions get 410 Gone. */
  compact(): void;
  /** Changes the accepted bearer token (the kubeconfig's token then answers 401, as an expired one does). */
  setToken(token: string): void;
  appendLog(input: { namespace: string; pod: string; container: string; text: string }): void;
  requests(): { method: string; path: string }[];
  /** Answers matching requests 403 Forbidden with the RBAC authorizer's message (until clearForbidden). */
  forbid(rule: ForbiddenRule): void;
  clearForbidden(): void;
}

export interface KubeTestServer {
  url: string;
  kubeconfigPath: string;
  token: string;
  control: KubeServerControl;
  stop(): Promise<void>;
}

/**
 * Starts the Kubernetes API test server on 127.0.0.1 with a kubeconfig pointing at it.
 * @example const kube = await startKubeServer(); execFile("kubectl", ["get", "ns"], { env: { KUBECONFIG: kube.kubeconfigPath } });
 */
export async function startKubeServer(options: KubeServerOptions = {}): Promise<KubeTestServer> {
  const store = new KubeStore();
  const api = new KubeApi(store);
  const logs = new KubePodLogs();
  const controller = new KubeController({
    api,
    logs,
    options: {
      readyDelayMs: options.readyDelayMs ?? 50,
      logLines:
        options.logLines ??
        ((pod, container) => [`${pod}/${container} starting`, `${pod}/${container} listening on :8080`]),
    },
  });
  api.onWrite = () => controller.schedule();
  const namespaces = kubeResources.find((r) => r.kind === "Namespace")!;
  for (const name of ["default", "kube-system", ...(options.namespaces ?? [])]) {
    api.create(namespaces, "", { metadata: { name } }, { manager: "kube-apiserver" });
  }
  const token = "aether-test-token";
  const state: RouterState = {
    token,
    tokenRevoked: false,
    failNext: 0,
    watches: new Set(),
    requests: [],
    forbidden: [],
  };
  const server = createServer((request, response) => {
    void routeRequest({ request, response, api, logs, state });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const dir = await mkdtemp(join(tmpdir(), "aether-kube-"));
  const kubeconfigPath = join(dir, "kubeconfig");
  await writeFile(kubeconfigPath, kubeconfig(url, token), { mode: 0o600 });
  const control: KubeServerControl = {
    injectPodFault: (fault) => controller.faults.push(fault),
    clearPodFaults: () => controller.faults.splice(0),
    failNextRequests: (count) => {
      state.failNext = count;
    },
    dropWatches: () => {
      for (const watch of state.watches) watch.destroy();
    },
    compact: () => store.compact(),
    setToken: (next) => {
      state.token = next;
      state.tokenRevoked = true;
    },
    appendLog: (input) => logs.append(input),
    requests: () => [...state.requests],
    forbid: (rule) => state.forbidden.push(rule),
    clearForbidden: () => state.forbidden.splice(0),
  };
  return {
    url,
    kubeconfigPath,
    token,
    control,
    stop: async () => {
      controller.stop();
      for (const watch of state.watches) watch.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function kubeconfig(url: string, token: string): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- name: aether-test",
    "  cluster:",
    `    server: ${url}`,
    // @kubernetes/client-node refuses plain HTTP unless TLS verification is off; kubectl ignores it for http.
    "    insecure-skip-tls-verify: true",
    "users:",
    "- name: aether-test",
    "  user:",
    `    token: ${token}`,
    "contexts:",
    "- name: aether-test",
    "  context:",
    "    cluster: aether-test",
    "    user: aether-test",
    "    namespace: default",
    "current-context: aether-test",
    "",
  ].join("\n");
}
