#!/usr/bin/env node
// Generates schemas/generated/definitions.json from the .d.ts files of the `kubernetes-types`
// devDependency: one JSON-schema definition per API type, named like Kubernetes' OpenAPI
// (io.k8s.api.apps.v1.Deployment, io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta, …), with the
// JSDoc descriptions kept so the OpenAPI documents and `kubectl explain` can show them.
// Only the syntax tree is read (no type checker), which keeps the run well under a second.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TYPES_DIR = join(ROOT, 'node_modules', 'kubernetes-types');
const OUT_FILE = join(ROOT, 'schemas', 'generated', 'definitions.json');

const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const INT_OR_STRING_DESCRIPTION =
  'IntOrString holds either a 32-bit integer or a string. In JSON and YAML it is written as the bare ' +
  'number or the string itself, for example 3 or "25%"; which one is meant depends on the field.';

// kubernetes-types cannot tell int32 from int64, and Go's decode errors name the exact type.
// int32 is by far the common case in the API; these integer fields are int64 upstream.
const INT64_FIELDS = new Set([
  'activeDeadlineSeconds', 'deletionGracePeriodSeconds', 'expirationSeconds', 'fsGroup', 'generation',
  'gracePeriodSeconds', 'maxItems', 'maxLength', 'maxProperties', 'minItems', 'minLength', 'minProperties',
  'observedGeneration', 'remainingItemCount', 'revision', 'runAsGroup', 'runAsUser', 'sizeBytes',
  'seconds', 'startingDeadlineSeconds', 'supplementalGroups', 'terminationGracePeriodSeconds', 'tolerationSeconds',
  'uid', 'gid',
]);
// The only floating-point fields of the built-in API (JSONSchemaProps bounds).
const FLOAT_FIELDS = new Set(['JSONSchemaProps.maximum', 'JSONSchemaProps.minimum', 'JSONSchemaProps.multipleOf']);
// []byte fields: Go decodes them from base64 strings (OpenAPI format "byte").
const BYTE_FIELDS = new Set([
  'Secret.data', 'ConfigMap.binaryData', 'CertificateSigningRequestSpec.request',
  'CertificateSigningRequestStatus.certificate', 'WebhookClientConfig.caBundle', 'ClusterTrustBundleProjection.caBundle',
]);
// Go names that the types package cannot reveal but decode errors print. They are written as
// vendor extensions (x-kubedojo-*) that the OpenAPI documents drop:
// - x-kubedojo-go-type: the named Go type of a field (enum strings, v1.ResourceList);
// - x-kubedojo-go-field: a field promoted from an inline-embedded struct, as Go's error context
//   spells it (`VolumeSource.configMap`).
const GO_NAMED_TYPES = {
  'Container.imagePullPolicy': 'v1.PullPolicy', 'EphemeralContainer.imagePullPolicy': 'v1.PullPolicy',
  'Container.terminationMessagePolicy': 'v1.TerminationMessagePolicy',
  'EphemeralContainer.terminationMessagePolicy': 'v1.TerminationMessagePolicy',
  'Container.restartPolicy': 'v1.ContainerRestartPolicy', 'PodSpec.restartPolicy': 'v1.RestartPolicy',
  'PodSpec.dnsPolicy': 'v1.DNSPolicy', 'PodSpec.preemptionPolicy': 'v1.PreemptionPolicy',
  'ContainerPort.protocol': 'v1.Protocol', 'ServicePort.protocol': 'v1.Protocol', 'EndpointPort.protocol': 'v1.Protocol',
  'ServiceSpec.type': 'v1.ServiceType', 'ServiceSpec.sessionAffinity': 'v1.ServiceAffinity',
  'ServiceSpec.externalTrafficPolicy': 'v1.ServiceExternalTrafficPolicy',
  'ServiceSpec.internalTrafficPolicy': 'v1.ServiceInternalTrafficPolicy', 'ServiceSpec.ipFamilyPolicy': 'v1.IPFamilyPolicy',
  'Toleration.operator': 'v1.TolerationOperator', 'Toleration.effect': 'v1.TaintEffect', 'Taint.effect': 'v1.TaintEffect',
  'LabelSelectorRequirement.operator': 'v1.LabelSelectorOperator',
  'NodeSelectorRequirement.operator': 'v1.NodeSelectorOperator',
  'DeploymentStrategy.type': 'v1.DeploymentStrategyType', 'DaemonSetUpdateStrategy.type': 'v1.DaemonSetUpdateStrategyType',
  'StatefulSetUpdateStrategy.type': 'v1.StatefulSetUpdateStrategyType',
  'StatefulSetSpec.podManagementPolicy': 'v1.PodManagementPolicyType',
  'Secret.type': 'v1.SecretType', 'PodStatus.phase': 'v1.PodPhase', 'NamespaceStatus.phase': 'v1.NamespacePhase',
  'CronJobSpec.concurrencyPolicy': 'v1.ConcurrencyPolicy', 'JobSpec.completionMode': 'v1.CompletionMode',
  'HTTPGetAction.scheme': 'v1.URIScheme', 'HTTPIngressPath.pathType': 'v1.PathType',
  'PersistentVolumeClaimSpec.volumeMode': 'v1.PersistentVolumeMode', 'PersistentVolumeSpec.volumeMode': 'v1.PersistentVolumeMode',
};
// Structs that kubernetes-types flattens but Go embeds inline: owner → [embedded struct, which fields].
const INLINE_EMBEDDED = {
  Volume: ['VolumeSource', (f) => f !== 'name'],
  EphemeralContainer: ['EphemeralContainerCommon', (f) => f !== 'targetContainerName'],
  Probe: ['ProbeHandler', (f) => ['exec', 'grpc', 'httpGet', 'tcpSocket'].includes(f)],
  PersistentVolumeSpec: ['PersistentVolumeSource', (f) => ![
    'accessModes', 'capacity', 'claimRef', 'mountOptions', 'nodeAffinity', 'persistentVolumeReclaimPolicy',
    'storageClassName', 'volumeAttributesClassName', 'volumeMode',
  ].includes(f)],
};
// Empty Go structs that hold arbitrary JSON (custom unmarshalers), not field-less structs.
const FREE_FORM = new Set(['RawExtension', 'JSON', 'FieldsV1', 'Patch']);

