import type { Digest } from "../artifact/digest.ts";

/** `putBlob` was given a file whose content does not hash to the digest it was given with. */
export class BlobSourceMismatchError extends Error {
  readonly digest: Digest;
  readonly actual: Digest;
  constructor(request: { digest: Digest; actual: Digest; path: string; storeUrl: string }) {
    super(
      `${request.path}: content hashes to ${request.actual}, not ${request.digest}, so it was not stored ` +
        `in ${request.storeUrl}. The file changed (or was cut short) after it was hashed; pack it again.`,
    );
    this.name = "BlobSourceMismatchError";
    this.digest = request.digest;
    this.actual = request.actual;
  }
}
