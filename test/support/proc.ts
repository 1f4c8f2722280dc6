import { readFileSync } from 'node:fs';

/**
 * The fields of `/proc/<pid>/stat`, or of one thread's `/proc/<pid>/task/<tid>/stat`, from field 3
 * (state) on: field N of proc(5) is at index N - 3. The command name before them may hold spaces
 * and parentheses, so the split starts after its last `)`.
 */
export function procStatFields(pid: number, tid?: number): string[] {
  const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}
