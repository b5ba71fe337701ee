import type { PostgresAdmin } from "../../core/previewdb/postgres-admin.ts";
import type { Redact } from "../../core/redact/redact.ts";
import type { ArtifactStore } from "../../core/store/store.ts";
import type { GitHubClients } from "../github/github-client.ts";
import type { EnvironmentLocks } from "../locks/environment-locks.ts";
import type { DeployTarget } from "../targets/deploy-target.ts";
import type { AppProvenance } from "./artifact-provenance.ts";
import type { EnqueueDeploy } from "./deploy-queue.ts";
import type { DeployRecords } from "./deploy-records.ts";

/** What the event handlers and the worker are handed (probot's Context idea: I/O in, nothing global). */
export interface AppDeps {
  records: DeployRecords;
  locks: EnvironmentLocks;
  github: GitHubClients;
  store: ArtifactStore;
  target: DeployTarget;
  enqueueDeploy: EnqueueDeploy;
  /** Administers preview databases; absent: previews asking for one fail with a clear message. */
  previewDb?: PostgresAdmin;
  /** What artifacts are checked against before they go live. */
  provenance: AppProvenance;
  redact: Redact;
  /** The app's bot login (`<slug>[bot]`), whose comments are the sticky ones. */
  botLogin: string;
  /** This process's name in leases, so a restarted worker takes over what it left. */
  workerId: string;
  /** Requests this process is running now: never resumed by this process's own recovery scan. */
  inFlight: Set<string>;
  /** How long a claimed request stays this worker's without renewal (renewed every third of it). */
  leaseMs: number;
  now: () => number;
  log: (line: string) => void;
}
