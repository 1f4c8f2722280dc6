/**
 * The generator table of `kd create`: one entry per kubectl v1.35.2 generator practice uses, with its
 * flags (kubectl names and defaults), the resource it creates and the prefix kubectl puts before a
 * server error (kubectl pkg/cmd/create/create_*.go).
 */
import type { Command } from 'commander';
import { buildConfigMap, buildDockerSecret, buildGenericSecret, buildService, buildTlsSecret, validateService, type DataSources, type ServiceOptions } from './create-data.js';
import { collectArray, collectList, intFlag, UsageHelpError, type GenContext, type Generator } from './create-generators.js';
import { parseGoBool } from '../mutate/common.js';
import { buildCronJob, buildDeployment, buildJob, buildJobFromCronJob, buildNamespace, buildPdb, buildPriorityClass, buildQuota, buildServiceAccount } from './create-objects.js';
import { ingressGenerator } from './create-ingress.js';
import { buildBinding, buildRole, buildRules, parseResourceArg, validateRoleFlags, type ResourceArg } from './create-rbac.js';

const f = (ctx: GenContext) => ctx.flags as Record<string, any>;

function dataOptions(cmd: Command): void {
  cmd
    .option('--from-literal <key=value>', 'Specify a key and literal value to insert (i.e. mykey=somevalue)', collectArray, [])
    .option('--from-file <[key=]source>', 'Key file can be specified using its file path', collectList, [])
    .option('--from-env-file <file>', 'Specify the path to a file to read lines of key=val pairs', collectArray, []);
}

function dataSources(ctx: GenContext): DataSources {
  return { fromLiteral: f(ctx)['fromLiteral'], fromFile: f(ctx)['fromFile'], fromEnvFile: f(ctx)['fromEnvFile'] };
}

const deployment: Generator = {
  name: 'deployment',
  aliases: ['deploy'],
  description: 'Create a deployment with the specified name',
  apiVersion: 'apps/v1',
  plural: 'deployments',
  namespaced: true,
  errorPrefix: 'failed to create deployment: ',
  required: ['image'],
  options: (cmd) =>
    cmd
      .option('--image <image>', 'Image names to run. A deployment can have multiple images set for multi-container pod.', collectList, [])
      .option('--port <port>', 'The containerPort that this deployment exposes.', intFlag('--port', 'kubectl create deployment'), -1)
      .option('-r, --replicas <n>', 'Number of replicas to create. Default is 1.', intFlag('-r, --replicas', 'kubectl create deployment'), 1),
  build: (ctx) => buildDeployment(ctx.meta, { images: f(ctx)['image'], replicas: f(ctx)['replicas'], port: f(ctx)['port'], command: ctx.command }),
};

const job: Generator = {
  name: 'job',
  description: 'Create a job with the specified name',
  apiVersion: 'batch/v1',
  plural: 'jobs',
  namespaced: true,
  errorPrefix: 'failed to create job: ',
  options: (cmd) => cmd.option('--image <image>', 'Image name to run.').option('--from <resource>', 'The name of the resource to create a Job from (only cronjob is supported).'),
  async build(ctx) {
    const { image, from } = f(ctx);
    if ((image === undefined) === (from === undefined)) throw new Error('either --image or --from must be specified');
    if (image !== undefined) return buildJob(ctx.meta, image, ctx.command);
    if (ctx.command.length) throw new Error('cannot specify --from and command');
    const slash = String(from).indexOf('/');
    const [resource] = await ctx.resolve(slash < 0 ? String(from) : String(from).slice(0, slash));
    const { resourcePath } = await import('../kube/discovery.js');
    const { namespace } = ctx.flags;
    const obj = await ctx.getJson(resourcePath(resource!, namespace ?? (await contextNamespace(ctx)), String(from).slice(slash + 1)));
    if (obj.kind !== 'CronJob') throw new Error(`unknown object type ${obj.kind}`);
    return buildJobFromCronJob(ctx.meta, obj);
  },
};

async function contextNamespace(ctx: GenContext): Promise<string> {
  const { resolveContext } = await import('../kube/kubeconfig.js');
  return resolveContext(ctx.flags).namespace;
}

