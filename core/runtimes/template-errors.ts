/** The template asked for is not one of the examples. */
export class UnknownTemplateError extends Error {
  readonly available: readonly string[];
  constructor(template: string, available: readonly string[]) {
    super(
      `unknown template "${template}": choose one of ${available.length > 0 ? available.join(", ") : "(none found)"}`,
    );
    this.name = "UnknownTemplateError";
    this.available = available;
  }
}

/** Copying a template would mix it with files already in the destination. */
export class DestinationNotEmptyError extends Error {
  readonly destination: string;
  constructor(destination: string, reason: "not-empty" | "not-a-folder") {
    super(
      reason === "not-empty"
        ? `${destination} is not empty: choose a new or empty folder for the template`
        : `${destination} is a file: choose a new or empty folder for the template`,
    );
    this.name = "DestinationNotEmptyError";
    this.destination = destination;
  }
}
