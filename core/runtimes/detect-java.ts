import type { DetectContext } from "./detect-context.ts";
import { BuildToolMissingError, NoStartCommandError } from "./detection-errors.ts";
import { findJavaSources, findMainClass } from "./find-java-sources.ts";
import { makeDetection, type StartChoice } from "./make-detection.ts";
import { sourceFileExists } from "./read-source-file.ts";
import type { Detection } from "./runtime.ts";
import { procfileStart } from "./start-command.ts";

export const JAVA_PORT = 8080;
/** The jar the build makes, in the release folder. */
export const JAVA_JAR = "app.jar";
/** Where Maven builds put runtime dependencies in the release folder. */
export const JAVA_LIB = "lib";

/**
 * Detects a Java app: a pom.xml builds with Maven (which must be installed: checked when a `hasCommand`
 * is given), otherwise .java sources build with javac and jar. The start command runs the class with a
 * `static void main`, preferring App or Main.
 */
export async function detectJava(context: DetectContext): Promise<Detection | undefined> {
  const { dir } = context;
  const maven = await sourceFileExists(dir, "pom.xml");
  const sources = await findJavaSources(dir);
  if (!maven && sources.length === 0) return undefined;
  if (maven && context.hasCommand !== undefined && !(await context.hasCommand("mvn"))) {
    throw new BuildToolMissingError({
      tool: "Maven",
      command: "mvn",
      reason: `${dir}/pom.xml`,
      fix: "Install Maven (apt-get install maven, brew install maven), or remove pom.xml to build with javac.",
    });
  }
  const start =
    procfileStart(context.procfileWeb, { direct: [] }) ?? (await conventionalStart(dir, sources, maven));
  return makeDetection({
    runtime: "java",
    version: undefined,
    tool: maven ? "maven" : "javac",
    lockfile: maven ? "pom.xml" : undefined,
    start,
    port: JAVA_PORT,
  });
}

async function conventionalStart(dir: string, sources: string[], maven: boolean): Promise<StartChoice> {
  if (!maven) {
    if ((await findMainClass(dir, sources)) === undefined) {
      throw new NoStartCommandError(dir, "java", ["a class with public static void main(String[])"]);
    }
    const argv = ["java", "-jar", JAVA_JAR];
    return { argv, text: argv.join(" "), source: "convention" };
  }
  const mainClass = await findMainClass(dir, sources);
  if (mainClass === undefined) {
    throw new NoStartCommandError(dir, "java", [
      "a class with public static void main(String[]) in src/main/java",
    ]);
  }
  // The JVM expands `lib/*` itself, so no shell is needed for the dependency jars.
  const argv = ["java", "-cp", `${JAVA_JAR}:${JAVA_LIB}/*`, mainClass];
  return { argv, text: argv.join(" "), source: "convention" };
}