const cronjob: Generator = {
  name: 'cronjob',
  aliases: ['cj'],
  description: 'Create a cron job with the specified name',
  apiVersion: 'batch/v1',
  plural: 'cronjobs',
  namespaced: true,
  errorPrefix: 'failed to create cronjob: ',
  required: ['image', 'schedule'],
  options: (cmd) =>
    cmd
      .option('--image <image>', 'Image name to run.')
      .option('--schedule <schedule>', 'A schedule in the Cron format the job should be run with.')
      .option('--restart <policy>', "job's restart policy. supported values: OnFailure, Never", 'OnFailure'),
  build: (ctx) => buildCronJob(ctx.meta, { image: f(ctx)['image'], schedule: f(ctx)['schedule'], restart: f(ctx)['restart'], command: ctx.command }),
};

const namespace: Generator = {
  name: 'namespace',
  aliases: ['ns'],
  description: 'Create a namespace with the specified name',
  apiVersion: 'v1',
  plural: 'namespaces',
  namespaced: false,
  options: () => undefined,
  build: (ctx) => buildNamespace(ctx.name),
};

const configmap: Generator = {
  name: 'configmap',
  aliases: ['cm'],
  description: 'Create a config map from a local file, directory or literal value',
  apiVersion: 'v1',
  plural: 'configmaps',
  namespaced: true,
  errorPrefix: 'failed to create configmap: ',
  options: dataOptions,
  build: (ctx) => buildConfigMap(ctx.meta, dataSources(ctx)),
};

const serviceaccount: Generator = {
  name: 'serviceaccount',
  aliases: ['sa'],
  description: 'Create a service account with the specified name',
  apiVersion: 'v1',
  plural: 'serviceaccounts',
  namespaced: true,
  errorPrefix: 'failed to create serviceaccount: ',
  options: () => undefined,
  build: (ctx) => buildServiceAccount(ctx.meta),
};

const quota: Generator = {
  name: 'quota',
  aliases: ['resourcequota'],
  description: 'Create a quota with the specified name',
  apiVersion: 'v1',
  plural: 'resourcequotas',
  namespaced: true,
  errorPrefix: 'failed to create quota: ',
  options: (cmd) => cmd.option('--hard <list>', 'A comma-delimited set of resource=quantity pairs that define a hard limit.', '').option('--scopes <list>', 'A comma-delimited set of quota scopes.', ''),
  build: (ctx) => buildQuota(ctx.meta, f(ctx)['hard'], f(ctx)['scopes']),
};

const pdb: Generator = {
  name: 'poddisruptionbudget',
  aliases: ['pdb'],
  description: 'Create a pod disruption budget with the specified name',
  apiVersion: 'policy/v1',
  plural: 'poddisruptionbudgets',
  namespaced: true,
  errorPrefix: 'failed to create poddisruptionbudgets: ',
  options: (cmd) =>
    cmd
      .option('--selector <selector>', 'A label selector to use for this budget.', '')
      .option('--min-available <n>', 'The minimum number or percentage of available pods this budget requires.')
      .option('--max-unavailable <n>', 'The maximum number or percentage of unavailable pods this budget requires.'),
  build(ctx) {
    const { selector, minAvailable, maxUnavailable } = f(ctx);
    if (!selector) throw new Error('a selector must be specified');
    if (minAvailable === undefined && maxUnavailable === undefined) throw new Error('one of min-available or max-unavailable must be specified');
    if (minAvailable !== undefined && maxUnavailable !== undefined) throw new Error('min-available and max-unavailable cannot be both specified');
    return buildPdb(ctx.meta, { selector, minAvailable, maxUnavailable });
  },
};

