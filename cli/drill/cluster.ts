/**
 * The drill engine's connection to a running daemon: reads through the Kubernetes API for the
 * checks, writes the setup's manifests, and drives the daemon's own admin endpoints (reset,
 * snapshots, faults, clock) under `/kubedojo/`. Everything goes over HTTP with the daemon's
 * kubeconfig, so the engine works on whatever cluster state the user left with kubectl.
 */
import type { DaemonInfo } from '../../schemas/daemon-info.js';
import type { FaultSpec, ObjectRef } from '../../schemas/drill.js';
import { KubeClient } from '../kube/client.js';
import { Discovery, resourcePath, type ApiResource } from '../kube/discovery.js';
import { ApiStatusError } from '../kube/errors.js';
import { resolveContext } from '../kube/kubeconfig.js';
import type { ClusterView } from './evaluate.js';
import { kindInfo, namespaceOf } from './kinds.js';

/** A snapshot of the daemon's admin API (the faults contract), as listed. */
export interface SnapshotInfo {
  name: string;
  time?: string;
}

/** A live daemon seen by the drill engine. */
export class DrillCluster implements ClusterView {
  private constructor(
    private readonly client: KubeClient,
    private readonly discovery: Discovery,
  ) {}

  /** Connects to a daemon through the kubeconfig it wrote and loads discovery. */
  static async open(info: DaemonInfo): Promise<DrillCluster> {
    const client = new KubeClient(resolveContext({ kubeconfig: info.kubeconfig }));
    try {
      return new DrillCluster(client, await Discovery.load(client));
    } catch (err) {
      await client.close();
      throw err;
    }
  }

  /** Releases the connections. */
  async close(): Promise<void> {
    await this.client.close();
  }

  private resource(kind: string, apiVersion?: string): ApiResource {
    return this.discovery.forKind(kindInfo(kind, apiVersion).apiVersion, kind);
  }

  private pathOf(ref: ObjectRef): string {
    return resourcePath(this.resource(ref.kind, ref.apiVersion), namespaceOf(ref.kind, ref.namespace, ref.apiVersion), ref.name);
  }

  async get(ref: ObjectRef): Promise<any | undefined> {
    try {
      return await this.client.getJson(this.pathOf(ref));
    } catch (err) {
      if (err instanceof ApiStatusError && err.code === 404) return undefined;
      throw err;
    }
  }

  async list(kind: string, opts: { apiVersion?: string; namespace?: string; labelSelector?: string }): Promise<any[]> {
    const r = this.resource(kind, opts.apiVersion);
    const query = opts.labelSelector ? `?labelSelector=${encodeURIComponent(opts.labelSelector)}` : '';
    const list = await this.client.getJson(`${resourcePath(r, opts.namespace)}${query}`);
    return list.items ?? [];
  }

  /** Creates an object; one that exists already is merge-patched with the manifest instead. */
  async apply(obj: any): Promise<void> {
    const ref: ObjectRef = { kind: obj.kind, apiVersion: obj.apiVersion, name: obj.metadata?.name, namespace: obj.metadata?.namespace };
    const r = this.resource(ref.kind, ref.apiVersion);
    try {
      await this.client.request('POST', resourcePath(r, namespaceOf(ref.kind, ref.namespace, ref.apiVersion)), { body: obj });
    } catch (err) {
      if (!(err instanceof ApiStatusError && err.code === 409)) throw err;
      await this.patch(ref, obj);
    }
  }

  /** A JSON merge patch of one object. */
  async patch(ref: ObjectRef, patch: Record<string, unknown>): Promise<void> {
    await this.client.request('PATCH', this.pathOf(ref), { body: patch, contentType: 'application/merge-patch+json' });
  }

  /** Deletes one object in the foreground-less default way; an absent object is fine. */
  async delete(ref: ObjectRef): Promise<void> {
    try {
      await this.client.request('DELETE', this.pathOf(ref));
    } catch (err) {
      if (!(err instanceof ApiStatusError && err.code === 404)) throw err;
    }
  }

  /** `POST /kubedojo/reset`: a fresh cluster in place. */
  async reset(): Promise<void> {
    await this.client.request('POST', '/kubedojo/reset');
  }

  /** The daemon's snapshots, or undefined when this daemon has no snapshot API. */
  async snapshots(): Promise<SnapshotInfo[] | undefined> {
    try {
      return ((await this.client.getJson('/kubedojo/snapshots')) as { items?: SnapshotInfo[] }).items ?? [];
    } catch (err) {
      if (err instanceof ApiStatusError && (err.code === 404 || err.code === 405)) return undefined;
      throw err;
    }
  }

  /** Saves the whole cluster state under a name. */
  async saveSnapshot(name: string): Promise<void> {
    await this.client.request('POST', '/kubedojo/snapshots', { body: { name } });
  }

  /** Puts a saved state back in place; false when there is no such snapshot (or no snapshot API). */
  async restoreSnapshot(name: string): Promise<boolean> {
    try {
      await this.client.request('POST', `/kubedojo/snapshots/${encodeURIComponent(name)}/restore`);
      return true;
    } catch (err) {
      if (err instanceof ApiStatusError && err.code === 404) return false;
      throw err;
    }
  }

  /** Adds a fault (or runs a one-shot fault action). */
  async addFault(fault: FaultSpec): Promise<void> {
    await this.client.request('POST', '/kubedojo/faults', { body: fault });
  }

  /** Removes every fault; a daemon without the faults API has none to remove. */
  async clearFaults(): Promise<void> {
    try {
      await this.client.request('DELETE', '/kubedojo/faults');
    } catch (err) {
      if (!(err instanceof ApiStatusError && (err.code === 404 || err.code === 405))) throw err;
    }
  }

  /** Moves the virtual clock on by some seconds. */
  async advance(seconds: number): Promise<void> {
    await this.client.request('POST', '/kubedojo/clock', { body: { advanceSeconds: seconds } });
  }
}
