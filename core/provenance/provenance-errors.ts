/**
 * The signing key could not be used. Its message never contains the key, nor the value of the variable that
 * held it: a PEM pasted into the wrong place must not end up in a build log.
 */
export class SigningKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SigningKeyError";
  }
}

/** A trusted public key (from config or a flag) is not a usable Ed25519 public key. */
export class TrustedKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TrustedKeyError";
  }
}

/** An envelope file or string is not a DSSE envelope; the message names where it came from. */
export class EnvelopeParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EnvelopeParseError";
  }
}

/** The GitHub Actions environment lacks a variable the provenance needs. */
export class BuildContextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BuildContextError";
  }
}
