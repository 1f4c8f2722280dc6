/**
 * Completion of kd command lines, shared by the shell's TAB and by `kd __complete` (which the
 * bash and zsh scripts of `kd completion` call, as cobra's scripts call `__complete`). Verbs,
 * subcommands and flags come from the registered commander program; resource types from discovery;
 * object names from the caller's name source (the shell's watch-fed cache, or one list request).
 */
import type { Command } from 'commander';

/** A command as completion sees it: names, flags and subcommands, derived from commander. */
export interface CommandSpec {
  name: string;
  aliases: string[];
  flags: FlagSpec[];
  subcommands: CommandSpec[];
}

/** One flag: its `-x` / `--long` forms and whether it takes a value. */
export interface FlagSpec {
  short?: string;
  long?: string;
  takesValue: boolean;
}

/** What completion needs from the cluster; each call may fail (no cluster), which yields nothing. */
export interface CompletionSource {
  /** Resource type names to offer, e.g. `pods`, `deployments`. */
  resourceTypes(): Promise<string[]>;
  /** Names of the objects of a type (as typed: `po`, `deploy`…) in a scope (default: the context's namespace). */
  names(type: string, scope: NameScope): Promise<string[]>;
  /** Context names of the kubeconfig. */
  contexts(): Promise<string[]>;
}

/** Where names are looked up: a namespace given with -n, or all namespaces with -A. */
export interface NameScope {
  namespace?: string;
  allNamespaces?: boolean;
}

/** What to do with the candidates besides offering them (cobra's ShellCompDirective values). */
export const DIRECTIVE_DEFAULT = 0;
export const DIRECTIVE_NO_SPACE = 2;
export const DIRECTIVE_NO_FILE_COMP = 4;

/** Candidates and cobra's directive. */
export interface Completion {
  candidates: string[];
  directive: number;
}

/** The -o values kubectl offers. */
const OUTPUT_FORMATS = ['json', 'yaml', 'name', 'wide', 'jsonpath=', 'custom-columns=', 'go-template='];

/** What the positional arguments of a verb are, for the verbs whose arguments name objects. */
const POSITIONAL_KINDS: Record<string, 'resource' | 'pods' | 'nodes' | 'types'> = {
  get: 'resource', describe: 'resource', delete: 'resource', edit: 'resource', label: 'resource', annotate: 'resource',
  patch: 'resource', scale: 'resource', autoscale: 'resource', expose: 'resource', wait: 'resource', taint: 'resource',
  rollout: 'resource', set: 'resource', logs: 'pods', exec: 'pods', attach: 'pods', 'port-forward': 'pods', cp: 'pods',
  'top pod': 'pods', 'top node': 'nodes', cordon: 'nodes', uncordon: 'nodes', drain: 'nodes', explain: 'types',
};

/** Builds the completion spec of a commander program; commands named `__…` are hidden. */
export function specOf(cmd: Command): CommandSpec {
  const flags: FlagSpec[] = cmd.options.filter((o) => !o.hidden).map((o) => ({
    ...(o.short ? { short: o.short } : {}),
    ...(o.long ? { long: o.long } : {}),
    takesValue: o.required || o.optional,
  }));
  if (cmd.commands.length === 0 || cmd.parent) flags.push({ short: '-h', long: '--help', takesValue: false });
  return {
    name: cmd.name(),
    aliases: cmd.aliases(),
    flags,
    subcommands: cmd.commands.filter((c) => !c.name().startsWith('__')).map(specOf),
  };
}

/** The command path, flag values and positional arguments of the words before the one completed. */
interface Parsed {
  path: CommandSpec[];
  positionals: string[];
  values: Map<string, string>;
  /** The flag whose value the completed word is, if any. */
  pendingFlag?: FlagSpec;
}

function findFlag(path: CommandSpec[], word: string): FlagSpec | undefined {
  const name = word.includes('=') ? word.slice(0, word.indexOf('=')) : word;
  for (const c of [...path].reverse()) {
    const f = c.flags.find((x) => x.long === name || x.short === name);
    if (f) return f;
  }
  return undefined;
}

function parseWords(root: CommandSpec, words: string[]): Parsed {
  const parsed: Parsed = { path: [root], positionals: [], values: new Map() };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const current = parsed.path.at(-1)!;
    if (w.startsWith('-') && w !== '-') {
      const flag = findFlag(parsed.path, w);
      if (!flag) continue;
      const key = flag.long ?? flag.short!;
      if (!flag.takesValue) {
        parsed.values.set(key, 'true');
        continue;
      }
      if (w.includes('=')) parsed.values.set(key, w.slice(w.indexOf('=') + 1));
      else if (i + 1 < words.length) parsed.values.set(key, words[++i]!);
      else parsed.pendingFlag = flag;
      continue;
    }
    const sub = parsed.positionals.length === 0 ? current.subcommands.find((c) => c.name === w || c.aliases.includes(w)) : undefined;
    if (sub) parsed.path.push(sub);
    else parsed.positionals.push(w);
  }
  return parsed;
}

