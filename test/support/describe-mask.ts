/**
 * Masks for `kubectl describe` output from a live daemon, so a golden can hold the whole layout
 * exactly while the parts that vary run to run (times, ages, random name suffixes, IPs, IDs) are
 * replaced. Masks keep the width of what they replace wherever a tabwriter column follows, so the
 * alignment kubectl computed stays visible and checked in the golden.
 */
import assert from 'node:assert/strict';

/** RFC1123Z as describe prints timestamps (`Wed, 25 Nov 2026 21:19:09 +0000`). */
const RFC1123Z = /\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}/g;
/** Same width as an RFC1123Z timestamp, so table columns after it stay aligned. */
const TIME_MASK = '<time>'.padEnd(31, '.');
/** Width of the masked Age cell: the token plus the tabwriter's two-space padding. */
const AGE_CELL_WIDTH = 7;

/**
 * Replaces the Age column of every `Type Reason Age From Message` events table (and the Age
 * column of describe node's pod table) by `<age>`, after checking each row is aligned on the
 * header's column starts. Ages come from the wall clock in kubectl against virtual timestamps, so
 * their text (and the column width) cannot be fixed.
 */
export function maskAgeColumns(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const header = lines[i]!;
    const age = header.search(/ {2}Age( {2}|$)/);
    if (!/^\s+(Type|Namespace)\s/.test(header) || age < 0) continue;
    const start = age + 2;
    const next = header.slice(start + 3).search(/\S/);
    const end = next < 0 ? Infinity : start + 3 + next;
    let j = i + 1;
    for (; j < lines.length && /^\s+\S/.test(lines[j]!) && !/^\S/.test(lines[j]!); j++) {
      const row = lines[j]!;
      if (end !== Infinity) {
        assert.ok(row.length > end && row[end - 1] === ' ' && row[end] !== ' ', `row not aligned on the header's columns:\n${header}\n${row}`);
      }
      assert.ok(row[start] !== ' ' && row[start - 1] === ' ', `Age cell not at the header's column:\n${header}\n${row}`);
    }
    for (let k = i; k < j; k++) {
      const row = lines[k]!;
      // The dashes under Age differ by table: `----` for events, `---` for describe node's pods.
      const cell = k === i ? 'Age' : k === i + 1 ? row.slice(start).split(' ')[0]! : '<age>';
      lines[k] = row.slice(0, start) + (end === Infinity ? cell : cell.padEnd(AGE_CELL_WIDTH)) + (end === Infinity ? '' : row.slice(end));
    }
    i = j - 1;
  }
  return lines.join('\n');
}

/**
 * The masks every describe golden needs: timestamps, ages, container IDs, pod IPs, generated
 * 5-character name suffixes (kept at their length) and object UIDs.
 */
export function maskDescribe(text: string): string {
  return maskAgeColumns(text)
    .replace(RFC1123Z, TIME_MASK)
    .replace(/containerd:\/\/[0-9a-f]{64}/g, 'containerd://<container-id>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uid>')
    .replace(/\b10\.244\.\d+\.\d+\b(?!\/)/g, '<pod-ip>')
    .replace(/\b10\.(?:9[6-9]|10\d|11[01])\.\d+\.\d+\b/g, '<cluster-ip>')
    // generateName suffixes: five characters of the apimachinery alphabet (no vowels, no 0/1/3).
    .replace(/(?<=[a-z0-9])-[bcdfghjklmnpqrstvwxz2456789]{5}(?![a-z0-9])/g, '-xxxxx')
    .replace(/ in \d+(\.\d+)?m?s \(\d+(\.\d+)?m?s including waiting\)/g, ' in <duration> (<duration> including waiting)');
}
