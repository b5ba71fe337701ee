import type { FieldSchema } from "./schema-types.ts";

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const NAME_HINT = "lowercase letters, digits and dashes, at most 63";

/** The file Aether reads, at the commit being deployed. */
export const CONFIG_PATH = ".github/aether.yml";

/**
 * The schema of `.github/aether.yml`. The validator and the generated reference (docs/config-file.md) both
 * come from this one definition.
 */
/** `previews.host` when a repository sets none; the app then uses its own default (AETHER_PREVIEW_HOST). */
export const DEFAULT_PREVIEW_HOST = "pr-{number}.preview.localhost";

export const CONFIG_SCHEMA = {
  kind: "object",
  description: "The repository's Aether configuration.",
  required: ["version"],
  fields: {
    version: {
      kind: "integer",
      description: "Schema version of this file; this Aether reads 1.",
      min: 1,
      max: 1,
    },
    apps: {
      kind: "map",
      description: "The apps in the repository, by name (one for a single app; several for a monorepo).",
      keyPattern: NAME,
      keyHint: NAME_HINT,
      values: {
        kind: "object",
        description: "One app.",
        fields: {
          path: {
            kind: "string",
            description: "Folder of the app, relative to the repository root.",
            default: ".",
            // Inside the repository, with forward slashes: the artifact store indexes builds by this folder.
            pattern: /^(?![/\\]|[A-Za-z]:)(?!.*\\)(?!(?:.*\/)?\.\.(?:\/|$)).+$/,
            patternHint:
              "a folder inside the repository, like apps/web (no leading /, no .., no backslashes)",
          },
          healthPath: {
            kind: "string",
            description: "HTTP path that answers 200 when the app is ready.",
            default: "/health",
            pattern: /^\//,
            patternHint: "a path starting with /",
          },
          port: {
            kind: "integer",
            description: "Port the app listens on when PORT is not set (Aether always sets PORT).",
            min: 1,
            max: 65535,
          },
        },
      },
    },
    environments: {
      kind: "map",
      description: "Named environments other than previews (production, staging …).",
      keyPattern: NAME,
      keyHint: NAME_HINT,
      values: {
        kind: "object",
        description: "One environment.",
        fields: {
          branch: {
            kind: "string",
            description: "Pushes to this branch deploy here automatically (production: the default branch).",
          },
          url: {
            kind: "string",
            description: "The environment's public URL, shown in deployments and comments.",
          },
          requiredChecks: {
            kind: "list",
            description: "Check runs that must have passed on the commit before it deploys here.",
            items: { kind: "string", description: "A check run name." },
          },
          deployers: {
            kind: "list",
            description:
              "Who may deploy here besides users with write access: GitHub logins, or `@org/team`. Empty: write access alone.",
            items: { kind: "string", description: "A login or @org/team." },
          },
          restrictToDeployers: {
            kind: "boolean",
            description: "Only `deployers` may deploy here, even if others have write access.",
            default: false,
          },
          backupSchedule: {
            kind: "string",
            description:
              "Back the environment's database up on this schedule (pg_dump into the artifact store, run by the app): 5 cron fields in UTC, `minute hour day-of-month month day-of-week` (`0 3 * * *`: 03:00 daily), or @hourly, @daily, @weekly. No scheduled backups when absent.",
            pattern: /^\s*(@[a-z]+|\S+(\s+\S+){4})\s*$/,
            patternHint: "5 cron fields (minute hour day-of-month month day-of-week) or @daily",
          },
          backupRetain: {
            kind: "integer",
            description:
              "How many of the newest scheduled backups to keep (default 7); older ones leave the index and the store.",
            min: 1,
          },
        },
      },
    },
    previews: {
      kind: "object",
      description: "A preview environment for every pull request.",
      fields: {
        enabled: { kind: "boolean", description: "Create previews for pull requests.", default: true },
        host: {
          kind: "string",
          description: "Host of a preview; `{number}` is the pull request number.",
          default: DEFAULT_PREVIEW_HOST,
          pattern: /\{number\}/,
          patternHint: "a host containing {number}",
        },
        ttl: { kind: "duration", description: "How long a preview lives without a push.", default: "7d" },
        forks: {
          kind: "boolean",
          description: "Previews for pull requests from forks (built without secrets).",
          default: false,
        },
        requiredChecks: {
          kind: "list",
          description: "Check runs that must have passed before a preview deploys.",
          items: { kind: "string", description: "A check run name." },
        },
        database: {
          kind: "object",
          description: "A database of its own for every preview.",
          fields: {
            engine: {
              kind: "string",
              description: "Which database to provision.",
              default: "none",
              enum: ["none", "postgres", "redis", "mongodb"],
            },
            migrations: {
              kind: "string",
              description: "Folder of .sql files applied in name order to build the template.",
            },
            seed: { kind: "string", description: "A .sql file run after the migrations." },
            schemaFrom: {
              kind: "string",
              description:
                "Instead of migrations: the name of a database on the same server (production's) whose schema, without its rows, becomes the template; rebuilt when that schema changes.",
            },
          },
        },
      },
    },
    requireProvenance: {
      kind: "boolean",
      description: "Refuse to deploy an artifact whose provenance does not verify.",
      default: false,
    },
  },
} as const satisfies FieldSchema;

export interface AppConfig {
  path: string;
  healthPath: string;
  port?: number;
}

export interface EnvironmentConfig {
  branch?: string;
  url?: string;
  requiredChecks: string[];
  deployers: string[];
  restrictToDeployers: boolean;
  /** Cron schedule (UTC) of the app's backups of this environment's database. */
  backupSchedule?: string;
  /** Newest scheduled backups kept (7 when absent). */
  backupRetain?: number;
}

export interface PreviewConfig {
  enabled: boolean;
  host: string;
  ttlMs: number;
  forks: boolean;
  requiredChecks: string[];
  database: {
    engine: "none" | "postgres" | "redis" | "mongodb";
    migrations?: string;
    seed?: string;
    schemaFrom?: string;
  };
}

/** A validated config with every default filled in. */
export interface AetherConfig {
  version: 1;
  apps: Record<string, AppConfig>;
  environments: Record<string, EnvironmentConfig>;
  previews: PreviewConfig;
  requireProvenance: boolean;
}
