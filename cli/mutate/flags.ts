/**
 * Flag sets of kd's mutating verbs, kept free of other imports so that registering the commands
 * costs a one-shot `kd get` nothing.
 */
import type { Command } from 'commander';
import { withTemplateFlags } from '../print/print-flags.js';

/** Adds `--dry-run` as kubectl has it: a value of none|client|server, bare meaning client. */
export function withDryRunFlag(cmd: Command): Command {
  return cmd.option('--dry-run [strategy]', 'Must be "none", "server", or "client".', 'none');
}

/** Adds `-o/--output` for a verb that prints the objects it changed. */
export function withOutputFlag(cmd: Command): Command {
  return withTemplateFlags(cmd.option('-o, --output <format>', 'Output format: json, yaml, name, jsonpath=<template>'));
}

/** Adds `-f/--filename` (repeatable) and `-R/--recursive`. */
export function withFilenameFlags(cmd: Command, usage: string): Command {
  return cmd
    .option('-f, --filename <file>', `Filename, directory, or URL to files ${usage}`, (v: string, p: string[]) => [...p, v], [])
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.');
}

/** Adds the flags label and annotate share. */
export function withPairFlags(cmd: Command, verb: 'label' | 'annotate'): Command {
  const what = verb === 'label' ? 'labels' : 'annotations';
  withTemplateFlags(cmd);
  return cmd
    .option('--overwrite', `If true, allow ${what} to be overwritten, otherwise reject ${verb} updates that overwrite existing ${what}.`)
    .option('--list', `If true, display the ${what} for a given resource.`)
    .option('--all', 'Select all resources, in the namespace of the specified resource types')
    .option('-A, --all-namespaces', 'If true, check the specified action in all namespaces.')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--field-selector <selector>', 'Selector (field query) to filter on')
    .option('--resource-version <version>', `If non-empty, the ${what} update will only succeed if this is the current resource-version for the object.`)
    .option('-f, --filename <file>', 'Filename, directory, or URL to files identifying the resource to update', (v: string, p: string[]) => [...p, v], [])
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option('-o, --output <format>', 'Output format: json, yaml, name, jsonpath=<template>')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client".', 'none')
    .option('--field-manager <name>', 'Name of the manager used to track field ownership.')
    .option('--local', `If true, ${verb} will NOT contact api-server but run locally.`);
}
