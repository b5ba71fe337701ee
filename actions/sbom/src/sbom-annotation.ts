import { LockfileError } from "../../../core/sbom/lockfile-error.ts";
import { errorAnnotation, type AnnotationProperties } from "../../build/src/error-annotation.ts";

/**
 * Where an sbom failure points: the file (and line) an error or its causes name, with the line of a
 * lockfile error, which keeps it apart from the file name.
 */
export function sbomAnnotation(error: unknown, workspace: string): AnnotationProperties {
  const annotation = errorAnnotation(error, workspace);
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if (current instanceof LockfileError && current.line !== undefined && current.line > 0) {
      return { ...annotation, startLine: current.line };
    }
  }
  return annotation;
}
