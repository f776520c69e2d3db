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
export { compileEncoder, type Encoder, RecordError, toSnakeCase } from "./codec.ts";
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

/** One encoder per record, and one per list of records, compiled once. */
export const encoders: Record<RecordName, Encoder> = Object.fromEntries(
  Object.entries(schemas).map(([name, schema]) => [name, compileEncoder(schema)]),
) as Record<RecordName, Encoder>;

/** Encoders of lists of records, for results and import pages. */
export const listEncoders: Record<RecordName, Encoder> = Object.fromEntries(
  Object.entries(schemas).map(([name, schema]) => [name, compileEncoder(v.array(schema))]),
) as Record<RecordName, Encoder>;
