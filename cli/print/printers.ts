/**
 * The printers every `-o` verb shares beyond json, yaml and name (cli-runtime
 * genericclioptions/print_flags.go, template_flags.go, jsonpath_flags.go, kyaml_flags.go): `go-template`,
 * `go-template-file`, `template`, `templatefile`, `jsonpath`, `jsonpath-file`, `jsonpath-as-json` and
 * `kyaml`. get, the mutating verbs and the writing verbs each keep their own json/yaml/name behaviour
 * and their own list of formats for the "unable to match a printer" error; the rest is built here once.
 */
import { templateFlags } from './print-flags.js';

/** A printer of one object (or of get's List). */
export type ObjectPrint = (obj: any) => string;

const GO_TEMPLATE_FORMATS = ['go-template', 'go-template-file', 'template', 'templatefile'];
const JSONPATH_FORMATS = ['jsonpath', 'jsonpath-as-json', 'jsonpath-file'];

/**
 * Splits `format=template` as kubectl's template flags do; an explicit `--template` wins and then
 * `-o` must name the format alone.
 */
function splitFormat(output: string, formats: string[]): { format: string; value: string } {
  const flag = templateFlags().template ?? '';
  if (flag !== '') return { format: output, value: flag };
  for (const f of formats) if (output.startsWith(`${f}=`)) return { format: f, value: output.slice(f.length + 1) };
  return { format: output, value: '' };
}

/** Reads a template file as kubectl does, with its error text. */
async function readTemplateFile(path: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new Error(`error reading --template ${path}, open ${path}: ${reason}`);
  }
}

/** Writes what a failed template run printed, then fails with kubectl's error. */
function withTemplateErrors(print: ObjectPrint): ObjectPrint {
  return (obj) => {
    try {
      return print(obj);
    } catch (err) {
      const stdout = (err as { stdout?: unknown }).stdout;
      if (typeof stdout !== 'string') throw err;
      process.stdout.write(stdout);
      throw new Error((err as Error).message);
    }
  };
}

async function goTemplatePrinter(format: string, value: string): Promise<ObjectPrint> {
  if (value === '') throw new Error('template format specified but no template given');
  const text = format === 'templatefile' || format === 'go-template-file' ? await readTemplateFile(value) : value;
  const { compileGoTemplate } = await import('./go-template.js');
  return withTemplateErrors(compileGoTemplate(text, { allowMissingKeys: templateFlags().allowMissingTemplateKeys }));
}

async function jsonPathPrinter(format: string, value: string): Promise<ObjectPrint> {
  if (value === '') throw new Error('template format specified but no template given');
  const text = format === 'jsonpath-file' ? await readTemplateFile(value) : value;
  const jsonpath = await import('./jsonpath.js');
  const printer = { allowMissingKeys: templateFlags().allowMissingTemplateKeys };
  if (format !== 'jsonpath-as-json') return jsonpath.compileJsonPath(text, printer);
  const results = jsonpath.compileJsonPathResults(text, printer);
  const { printJson } = await import('./generic.js');
  return (obj) => results(obj).map(printJson).join('');
}

/**
 * The printer for a template, jsonpath or kyaml format; undefined when `output` is none of them, so
 * the caller goes on to its own formats and its own error.
 *
 * `strip` is the caller's managedFields policy for kyaml (templates see every field); `typed` objects
 * (built by a generator) keep their field order in kyaml, as kubectl's structs marshal.
 *
 * @example
 * const print = await sharedPrinter('go-template={{.metadata.name}}');
 */
export async function sharedPrinter(output: string, opts: { strip?: (obj: any) => any; typed?: boolean } = {}): Promise<ObjectPrint | undefined> {
  const go = splitFormat(output, GO_TEMPLATE_FORMATS);
  if (GO_TEMPLATE_FORMATS.includes(go.format)) return goTemplatePrinter(go.format, go.value);
  const jp = splitFormat(output, JSONPATH_FORMATS);
  if (JSONPATH_FORMATS.includes(jp.format)) return jsonPathPrinter(jp.format, jp.value);
  if (output === 'kyaml') {
    const { printKyaml } = await import('./kyaml.js');
    const strip = opts.strip ?? ((obj: any) => obj);
    return (obj) => printKyaml(strip(obj), { sorted: !opts.typed });
  }
  return undefined;
}
