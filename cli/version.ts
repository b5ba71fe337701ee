/** Aether's version, as `--version`, tools metadata and user agents report it. */
export const VERSION = "0.1.0";