/** Lists the .d.ts files under kubernetes-types, sorted so the output is deterministic. */
function listTypeFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listTypeFiles(full));
    else if (name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** 'apps/v1' → 'io.k8s.api.apps.v1'; apimachinery and apiextensions live under their Go import paths. */
function packagePrefix(mod) {
  if (mod === 'meta/v1') return 'io.k8s.apimachinery.pkg.apis.meta.v1';
  if (mod === 'runtime') return 'io.k8s.apimachinery.pkg.runtime';
  if (mod === 'version') return 'io.k8s.apimachinery.pkg.version';
  if (mod === 'api/resource') return 'io.k8s.apimachinery.pkg.api.resource';
  if (mod.startsWith('apiextensions/')) return `io.k8s.apiextensions-apiserver.pkg.apis.${mod.replace('/', '.')}`;
  return `io.k8s.api.${mod.replaceAll('/', '.')}`;
}

/** The JSDoc text right before a node, with the comment markers and margins removed. */
function descriptionOf(node, text) {
  const ranges = ts.getLeadingCommentRanges(text, node.pos) ?? [];
  const doc = ranges.filter((r) => text.startsWith('/**', r.pos)).pop();
  if (!doc) return undefined;
  const body = text.slice(doc.pos + 3, doc.end - 2);
  const lines = body.split('\n').map((l, i) => (i === 0 ? l : l.replace(/^\s*\* ?/, '')));
  while (lines.length && !lines[0].trim()) lines.shift();
  while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
  const joined = lines.length === 1 ? lines[0].trim() : lines.join('\n').trimEnd();
  return joined || undefined;
}

/** Integer or number schema for a numeric field, with the Go width as OpenAPI `format`. */
function numberSchema(owner, field) {
  if (FLOAT_FIELDS.has(`${owner}.${field}`)) return { type: 'number', format: 'double' };
  return { type: 'integer', format: INT64_FIELDS.has(field) ? 'int64' : 'int32' };
}

/** Converts a property's type node to a schema; ctx = {owner, field, mod, imports}. */
function convertType(node, ctx) {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
    case ts.SyntaxKind.LiteralType:
      return BYTE_FIELDS.has(`${ctx.owner}.${ctx.field}`) ? { type: 'string', format: 'byte' } : { type: 'string' };
    case ts.SyntaxKind.NumberKeyword:
      return numberSchema(ctx.owner, ctx.field);
    case ts.SyntaxKind.BooleanKeyword:
      return { type: 'boolean' };
    case ts.SyntaxKind.ArrayType:
      return { type: 'array', items: convertType(node.elementType, ctx) };
    case ts.SyntaxKind.UnionType:
      return convertUnion(node);
    case ts.SyntaxKind.TypeLiteral:
      return convertMap(node, ctx);
    case ts.SyntaxKind.TypeReference:
      return convertReference(node, ctx);
    default:
      throw new Error(`${ctx.owner}.${ctx.field}: unsupported type syntax ${ts.SyntaxKind[node.kind]}`);
  }
}

