/**
 * Galaxy's vocabulary: constants, records (schemas, types, wire encoders), the parameters
 * Galaxy sends, and the error classes.
 *
 * @module
 */
import * as v from "npm:valibot@^1.2.0";
import { compileEncoder, type Encoder } from "./codec.ts";
import { type RecordName, schemas } from "./records.ts";

export {
  Feature,
  LicenseType,
  LOCAL_SIZE_RANGE,
  LocalGameState,
  OS_COMPATIBILITY_RANGE,
  OSCompatibility,
  Platform,
  PresenceState,
  SubscriptionDiscovery,
} from "./consts.ts";
export * from "./errors.ts";
export type * from "./types.ts";
export { compileEncoder, directEncoder, type Encoder, RecordError, toSnakeCase } from "./codec.ts";
export { paramsChecker } from "./params.ts";
export {
  denialInText,
  PERMISSION_SET,
  type PermissionDenial,
  permissionDenial,
  permissionDenied,
} from "./permission.ts";
export {
  type ActionMethod,
  type AuthMethod,
  type BatchImportMethod,
  type ElementValue,
  FEATURE_HANDLERS,
  GALAXY_METHODS,
  type GalaxyMethod,
  type HandlerName,
  type IgnoredMethod,
  type LifecycleMethod,
  type ListImportMethod,
  type MethodInfo,
  type MethodKind,
  type MethodsOf,
  methodsOf,
  plainObject,
} from "./methods.ts";
export { type RecordName, schemas };
export { type SchemaCheck, schemaChecks, type SchemaNode, schemaNode } from "./schema_node.ts";

/**
 * One encoder per record, each compiled on first use, then kept: compiling all of them
 * (and their list forms) was milliseconds of every integration's startup, for records
 * most integrations never send.
 */
function compiledOnUse(compile: (name: RecordName) => Encoder): Record<RecordName, Encoder> {
  const table = {} as Record<RecordName, Encoder>;
  for (const name of Object.keys(schemas) as RecordName[]) {
    Object.defineProperty(table, name, {
      enumerable: true,
      configurable: true,
      get() {
        const encoder = compile(name);
        Object.defineProperty(table, name, { value: encoder, enumerable: true });
        return encoder;
      },
    });
  }
  return table;
}

/** One encoder per record, and one per list of records, compiled once, when first used. */
export const encoders: Record<RecordName, Encoder> = compiledOnUse((name) =>
  compileEncoder(schemas[name])
);

/** Encoders of lists of records, for results and import pages. */
export const listEncoders: Record<RecordName, Encoder> = compiledOnUse((name) =>
  compileEncoder(v.array(schemas[name]))
);
