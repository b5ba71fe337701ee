import { destroyLocal } from "../../core/local/destroy-local.ts";
import type { Command, CommandOptions } from "../command.ts";
import type { CliContext } from "../context.ts";
import { envOption, parseOptions, refuseKubeOnlyFlags } from "../parse-options.ts";
import { stateDirOf } from "../context.ts";
import { UsageError } from "../usage-error.ts";

const OPTIONS = {
  env: { type: "string" },
  target: { type: "string" },
  namespace: { type: "string" },
  kubeconfig: { type: "string" },
  context: { type: "string" },
  "delete-namespace": { type: "boolean" },
  app: { type: "string" },
} as const satisfies CommandOptions;

const KUBE_ONLY = ["namespace", "kubeconfig", "context", "delete-namespace", "app"] as const;

export const destroyCommand: Command = {
  name: "destroy",
  options: OPTIONS,
  summary: "stop an environment and remove its releases and logs",
  help: `Usage: aether destroy [app] [options]

Stops the environment's processes, closes its port and removes its releases, history and logs.
Artifacts stay in the store. Safe to repeat.

With --target kubernetes: deletes every object Aether created for the app in the environment (found
by label: Deployment, Service, Ingress, Secret, release history …), and with --delete-namespace the
preview namespace too (only one Aether created). Safe to repeat.

Options:
  --env NAME            environment (default: production)
  --target NAME         local (default) or kubernetes
  --namespace NS        Kubernetes namespace (default: the kubeconfig context's, else default)
  --kubeconfig FILE     kubeconfig to use (default: KUBECONFIG, then ~/.kube/config)
  --context NAME        kubeconfig context to use (default: its current context)
  --app NAME            the same as [app]: the app to delete (Kubernetes)
  --delete-namespace    also delete the namespace (a preview's, created by Aether)
  --json                print the result as JSON
  -h, --help            this help

Examples:
  aether destroy
  aether destroy --env pr-42
  aether destroy web --target kubernetes --env pr-42 --namespace web-pr-42 --delete-namespace`,
  async run(argv, ctx) {
    const parsed = parseOptions("destroy", argv, OPTIONS);
    const { values } = parsed;
    // `--app NAME` and a positional name are the same thing (deploy takes --app).
    const positionals = [
      ...new Set([...(values.app === undefined ? [] : [values.app]), ...parsed.positionals]),
    ];
    const envName = envOption("destroy", values.env);
    const target = values.target ?? "local";
    if (target === "kubernetes") return await destroyOnKubernetes(ctx, { positionals, envName, values });
    if (target !== "local")
      throw new UsageError(`aether destroy: --target "${target}" is not local or kubernetes`);
    refuseKubeOnlyFlags("destroy", values, KUBE_ONLY);
    const result = await destroyLocal({ stateDir: stateDirOf(ctx), envName });
    if (values.json) ctx.stdout.write(JSON.stringify({ envName, ...result }) + "\n");
    else
      ctx.stdout.write(
        result.existed ? `Destroyed ${envName}.\n` : `Nothing to destroy: ${envName} does not exist.\n`,
      );
    return 0;
  },
};

async function destroyOnKubernetes(
  ctx: CliContext,
  request: {
    positionals: string[];
    envName: string;
    values: {
      namespace?: string;
      kubeconfig?: string;
      context?: string;
      "delete-namespace"?: boolean;
      json?: boolean;
    };
  },
): Promise<number> {
  const [app, ...extra] = request.positionals;
  if (app === undefined || extra.length > 0)
    throw new UsageError(
      "aether destroy: --target kubernetes needs one app name: aether destroy APP --target kubernetes",
    );
  const { values, envName } = request;
  // Loaded here: the local target should not pay for the Kubernetes client.
  const [{ openKubeTarget }, { destroyKubeApp }] = await Promise.all([
    import("../../core/kube/open-kube-target.ts"),
    import("../../core/kube/destroy-kube-app.ts"),
  ]);
  const { clients, namespace } = openKubeTarget({
    ...(values.kubeconfig === undefined ? {} : { kubeconfigPath: values.kubeconfig }),
    ...(values.context === undefined ? {} : { context: values.context }),
    ...(values.namespace === undefined ? {} : { namespace: values.namespace }),
  });
  const { deleted } = await destroyKubeApp({
    clients,
    app,
    env: envName,
    namespace,
    deleteNamespace: values["delete-namespace"] === true,
  });
  if (values.json) {
    ctx.stdout.write(JSON.stringify({ app, envName, namespace, deleted }) + "\n");
  } else if (deleted.length === 0) {
    ctx.stdout.write(`Nothing to destroy: ${app} (${envName}) has no objects in namespace "${namespace}".\n`);
  } else {
    ctx.stdout.write(`Destroyed ${app} (${envName}) in namespace "${namespace}":\n`);
    for (const object of deleted)
      ctx.stdout.write(`  ${ctx.style.dim("deleted")} ${object.kind}/${object.name}\n`);
  }
  return 0;
}
