import type { BuildPlan, PlanOptions } from "./build-plan.ts";
import { depsKey } from "./deps-key.ts";
import { JAVA_JAR, JAVA_LIB } from "./detect-java.ts";
import { NoStartCommandError } from "./detection-errors.ts";
import { findJavaSources, findMainClass } from "./find-java-sources.ts";
import { sourceFolderExists } from "./read-source-file.ts";
import type { Detection } from "./runtime.ts";

/** Build output inside the scratch copy; the jar in it becomes the app layer. */
const OUT = ".aether-build";
const CLASSES = `${OUT}/classes`;
/** A fixed entry time (the earliest a zip can hold, plus the 2 s granularity) so the jar is reproducible. */
const JAR_DATE = "--date=1980-01-01T00:00:02Z";
/** Picks the main jar out of target/ (not sources, javadoc, tests, or shade's original-*). */
const COPY_MAVEN_JAR = `set -e
mkdir -p ${OUT}
for f in target/*.jar; do
  case "$f" in *-sources.jar|*-javadoc.jar|*-tests.jar|target/original-*) ;; *) cp "$f" ${OUT}/${JAVA_JAR}; exit 0 ;; esac
done
echo "mvn package made no jar in target/: check <packaging> in pom.xml" >&2
exit 1`;

/**
 * Plans a Java build. javac: compile the sources, then `jar` them (with src/main/resources) into app.jar
 * with the main class in its manifest; no deps layer. Maven: dependencies copied into lib/ (deps layer,
 * keyed by pom.xml), `mvn package` in a scratch copy, and its jar as app.jar.
 */
export async function planJava(detection: Detection, dir: string, options: PlanOptions): Promise<BuildPlan> {
  const common = { env: {}, start: detection.start, port: detection.port, healthPath: detection.healthPath };
  const output = { root: OUT, prefix: "", exclude: ["classes/"] };
  if (detection.tool === "maven") {
    const command = [
      [
        "mvn",
        "-B",
        "-q",
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        `-DoutputDirectory=${JAVA_LIB}`,
      ],
    ];
    const inputs = ["pom.xml"];
    const key = await depsKey({
      dir,
      inputs,
      runtime: "java",
      version: detection.version,
      tool: "maven",
      command,
      ...options,
    });
    return {
      deps: { key, inputs, command, output: { root: JAVA_LIB, prefix: JAVA_LIB, exclude: [] } },
      app: {
        command: [
          ["mvn", "-B", "-q", "-DskipTests", "package"],
          ["sh", "-c", COPY_MAVEN_JAR],
        ],
        output,
        copySource: true,
      },
      ...common,
    };
  }
  const sources = await findJavaSources(dir);
  const mainClass = await findMainClass(dir, sources);
  if (mainClass === undefined) {
    throw new NoStartCommandError(dir, "java", ["a class with public static void main(String[])"]);
  }
  const resources = (await sourceFolderExists(dir, "src/main/resources"))
    ? ["-C", "src/main/resources", "."]
    : [];
  return {
    app: {
      command: [
        ["javac", "-encoding", "UTF-8", "-d", CLASSES, ...sources],
        [
          "jar",
          "--create",
          "--file",
          `${OUT}/${JAVA_JAR}`,
          JAR_DATE,
          "--main-class",
          mainClass,
          "-C",
          CLASSES,
          ".",
          ...resources,
        ],
      ],
      output,
      copySource: true,
    },
    ...common,
  };
}
