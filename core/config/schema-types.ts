/**
 * A small schema language for Aether's config file: enough to validate with file, line and path in every
 * error, and to generate the config reference from the same definition (one list of names per contract).
 */
export type FieldSchema =
  | {
      kind: "string";
      description: string;
      default?: string;
      pattern?: RegExp;
      patternHint?: string;
      enum?: readonly string[];
    }
  | { kind: "integer"; description: string; default?: number; min?: number; max?: number }
  | { kind: "boolean"; description: string; default?: boolean }
  | { kind: "duration"; description: string; default?: string }
  | { kind: "list"; description: string; items: FieldSchema }
  | { kind: "object"; description: string; fields: Record<string, FieldSchema>; required?: readonly string[] }
  | { kind: "map"; description: string; keyPattern: RegExp; keyHint: string; values: FieldSchema };
