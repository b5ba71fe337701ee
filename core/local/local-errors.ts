/**
 * The expected failures of the local target, one class each so the CLI can tell them apart; every message
 * says what failed, where, and what to do.
 */

/** An environment name that cannot be a folder and a URL label. */
export class InvalidEnvNameError extends Error {
  constructor(name: string) {
    super(
      `"${name}" is not a valid environment name: use 1 to 63 lowercase letters, digits and dashes, ` +
        `starting with a letter or digit (for example "production" or "pr-42")`,
    );
    this.name = "InvalidEnvNameError";
  }
}

/** The public port asked for is held by another process. */
export class PortInUseError extends Error {
  readonly port: number;
  constructor(port: number) {
    super(`port ${port} is in use by another process; pass --port or free it`);
    this.name = "PortInUseError";
    this.port = port;
  }
}

/** A port wish for an environment that already serves on another port. */
export class PortConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PortConflictError";
  }
}

/** The environment's supervisor could not be started or stopped answering. */
export class SupervisorUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SupervisorUnavailableError";
  }
}

/** No environment of that name exists under the state folder. */
export class UnknownEnvironmentError extends Error {
  constructor(envName: string, envDir: string) {
    super(`there is no local environment "${envName}" (looked in ${envDir}); deploy one first`);
    this.name = "UnknownEnvironmentError";
  }
}

/** A rollback that has nothing to go back to, or whose release folder is gone. */
export class RollbackRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RollbackRefusedError";
  }
}

/** A deploy request that cannot run as given (missing release folder, bad manifest fields). */
export class InvalidReleaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidReleaseError";
  }
}
