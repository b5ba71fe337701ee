import type { KubeClients } from "../../../core/kube/kube-client.ts";

/**
 * The namespaces one test file works in: made as `<prefix>-<pid>-<n>`, and all of them (plus any the code
 * under test made, once tracked) deleted at the end, so a real cluster (AETHER_TEST_KUBECONFIG) is left as
 * it was; on the test server the deletes are cheap.
 */
export function testNamespaces(prefix: string, clients: () => KubeClients) {
  const created: string[] = [];
  let counter = 0;
  return {
    async create(): Promise<string> {
      counter += 1;
      const name = `${prefix}-${process.pid}-${counter}`;
      await clients().core.createNamespace({ body: { metadata: { name } } });
      created.push(name);
      return name;
    },
    track(name: string): void {
      created.push(name);
    },
    async deleteAll(): Promise<void> {
      for (const name of created)
        await clients()
          .core.deleteNamespace({ name })
          .catch(() => undefined);
    },
  };
}
