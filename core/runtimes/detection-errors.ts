/** The folder handed to detection does not exist, or is a file. */
export class SourceFolderNotFoundError extends Error {
  readonly dir: string;
  constructor(dir: string, reason: "missing" | "not-a-folder") {
    super(
      reason === "missing"
        ? `source folder ${dir} does not exist: pass the folder that holds your app (its package.json, go.mod, …)`
        : `${dir} is a file, not a folder: pass the folder that holds your app`,
    );
    this.name = "SourceFolderNotFoundError";
    this.dir = dir;
  }
}

/** Nothing in the folder says which runtime the app uses. `lookedFor` lists the markers checked, by runtime. */
export class NoRuntimeDetectedError extends Error {
  readonly dir: string;
  readonly lookedFor: readonly string[];
  constructor(dir: string, lookedFor: readonly string[]) {
    super(
      `no runtime detected in ${dir}: looked for ${lookedFor.join("; ")}. ` +
        `Add the file your runtime uses (package.json, go.mod, pom.xml, requirements.txt, index.html …) to that folder.`,
    );
    this.name = "NoRuntimeDetectedError";
    this.dir = dir;
    this.lookedFor = lookedFor;
  }
}

/** A project file (package.json, Procfile, pyproject.toml …) could not be read as its format requires. */
export class InvalidProjectFileError extends Error {
  readonly file: string;
  constructor(file: string, problem: string, fix: string) {
    super(`${file}: ${problem}. ${fix}`);
    this.name = "InvalidProjectFileError";
    this.file = file;
  }
}

/** The runtime is known but nothing says how to start the app. */
export class NoStartCommandError extends Error {
  readonly dir: string;
  constructor(dir: string, runtime: string, tried: readonly string[]) {
    super(
      `${runtime} app in ${dir} has no start command: looked for ${tried.join(", ")}. ` +
        `Add one of them, or a Procfile with a line "web: <command>".`,
    );
    this.name = "NoStartCommandError";
    this.dir = dir;
  }
}

/** The build needs a program that is not installed (Maven for a pom.xml, for example). */
export class BuildToolMissingError extends Error {
  readonly tool: string;
  constructor(request: { tool: string; command: string; reason: string; fix: string }) {
    super(
      `${request.reason} needs ${request.tool} ("${request.command}"), which is not on PATH. ${request.fix}`,
    );
    this.name = "BuildToolMissingError";
    this.tool = request.tool;
  }
}