const priorityClass: Generator = {
  name: 'priorityclass',
  aliases: ['pc'],
  description: 'Create a priority class with the specified name',
  apiVersion: 'scheduling.k8s.io/v1',
  plural: 'priorityclasses',
  namespaced: false,
  errorPrefix: 'failed to create priorityclass: ',
  options: (cmd) =>
    cmd
      .option('--value <n>', 'the value of this priority class.', intFlag('--value', 'kubectl create priorityclass'), 0)
      .option('--global-default [bool]', 'global-default specifies whether this PriorityClass should be considered as the default priority.', 'false')
      .option('--description <text>', 'description is an arbitrary string that usually provides guidelines on when this priority class should be used.', '')
      .option('--preemption-policy <policy>', 'preemption-policy is the policy for preempting pods with lower priority.', 'PreemptLowerPriority'),
  build(ctx) {
    const { value, globalDefault, description, preemptionPolicy } = f(ctx);
    // A bare --global-default means true, as for every pflag bool.
    const parsed = globalDefault === true ? true : parseGoBool(String(globalDefault));
    if (parsed === undefined) throw new UsageHelpError(`invalid argument ${JSON.stringify(String(globalDefault))} for "--global-default" flag: strconv.ParseBool: parsing ${JSON.stringify(String(globalDefault))}: invalid syntax`, 'kubectl create priorityclass');
    return buildPriorityClass(ctx.name, { value, globalDefault: parsed, description, preemptionPolicy });
  },
};

function roleGenerator(kind: 'Role' | 'ClusterRole'): Generator {
  return {
    name: kind.toLowerCase(),
    description: `Create a ${kind === 'Role' ? 'role' : 'cluster role'} with single rule`,
    apiVersion: 'rbac.authorization.k8s.io/v1',
    plural: kind === 'Role' ? 'roles' : 'clusterroles',
    namespaced: kind === 'Role',
    options: (cmd) =>
      cmd
        .option('--verb <verbs>', 'Verb that applies to the resources contained in the rule', collectList, [])
        .option('--resource <resources>', 'Resource that the rule applies to', collectList, [])
        .option('--resource-name <names>', 'Resource in the white list that the rule applies to', collectArray, []),
    async build(ctx) {
      const { verb, resource, resourceName } = f(ctx);
      for (const warning of validateRoleFlags(verb, resource)) process.stderr.write(warning);
      const mapped: ResourceArg[] = [];
      for (const r of (resource as string[]).map(parseResourceArg)) mapped.push(await mapResource(ctx, r));
      return buildRole(kind, ctx.meta, buildRules(verb, mapped, resourceName));
    },
  };
}

/** Maps a rule resource to its plural and group through discovery, as kubectl's RESTMapper does. */
async function mapResource(ctx: GenContext, r: ResourceArg): Promise<ResourceArg> {
  if (r.resource === '*') return r;
  try {
    const [found] = await ctx.resolve(r.group ? `${r.resource}.${r.group}` : r.resource);
    return { resource: found!.resource, group: found!.group, subresource: r.subresource };
  } catch {
    const { PreformattedError } = await import('./kube-flags.js');
    throw new PreformattedError([new Error(`the server doesn't have a resource type "${r.resource}"`)]);
  }
}

function bindingGenerator(kind: 'RoleBinding' | 'ClusterRoleBinding'): Generator {
  const lower = kind.toLowerCase();
  return {
    name: lower,
    description: `Create a ${kind === 'RoleBinding' ? 'role binding' : 'cluster role binding'} for a particular ${kind === 'RoleBinding' ? 'role or cluster role' : 'cluster role'}`,
    apiVersion: 'rbac.authorization.k8s.io/v1',
    plural: `${lower}s`,
    namespaced: kind === 'RoleBinding',
    errorPrefix: `failed to create ${lower}: `,
    required: kind === 'ClusterRoleBinding' ? ['clusterrole'] : [],
    options(cmd) {
      if (kind === 'RoleBinding') cmd.option('--role <name>', 'Role this RoleBinding should reference');
      cmd
        .option('--clusterrole <name>', 'ClusterRole this binding should reference')
        .option('--user <names>', 'Usernames to bind to the role', collectArray, [])
        .option('--group <names>', 'Groups to bind to the role', collectArray, [])
        .option('--serviceaccount <ns:name>', 'Service accounts to bind to the role, in the format <namespace>:<name>', collectArray, []);
    },
    build(ctx) {
      const { role, clusterrole, user, group, serviceaccount } = f(ctx);
      if (kind === 'RoleBinding' && (role === undefined) === (clusterrole === undefined)) throw new Error('exactly one of clusterrole or role must be specified');
      const roleRef = role !== undefined ? { kind: 'Role', name: role } : { kind: 'ClusterRole', name: clusterrole };
      return buildBinding(kind, ctx.meta, roleRef, { users: user, groups: group, serviceAccounts: serviceaccount });
    },
  };
}

