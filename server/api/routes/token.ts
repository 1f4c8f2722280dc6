import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { rfc3339 } from '../../clock.js';
import { badRequest, methodNotAllowed } from '../errors.js';
import { decodeRequestBody, type ResourcePath } from '../request.js';
import type { ResourceRouteDeps } from './resources.js';

/** The issuer kubeadm clusters put in service account tokens. */
const ISSUER = 'https://kubernetes.default.svc.cluster.local';
/** TokenRequest's default lifetime (1 h), as the apiserver defaults spec.expirationSeconds. */
const DEFAULT_EXPIRATION_SECONDS = 3600;
/** The apiserver refuses tokens shorter than 10 minutes. */
const MIN_EXPIRATION_SECONDS = 600;

const b64url = (v: unknown): string => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/**
 * POST …/serviceaccounts/NAME/token (`kubectl create token`): a TokenRequest answered with a signed
 * JWT for the service account. The signature key is the daemon's own secret.
 */
export function tokenRequest(deps: ResourceRouteDeps, p: ResourcePath, req: FastifyRequest, reply: FastifyReply, signingKey: string): FastifyReply {
  if (req.method !== 'POST') throw methodNotAllowed();
  const sa = deps.registry.get({ info: p.info, namespace: p.namespace, name: p.name ?? '' }).object;
  const body = (decodeRequestBody(req) ?? {}) as KubeObject & { spec?: { audiences?: string[]; expirationSeconds?: number; boundObjectRef?: unknown } };
  if (body.kind !== undefined && body.kind !== 'TokenRequest') throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (TokenRequest)`);
  const expirationSeconds = body.spec?.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  if (expirationSeconds < MIN_EXPIRATION_SECONDS) throw badRequest('spec.expirationSeconds: Invalid value: ' + expirationSeconds + ': may not specify a duration less than 10 minutes');
  const audiences = body.spec?.audiences?.length ? body.spec.audiences : [ISSUER];
  const now = deps.clock.now();
  const iat = Math.floor(now / 1000);
  const claims = {
    aud: audiences, exp: iat + expirationSeconds, iat, iss: ISSUER, jti: deps.registry.deps.random.uuid(), nbf: iat,
    'kubernetes.io': { namespace: p.namespace, serviceaccount: { name: sa.metadata.name, uid: sa.metadata.uid } },
    sub: `system:serviceaccount:${p.namespace}:${sa.metadata.name}`,
  };
  const unsigned = `${b64url({ alg: 'HS256', kid: 'kubedojo' })}.${b64url(claims)}`;
  const token = `${unsigned}.${createHmac('sha256', signingKey).update(unsigned).digest('base64url')}`;
  const out = {
    kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1',
    metadata: { name: sa.metadata.name, namespace: p.namespace, creationTimestamp: null },
    spec: { audiences, expirationSeconds, boundObjectRef: body.spec?.boundObjectRef ?? null },
    status: { token, expirationTimestamp: rfc3339(now + expirationSeconds * 1000) },
  };
  return reply.code(201).type('application/json').send(JSON.stringify(out));
}
