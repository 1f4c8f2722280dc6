/**
 * Shape of the protobuf field tables in this folder.
 *
 * The tables are written by us from the published wire format of k8s.io/api and
 * k8s.io/apimachinery (field number, JSON name and type per message); they are not generated
 * from, and contain nothing copied out of, the upstream `.proto` files.
 *
 * Type grammar of the second element of a field:
 * - scalars: `string`, `int32`, `int64`, `bool`, `bytes`, `double`;
 * - any other word names a message of the tables (including the well-known wrappers `Time`,
 *   `MicroTime`, `Duration`, `IntOrString`, `Quantity`, `RawExtension`, `FieldsV1`, `ExtraValue`);
 * - prefix `[]` marks a repeated field, prefix `{}` a `map<string, T>`;
 * - suffix `?` marks a Go pointer field: a zero value present on the wire is kept in JSON,
 *   because Go only encodes pointers that are set (`replicas: 0`, `privileged: false`);
 * - suffix `!` marks a Go field without `omitempty`: its zero number or `false` is kept;
 * - the name `...` marks a Go struct embedded inline in JSON: its fields are flattened into the
 *   parent object (`Volume.volumeSource`, `Probe.handler`, `localObjectReference`).
 */

/** One protobuf field: `[JSON name, type]` in the grammar above. */
export type ProtoField = readonly [name: string, type: string];

/** Field number → field, for one message. */
export type ProtoFields = Readonly<Record<number, ProtoField>>;

/** Message name → its fields. Message names are unique across all tables of this folder. */
export type ProtoMessages = Readonly<Record<string, ProtoFields>>;
