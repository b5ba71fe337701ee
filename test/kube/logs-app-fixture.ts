import type { V1Deployment } from "@kubernetes/client-node";
import { kubeClientsFrom, loadKubeConfig, type KubeClients } from "../../core/kube/kube-client.ts";
import { appSelector } from "../../core/kube/kube-labels.ts";
import type { KubeLogLine } from "../../core/kube/merge-log-lines.ts";
import { kubeTarget, type KubeTarget } from "../support/kube/kube-target.ts";

/** A test server (or AETHER_TEST_KUBECONFIG's cluster) and helpers to run an app's pods in a namespace. */
export interface LogsFixture {
  target: KubeTarget;
  clients: KubeClients;
  stop(): Promise<void>;
}

export async function startLogsFixture(): Promise<LogsFixture> {
  const target = await kubeTarget({ readyDelayMs: 20 });
  const clients = kubeClientsFrom(loadKubeConfig({ kubeconfigPath: target.kubeconfigPath }));
  return { target, clients, stop: () => target.stop() };
}

let counter = 0;

/** A fresh namespace with a Deployment of the app "web" (env "production") labelled as Aether labels it. */
export async function deployLogsApp(
  clients: KubeClients,
  options: { replicas: number; containers?: string[]; image?: string; prefix?: string },
): Promise<{ namespace: string; selector: Record<string, string> }> {
  counter += 1;
  const namespace = `${options.prefix ?? "logs"}-${process.pid}-${counter}`;
  await clients.core.createNamespace({ body: { metadata: { name: namespace } } });
  const selector = appSelector({ app: "web", env: "production" });
  const image = options.image ?? "registry.example/runtime:1";
  const body: V1Deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace, labels: selector },
    spec: {
      replicas: options.replicas,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: selector },
        spec: { containers: (options.containers ?? ["app"]).map((name) => ({ name, image })) },
      },
    },
  };
  await clients.apps.createNamespacedDeployment({ namespace, body });
  await runningPods(clients, namespace, options.replicas);
  return { namespace, selector };
}

/** Waits until `count` pods of the app are Running and Ready (and no others remain), and returns their names. */
export async function runningPods(clients: KubeClients, namespace: string, count: number): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const list = await clients.core.listNamespacedPod({ namespace });
    const ready = list.items.filter((p) =>
      p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
    );
    if (ready.length === count && list.items.length === count)
      return ready.map((p) => p.metadata?.name ?? "").sort();
    if (Date.now() > deadline) throw new Error(`pods in ${namespace} never became ${count} ready ones`);
    await sleep(20);
  }
}

/** Changes the pod template (an annotation, or the image) so the controller replaces the pods: a new release. */
export async function changeTemplate(
  clients: KubeClients,
  namespace: string,
  change: { release?: string; image?: string },
): Promise<void> {
  for (;;) {
    const current = await clients.apps.readNamespacedDeployment({ name: "web", namespace });
    const template = current.spec?.template;
    if (template?.metadata && change.release !== undefined)
      template.metadata.annotations = { "aether.dev/release": change.release };
    const container = template?.spec?.containers[0];
    if (container && change.image !== undefined) container.image = change.image;
    try {
      await clients.apps.replaceNamespacedDeployment({ name: "web", namespace, body: current });
      return;
    } catch (error) {
      if (!(error instanceof Error && "code" in error && error.code === 409)) throw error;
    }
  }
}

/** Waits until `check` holds for the lines received so far. */
export async function until(lines: KubeLogLine[], check: (lines: KubeLogLine[]) => boolean, what: string) {
  const deadline = Date.now() + 10_000;
  while (!check(lines)) {
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}; got:\n${lines.map((l) => `${l.pod} ${l.line}`).join("\n")}`,
      );
    }
    await sleep(20);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
