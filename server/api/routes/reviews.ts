import type { FastifyReply, FastifyRequest } from 'fastify';
import { apiVersionOf } from '../../../schemas/index.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { decodeBody } from '../../registry/decode.js';
import { methodNotAllowed } from '../errors.js';
import { decodeRequestBody, writeOptions, type ResourcePath } from '../request.js';

/**
 * Who every authenticated client is: the admin kubeadm writes into admin.conf. kubedojo has one
 * user, so every access review is allowed.
 */
const ADMIN = { username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] };
const ALLOWED_REASON = 'RBAC: allowed by ClusterRoleBinding "kubeadm:cluster-admins" of ClusterRole "cluster-admin" to Group "kubeadm:cluster-admins"';

function statusFor(kind: string, review: KubeObject): Record<string, unknown> {
  switch (kind) {
    case 'SelfSubjectReview':
      return { userInfo: ADMIN };
    case 'TokenReview':
      return { authenticated: false, error: 'token lookup is not supported', user: {} };
    case 'SelfSubjectRulesReview':
      return {
        resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
        nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
        incomplete: false,
      };
    default: {
      const spec = (review.spec ?? {}) as { user?: string; groups?: string[] };
      const admin = kind === 'SelfSubjectAccessReview' || spec.user === ADMIN.username || (spec.groups ?? []).includes('kubeadm:cluster-admins');
      return admin ? { allowed: true, reason: ALLOWED_REASON } : { allowed: false };
    }
  }
}

/**
 * POST of the authentication and authorization reviews (`kubectl auth can-i`, `auth whoami`):
 * nothing is stored; the answer is the request with its status filled in.
 */
export function review(p: ResourcePath, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (req.method !== 'POST' || p.name !== undefined) throw methodNotAllowed();
  const { obj } = decodeBody(p.info, decodeRequestBody(req) ?? {}, writeOptions(req.query as Record<string, string>));
  if (p.info.namespaced) obj.metadata.namespace = p.namespace;
  const out = { kind: p.info.kind, apiVersion: apiVersionOf(p.info), metadata: { ...obj.metadata, creationTimestamp: null }, spec: obj.spec ?? {}, status: statusFor(p.info.kind, obj) };
  return reply.code(201).type('application/json').send(JSON.stringify(out));
}
