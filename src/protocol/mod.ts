/**
 * Galaxy's vocabulary: constants, records (schemas, types, wire encoders), the parameters
 * Galaxy sends, and the error classes.
 *
 * @module
 */
import * as v from "npm:valibot@^1.2.0";
import { compileEncoder, type Encoder } from "./codec.ts";
import { schemas } from "./records.ts";

export {
  Feature,
  LicenseType,
  LocalGameState,
  OSCompatibility,
  Platform,
  PresenceState,
  SubscriptionDiscovery,
} from "./consts.ts";
export * from "./errors.ts";
export type * from "./types.ts";
export { compileEncoder, type Encoder, RecordError, toSnakeCase } from "./codec.ts";
export { type GalaxyMethod, paramsChecker, paramSchemas } from "./params.ts";
export { schemas };

/** The name of a record schema. */
export type RecordName = keyof typeof schemas;

/** One encoder per record, and one per list of records, compiled once. */
export const encoders: Record<RecordName, Encoder> = Object.fromEntries(
  Object.entries(schemas).map(([name, schema]) => [name, compileEncoder(schema)]),
) as Record<RecordName, Encoder>;

/** Encoders of lists of records, for results and import pages. */
export const listEncoders: Record<RecordName, Encoder> = Object.fromEntries(
  Object.entries(schemas).map(([name, schema]) => [name, compileEncoder(v.array(schema))]),
) as Record<RecordName, Encoder>;
