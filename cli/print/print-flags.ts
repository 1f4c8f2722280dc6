/**
 * kubectl's template printer flags (cli-runtime genericclioptions/template_flags.go and
 * jsonpath_flags.go): `--template` and `--allow-missing-template-keys`. A verb adds them with
 * `withTemplateFlags`; their values are kept here for the one command a kd process runs, so every
 * printer factory reads them without each verb passing them along. Kept free of static imports:
 * verbs register these flags at start-up.
 */
import type { Command } from 'commander';

/** The template printer flags' values. */
export interface TemplateFlags {
  /** `--template`: the template or its file, for `-o go-template|jsonpath[-file]…` without `=`. */
  template?: string;
  /** `--allow-missing-template-keys` (default true). */
  allowMissingTemplateKeys: boolean;
}

let current: TemplateFlags = { allowMissingTemplateKeys: true };

/** The values of the running command's template flags. */
export function templateFlags(): TemplateFlags {
  return current;
}

/** The `-o` value in effect: kubectl prints `--template` as a go-template when `-o` is not given. */
export function effectiveOutput(output: string | undefined): string {
  const out = output ?? '';
  return out === '' && current.template ? 'go-template' : out;
}

/** Go's strconv.ParseBool, for the flag's value; pflag's usage error otherwise. */
async function parseBool(value: string, action: Command): Promise<boolean> {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  const names: string[] = [];
  for (let c: Command | null = action; c?.parent; c = c.parent) names.unshift(c.name());
  const { PreformattedError } = await import('../commands/kube-flags.js');
  throw new PreformattedError([
    `error: invalid argument ${JSON.stringify(value)} for "--allow-missing-template-keys" flag: strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`,
    `See '${['kubectl', ...names].join(' ')} --help' for usage.`,
  ]);
}

/** Adds `--template` and `--allow-missing-template-keys` to a verb that prints objects with `-o`. */
export function withTemplateFlags(cmd: Command): Command {
  cmd
    .option('--template <string>', 'Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].')
    .option('--allow-missing-template-keys [bool]', 'If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.');
  cmd.hook('preAction', async (_self, action) => {
    const opts = action.opts() as { template?: string; allowMissingTemplateKeys?: string | boolean };
    const allow = opts.allowMissingTemplateKeys;
    current = { template: opts.template, allowMissingTemplateKeys: allow === undefined || allow === true ? true : await parseBool(String(allow), action) };
  });
  return cmd;
}
