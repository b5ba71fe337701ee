import { resolve } from "node:path";
import { deployApp } from "../../core/pipeline/deploy-app.ts";
import {
  appendDeployRecord,
  firstSuccessfulTotal,
  readDeployHistory,
} from "../../core/pipeline/deploy-history.ts";
import type { Command, CommandOptions } from "../command.ts";
import { envOption, intOption, parseOptions } from "../parse-options.ts";
import { pipelineDeps } from "../pipeline-deps.ts";
import { provenanceSetup } from "../provenance-setup.ts";
import { createProgressRenderer } from "../present/progress-renderer.ts";
import { renderDeploySummary } from "../present/deploy-summary.ts";
import { UsageError } from "../usage-error.ts";
import { parseEnvAssignments } from "./env-assignments.ts";

const OPTIONS = {
  env: { type: "string" },
  target: { type: "string" },
  store: { type: "string" },
  port: { type: "string" },
  "health-timeout": { type: "string" },
  set: { type: "string", short: "e", multiple: true },
} as const satisfies CommandOptions;

export const deployCommand: Command = {
  name: "deploy",
  options: OPTIONS,
  summary: "build an app and release it (local target)",
  help: `Usage: aether deploy [dir] [options]

Builds the app in dir (default: the current folder) into a content-addressed artifact, stores it,
and releases it to an environment. The new release starts beside the old one and takes over only
once GET <health path> answers 200; if it never does, the old release keeps serving.

Options:
  --env NAME            environment (default: production)
  --target local        where to run it (local: a supervised process on this machine)
  --store URL           artifact store: file:///path, s3://bucket/prefix (default: .aether/store)
  --port N              public port on the environment's first deploy (default: first free from 4100)
  --health-timeout S    seconds to wait for the health path (default: 30)
  -e, --set KEY=VALUE   environment variable for the app (repeatable)
  --json                print one JSON report instead of the progress display
  -h, --help            this help

Examples:
  aether deploy examples/node-express
  aether deploy . --env staging --port 5000
  aether deploy --store s3://my-bucket/aether --json`,
  async run(argv, ctx) {
    const { values, positionals } = parseOptions("deploy", argv, OPTIONS);
    if (positionals.length > 1)
      throw new UsageError(`aether deploy: expected one folder, got ${positionals.join(" ")}`);
    const target = values.target ?? "local";
    if (target !== "local") {
      throw new UsageError(`aether deploy: unknown --target "${target}" (this version deploys to: local)`);
    }
    const envName = envOption("deploy", values.env);
    const port = intOption("deploy", "port", values.port);
    const healthSeconds = intOption("deploy", "health-timeout", values["health-timeout"]);
    const appEnv = parseEnvAssignments(values.set ?? []);
    ctx.addSecrets(Object.values(appEnv));
    const dir = resolve(ctx.cwd, positionals[0] ?? ".");
    const deps = pipelineDeps(ctx, values.store);
    const renderer = values.json
      ? undefined
      : createProgressRenderer({ out: ctx.stdout, interactive: ctx.interactive, style: ctx.style });
    if (!values.json)
      ctx.stdout.write(
        `\n  ${ctx.style.bold("aether deploy")} ${ctx.style.dim(`${dir} → local/${envName}`)}\n\n`,
      );
    const { attest, requirements } = await provenanceSetup(ctx);
    const report = await deployApp({
      ...deps,
      ...(attest ? { attest } : {}),
      provenance: requirements,
      dir,
      envName,
      ...(port === undefined ? {} : { port }),
      ...(healthSeconds === undefined ? {} : { healthTimeoutMs: healthSeconds * 1000 }),
      appEnv,
      onEvent: (event) => renderer?.onEvent(event),
    }).finally(() => renderer?.stop());
    const history = await readDeployHistory({ stateDir: deps.stateDir, envName });
    await appendDeployRecord({ stateDir: deps.stateDir, record: { at: new Date().toISOString(), report } });
    if (values.json) {
      ctx.stdout.write(JSON.stringify(report, null, 2) + "\n");
    } else {
      ctx.stdout.write(
        renderDeploySummary({
          report,
          firstTotal: firstSuccessfulTotal(history),
          invokedAs: ctx.invokedAs,
          retry: `${ctx.invokedAs} ${["deploy", ...argv.filter((a) => a !== "--json")].join(" ")}`,
          style: ctx.style,
        }),
      );
    }
    return report.ok ? 0 : 1;
  },
};