function serviceGenerator(name: string, type: ServiceOptions['type']): Generator {
  return {
    name,
    description: `Create a ${type} service`,
    apiVersion: 'v1',
    plural: 'services',
    namespaced: true,
    errorPrefix: `failed to create ${type} service: `,
    options(cmd) {
      if (type === 'ExternalName') cmd.option('--external-name <name>', 'External name of service');
      else cmd.option('--tcp <port:targetPort>', 'Port pairs can be specified as <port>:<targetPort>.', collectList, []);
      if (type === 'ClusterIP') cmd.option('--clusterip <ip>', 'Assign your own ClusterIP or set to "None" for a "headless" service (no loadbalancing).');
      if (type === 'NodePort') cmd.option('--node-port <port>', 'Port used to expose the service on each node in a cluster.', intFlag('--node-port', `kubectl create service ${name}`), 0);
    },
    build(ctx) {
      const o: ServiceOptions = { type, tcp: f(ctx)['tcp'] ?? [], clusterIP: f(ctx)['clusterip'], nodePort: f(ctx)['nodePort'] ?? 0, externalName: f(ctx)['externalName'] };
      validateService(o);
      return buildService(ctx.meta, o);
    },
  };
}

const genericSecret: Generator = {
  name: 'generic',
  description: 'Create a secret from a local file, directory, or literal value',
  apiVersion: 'v1',
  plural: 'secrets',
  namespaced: true,
  errorPrefix: 'failed to create secret ',
  options: (cmd) => {
    dataOptions(cmd);
    cmd.option('--type <type>', 'The type of secret to create', '');
  },
  build: (ctx) => buildGenericSecret(ctx.meta, dataSources(ctx), f(ctx)['type']),
};

const dockerSecret: Generator = {
  name: 'docker-registry',
  description: 'Create a secret for use with a Docker registry',
  apiVersion: 'v1',
  plural: 'secrets',
  namespaced: true,
  errorPrefix: 'failed to create secret ',
  required: ['docker-username', 'docker-password'],
  options: (cmd) =>
    cmd
      .option('--docker-server <server>', 'Server location for Docker registry', 'https://index.docker.io/v1/')
      .option('--docker-username <name>', 'Username for Docker registry authentication')
      .option('--docker-password <password>', 'Password for Docker registry authentication')
      .option('--docker-email <email>', 'Email for Docker registry', ''),
  build: (ctx) =>
    buildDockerSecret(ctx.meta, { server: f(ctx)['dockerServer'], username: f(ctx)['dockerUsername'], password: f(ctx)['dockerPassword'], email: f(ctx)['dockerEmail'] }),
};

const tlsSecret: Generator = {
  name: 'tls',
  description: 'Create a TLS secret',
  apiVersion: 'v1',
  plural: 'secrets',
  namespaced: true,
  errorPrefix: 'failed to create secret ',
  required: ['cert', 'key'],
  options: (cmd) => cmd.option('--cert <file>', 'Path to PEM encoded public key certificate.').option('--key <file>', 'Path to private key associated with given certificate.'),
  build: (ctx) => buildTlsSecret(ctx.meta, f(ctx)['cert'], f(ctx)['key']),
};

/** Generators directly under `create`. */
export const GENERATORS: Generator[] = [
  deployment,
  job,
  cronjob,
  namespace,
  configmap,
  serviceaccount,
  quota,
  pdb,
  priorityClass,
  ingressGenerator,
  roleGenerator('Role'),
  roleGenerator('ClusterRole'),
  bindingGenerator('RoleBinding'),
  bindingGenerator('ClusterRoleBinding'),
];

/** Generators under `create service`. */
export const SERVICE_GENERATORS: Generator[] = [
  serviceGenerator('clusterip', 'ClusterIP'),
  serviceGenerator('nodeport', 'NodePort'),
  serviceGenerator('loadbalancer', 'LoadBalancer'),
  serviceGenerator('externalname', 'ExternalName'),
];

/** Generators under `create secret`. */
export const SECRET_GENERATORS: Generator[] = [genericSecret, dockerSecret, tlsSecret];
