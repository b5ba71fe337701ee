import {
  AETHER_BUILD_TYPE,
  LOCAL_BUILDER_ID,
  type BuildDefinition,
  type RunDetails,
} from "./provenance-types.ts";
import { BuildContextError } from "./provenance-errors.ts";

/** Where a build ran, ready to hand to `createStatement` (add `startedOn`/`finishedOn` from a clock). */
export interface BuildContext {
  buildDefinition: BuildDefinition;
  runDetails: RunDetails;
  /** `https://github.com/OWNER/REPO` in GitHub Actions; absent for a local build. */
  repository?: string;
}

/** The machine details of a local build, gathered by the caller (core does not read the OS). */
export interface LocalMachine {
  hostname: string;
  user: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const REQUIRED = ["GITHUB_REPOSITORY", "GITHUB_REF", "GITHUB_SHA", "GITHUB_RUN_ID"] as const;

/**
 * The build definition and run details for this build: from the GitHub Actions variables when
 * `GITHUB_ACTIONS=true`, otherwise a local builder with no source. Pure: `env` and `local` are handed in.
 * @example buildContextFromEnv(process.env, { hostname: os.hostname(), user: os.userInfo().username })
 */
export function buildContextFromEnv(env: Env, local: LocalMachine): BuildContext {
  if (env["GITHUB_ACTIONS"] !== "true") return localContext(local);
  const missing = REQUIRED.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new BuildContextError(
      `GITHUB_ACTIONS is true but ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not set; ` +
        `provenance needs them to name the source. Run Aether as a step of the workflow job, not in a container ` +
        `that drops the runner's environment.`,
    );
  }
  const server = (env["GITHUB_SERVER_URL"] || "https://github.com").replace(/\/+$/, "");
  const repo = env["GITHUB_REPOSITORY"]!;
  const ref = env["GITHUB_REF"]!;
  const repository = `${server}/${repo}`;
  // Self-hosted unless the runner says otherwise: claiming a GitHub-hosted builder must be earned.
  const runnerEnvironment = env["RUNNER_ENVIRONMENT"] === "github-hosted" ? "github-hosted" : "self-hosted";
  const attempt = env["GITHUB_RUN_ATTEMPT"] || "1";
  const workflow = parseWorkflowRef(env["GITHUB_WORKFLOW_REF"], repo);
  return {
    repository,
    buildDefinition: {
      buildType: AETHER_BUILD_TYPE,
      externalParameters: {
        source: { repository, ref },
        ...(workflow ? { workflow: { repository, ref: workflow.ref, path: workflow.path } } : {}),
      },
      internalParameters: { github: { runner_environment: runnerEnvironment } },
      resolvedDependencies: [{ uri: `git+${repository}@${ref}`, digest: { gitCommit: env["GITHUB_SHA"]! } }],
    },
    runDetails: {
      builder: { id: `${server}/actions/runner/${runnerEnvironment}` },
      metadata: { invocationId: `${repository}/actions/runs/${env["GITHUB_RUN_ID"]!}/attempts/${attempt}` },
    },
  };
}

function localContext(local: LocalMachine): BuildContext {
  return {
    buildDefinition: {
      buildType: AETHER_BUILD_TYPE,
      externalParameters: {},
      internalParameters: { local: { hostname: local.hostname, user: local.user } },
      resolvedDependencies: [],
    },
    runDetails: { builder: { id: LOCAL_BUILDER_ID } },
  };
}

/** `OWNER/REPO/.github/workflows/build.yml@refs/heads/main` → path and ref (absent when malformed). */
function parseWorkflowRef(
  value: string | undefined,
  repo: string,
): { path: string; ref: string } | undefined {
  if (!value) return undefined;
  const at = value.lastIndexOf("@");
  const prefix = `${repo}/`;
  if (at < 0 || !value.startsWith(prefix)) return undefined;
  return { path: value.slice(prefix.length, at), ref: value.slice(at + 1) };
}