/** `number | string` is how kubernetes-types spells IntOrString; other unions are free-form. */
function convertUnion(node) {
  const kinds = node.types.map((t) => t.kind).sort();
  if (kinds.length === 2 && kinds[0] === ts.SyntaxKind.NumberKeyword && kinds[1] === ts.SyntaxKind.StringKeyword) {
    return { $ref: `#/definitions/${INT_OR_STRING}` };
  }
  if (node.types.every((t) => t.kind === ts.SyntaxKind.LiteralType)) return { type: 'string' };
  return {};
}

/** `{[name: string]: T}` → a map schema. */
function convertMap(node, ctx) {
  const sig = node.members.find((m) => m.kind === ts.SyntaxKind.IndexSignature);
  if (!sig || node.members.length !== 1) throw new Error(`${ctx.owner}.${ctx.field}: unsupported type literal`);
  return { type: 'object', additionalProperties: convertType(sig.type, ctx) };
}

/** `Array<T>` or a named type, local to the module or imported from another one. */
function convertReference(node, ctx) {
  const name = node.typeName.getText();
  if (name === 'Array') return { type: 'array', items: convertType(node.typeArguments[0], ctx) };
  const mod = ctx.imports.get(name) ?? ctx.mod;
  return { $ref: `#/definitions/${packagePrefix(mod)}.${name}` };
}

/** Maps every imported name to the module key it comes from ('../meta/v1' → 'meta/v1'). */
function importsOf(sf, mod) {
  const imports = new Map();
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !st.importClause?.namedBindings) continue;
    const target = posix.normalize(posix.join(posix.dirname(mod), st.moduleSpecifier.text));
    for (const el of st.importClause.namedBindings.elements) imports.set(el.name.text, target);
  }
  return imports;
}

/** The x-kubedojo-go-* extensions of one property (see GO_NAMED_TYPES). */
function goNaming(owner, field, schema, mod) {
  const out = {};
  const quantityMap = schema.additionalProperties?.$ref === '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity';
  const goType = GO_NAMED_TYPES[`${owner}.${field}`] ?? (quantityMap && mod === 'core/v1' ? 'v1.ResourceList' : undefined);
  if (goType) out['x-kubedojo-go-type'] = goType;
  const inline = INLINE_EMBEDDED[owner];
  if (mod === 'core/v1' && inline?.[1](field)) out['x-kubedojo-go-field'] = `${inline[0]}.${field}`;
  return out;
}

/** The GVK of a kind, read from its literal `apiVersion` and `kind` property types. */
function gvkOf(props) {
  const literal = (p) => (p?.type && ts.isLiteralTypeNode(p.type) && ts.isStringLiteral(p.type.literal) ? p.type.literal.text : undefined);
  const apiVersion = literal(props.get('apiVersion'));
  const kind = literal(props.get('kind'));
  if (!apiVersion || !kind) return undefined;
  const slash = apiVersion.lastIndexOf('/');
  return { group: slash < 0 ? '' : apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1), kind };
}