/**
 * Completes the last word of `words` (the words after `kd`; the last one is being typed and may
 * be empty). Failures of the source (no cluster) give no candidates rather than an error.
 *
 * @example
 * await complete(spec, ['get', 'po'], source); // { candidates: ['pods', 'poddisruptionbudgets', …], directive: 4 }
 */
export async function complete(root: CommandSpec, words: string[], source: CompletionSource): Promise<Completion> {
  const cur = words.at(-1) ?? '';
  const parsed = parseWords(root, words.slice(0, -1));
  const filter = (list: string[], directive = DIRECTIVE_NO_FILE_COMP): Completion => ({
    candidates: [...new Set(list)].filter((c) => c.startsWith(cur)).sort(),
    directive,
  });
  const safe = async (fn: () => Promise<string[]>): Promise<string[]> => fn().catch(() => []);
  if (parsed.pendingFlag) return completeFlagValue(parsed.pendingFlag, source, filter, safe);
  if (cur.startsWith('--') && cur.includes('=')) {
    const flag = findFlag(parsed.path, cur);
    if (!flag) return filter([]);
    const prefix = cur.slice(0, cur.indexOf('=') + 1);
    const inner = await completeFlagValue(flag, source, (l, d) => ({ candidates: l, directive: d ?? DIRECTIVE_NO_FILE_COMP }), safe);
    return filter(inner.candidates.map((c) => prefix + c), inner.directive);
  }
  const current = parsed.path.at(-1)!;
  if (cur.startsWith('-')) {
    return filter(parsed.path.slice(1).flatMap((c) => c.flags).flatMap((f) => [f.long, f.short].filter((x): x is string => !!x)));
  }
  if (current.subcommands.length > 0 && parsed.positionals.length === 0) {
    return filter(current.subcommands.flatMap((c) => [c.name, ...c.aliases]));
  }
  return filter(await safe(() => completePositional(parsed, cur, source)));
}

async function completeFlagValue(
  flag: FlagSpec,
  source: CompletionSource,
  filter: (list: string[], directive?: number) => Completion,
  safe: (fn: () => Promise<string[]>) => Promise<string[]>,
): Promise<Completion> {
  switch (flag.long) {
    case '--namespace':
      return filter(await safe(() => source.names('namespaces', {})));
    case '--output':
      return filter(OUTPUT_FORMATS, DIRECTIVE_NO_SPACE | DIRECTIVE_NO_FILE_COMP);
    case '--context':
      return filter(await safe(() => source.contexts()));
    case '--filename':
    case '--kubeconfig':
      return { candidates: [], directive: DIRECTIVE_DEFAULT };
    default:
      return filter([]);
  }
}

/** Types, `type/name` forms or names, depending on the verb and the arguments typed so far. */
async function completePositional(parsed: Parsed, cur: string, source: CompletionSource): Promise<string[]> {
  const names = parsed.path.slice(1).map((c) => c.name);
  const kind = POSITIONAL_KINDS[names.join(' ')] ?? POSITIONAL_KINDS[names[0] ?? ''];
  const namespace = parsed.values.get('--namespace');
  const ns: NameScope = { ...(namespace ? { namespace } : {}), allNamespaces: parsed.values.has('--all-namespaces') };
  if (kind === 'pods' || kind === 'nodes') return parsed.positionals.length === 0 ? source.names(kind, ns) : [];
  if (kind === 'types') return parsed.positionals.length === 0 ? source.resourceTypes() : [];
  if (kind !== 'resource') return [];
  if (cur.includes('/')) {
    const type = cur.slice(0, cur.indexOf('/'));
    return (await source.names(type, ns)).map((n) => `${type}/${n}`);
  }
  const first = parsed.positionals[0];
  if (first === undefined) return source.resourceTypes();
  if (first.includes('/')) return [];
  const given = new Set(parsed.positionals.slice(1));
  const all = await Promise.all(first.split(',').filter((t) => t !== '').map((t) => source.names(t, ns)));
  return all.flat().filter((n) => !given.has(n));
}

/** The connection flags among a line's words (all but the one being completed): --kubeconfig, --context, -n. */
export function kubeFlagsOf(words: string[]): { kubeconfig?: string; context?: string; namespace?: string } {
  const flags: Record<string, string> = {};
  const names: Record<string, string> = { '--kubeconfig': 'kubeconfig', '--context': 'context', '--namespace': 'namespace', '-n': 'namespace' };
  words.slice(0, -1).forEach((w, i, all) => {
    const eq = w.indexOf('=');
    const key = names[eq > 0 ? w.slice(0, eq) : w];
    if (!key) return;
    const value = eq > 0 ? w.slice(eq + 1) : all[i + 1];
    if (value !== undefined) flags[key] = value;
  });
  return flags;
}
