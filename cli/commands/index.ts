import type { Command } from "../command.ts";

// Loaded on demand: `aether sbom` should not pay for the S3 SDK and the Kubernetes client that `deploy`
// imports. The order here is the order `aether --help` lists them.
const LOADERS: Readonly<Record<string, () => Promise<Command>>> = {
  deploy: async () => (await import("./deploy.ts")).deployCommand,
  build: async () => (await import("./build.ts")).buildCommand,
  status: async () => (await import("./status.ts")).statusCommand,
  logs: async () => (await import("./logs.ts")).logsCommand,
  rollback: async () => (await import("./rollback.ts")).rollbackCommand,
  destroy: async () => (await import("./destroy.ts")).destroyCommand,
  init: async () => (await import("./init.ts")).initCommand,
  fetch: async () => (await import("./fetch.ts")).fetchCommand,
  sbom: async () => (await import("./sbom.ts")).sbomCommand,
  verify: async () => (await import("./verify.ts")).verifyCommand,
  keygen: async () => (await import("./keygen.ts")).keygenCommand,
  db: async () => (await import("./db.ts")).dbCommand,
  app: async () => (await import("./app.ts")).appCommand,
};

/** The subcommand called `name`, loading only its own modules; undefined for anything else. */
export async function loadCommand(name: string | undefined): Promise<Command | undefined> {
  const load = name !== undefined && Object.hasOwn(LOADERS, name) ? LOADERS[name] : undefined;
  return load ? await load() : undefined;
}

/** Every `aether` subcommand, in the order `aether --help` lists them. */
export async function loadAllCommands(): Promise<Command[]> {
  return await Promise.all(Object.values(LOADERS).map((load) => load()));
}