/** One interface → one object definition. */
function convertInterface(node, ctx, text) {
  const name = node.name.text;
  const def = { type: 'object' };
  const description = descriptionOf(node, text);
  if (description) def.description = description;
  if (FREE_FORM.has(name) && node.members.length === 0) {
    def['x-kubernetes-preserve-unknown-fields'] = true;
    if (name === 'RawExtension' || name === 'JSON') delete def.type; // any JSON value, not only objects
    return def;
  }
  const props = new Map(node.members.filter(ts.isPropertySignature).map((m) => [m.name.getText(), m]));
  def.properties = {};
  const required = [];
  for (const [field, member] of props) {
    const schema = convertType(member.type, { ...ctx, owner: name, field });
    const doc = descriptionOf(member, text);
    def.properties[field] = { ...schema, ...(doc ? { description: doc } : {}), ...goNaming(name, field, schema, ctx.mod) };
    if (!member.questionToken) required.push(field);
  }
  if (required.length) def.required = required;
  const gvk = gvkOf(props);
  if (gvk) def['x-kubernetes-group-version-kind'] = [gvk];
  return def;
}

/** Type aliases: Quantity, Time, MicroTime and the JSONSchemaPropsOr* unions. */
function convertAlias(node, text) {
  const name = node.name.text;
  const description = descriptionOf(node, text);
  let def;
  if (name === 'Quantity') def = { oneOf: [{ type: 'string' }, { type: 'number' }] };
  else if (name === 'Time' || name === 'MicroTime') def = { type: 'string', format: 'date-time' };
  else def = { 'x-kubernetes-preserve-unknown-fields': true };
  return description ? { description, ...def } : def;
}

/** Reads one .d.ts file and adds its definitions. */
function convertFile(file, definitions) {
  const mod = relative(TYPES_DIR, file).replaceAll('\\', '/').replace(/\.d\.ts$/, '');
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const ctx = { mod, imports: importsOf(sf, mod) };
  const prefix = packagePrefix(mod);
  for (const st of sf.statements) {
    if (ts.isInterfaceDeclaration(st)) definitions[`${prefix}.${st.name.text}`] = convertInterface(st, ctx, text);
    else if (ts.isTypeAliasDeclaration(st)) definitions[`${prefix}.${st.name.text}`] = convertAlias(st, text);
  }
}

/** Fails the build when a $ref points at a type that was not generated. */
function checkReferences(definitions) {
  const missing = new Set();
  const visit = (s) => {
    if (!s || typeof s !== 'object') return;
    if (typeof s.$ref === 'string' && !definitions[s.$ref.slice('#/definitions/'.length)]) missing.add(s.$ref);
    for (const v of Object.values(s)) visit(v);
  };
  visit(definitions);
  if (missing.size) throw new Error(`unresolved references: ${[...missing].join(', ')}`);
}

/** Definitions sorted by name; properties keep the (alphabetical) order of the types. */
function sortedDefinitions(definitions) {
  const out = {};
  for (const key of Object.keys(definitions).sort()) out[key] = definitions[key];
  return out;
}

function main() {
  const started = performance.now();
  const definitions = {
    [INT_OR_STRING]: {
      description: INT_OR_STRING_DESCRIPTION,
      'x-kubernetes-int-or-string': true,
      anyOf: [{ type: 'integer' }, { type: 'string' }],
    },
  };
  for (const file of listTypeFiles(TYPES_DIR)) convertFile(file, definitions);
  // metav1.Status has a free-form apiVersion in the types but is always served as core v1.
  definitions['io.k8s.apimachinery.pkg.apis.meta.v1.Status']['x-kubernetes-group-version-kind'] = [
    { group: '', version: 'v1', kind: 'Status' },
  ];
  checkReferences(definitions);
  const json = JSON.stringify({ definitions: sortedDefinitions(definitions) });
  mkdirSync(dirname(OUT_FILE), { recursive: true });
  writeFileSync(OUT_FILE, `${json}\n`);
  const ms = Math.round(performance.now() - started);
  const count = Object.keys(definitions).length;
  process.stdout.write(`gen-schemas: ${count} definitions, ${(json.length / 1024).toFixed(0)} KiB in ${ms} ms\n`);
}

main();
