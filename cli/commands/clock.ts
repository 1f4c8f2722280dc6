/**
 * `kd clock`: shows the cluster's virtual time, its speed and whether it is paused; `kd clock
 * speed N`, `kd clock pause|resume` and `kd clock advance 5m` change it. Everything time-based in
 * the cluster (back-offs, grace periods, tolerationSeconds, CronJobs, AGE) follows the clock.
 */
import type { Command } from 'commander';
import { UsageError } from './kube-flags.js';
import { admin, parseGoDuration, withDataDir, type AdminFlags } from './admin-flags.js';

const examples = `
Examples:
  # Show the cluster time, speed and whether the clock runs
  kd clock

  # Run the cluster 10 times faster than real time
  kd clock speed 10

  # Stop and restart time
  kd clock pause
  kd clock resume

  # Jump 5 minutes ahead: every timer due in between fires in order
  kd clock advance 5m`;

interface ClockView {
  time: string;
  speed: number;
  paused: boolean;
}

/** The one-line view of the clock every `kd clock` command prints. */
export function formatClock(c: ClockView): string {
  return `${c.time} (speed ${c.speed}x, ${c.paused ? 'paused' : 'running'})\n`;
}

async function change(flags: AdminFlags, body: object): Promise<void> {
  process.stdout.write(formatClock(await admin(flags, 'POST', '/kubedojo/clock', body)));
}

/** Adds `clock` and its subcommands to the root program. */
export function registerClock(program: Command): void {
  const clock = withDataDir(program.command('clock').description('Show or change the cluster clock: speed, pause, resume, advance').addHelpText('after', examples));
  clock.action(async (flags: AdminFlags) => {
    process.stdout.write(formatClock(await admin(flags, 'GET', '/kubedojo/clock')));
  });
  withDataDir(clock.command('speed').description('Run the cluster clock N times faster than real time').argument('<n>', 'positive number, e.g. 1, 10, 0.5'))
    .action(async (n: string, flags: AdminFlags) => {
      const speed = Number(n);
      if (!(speed > 0) || !Number.isFinite(speed) || n.trim() === '') throw new UsageError(`Cannot change the clock as the speed must be a positive number: current value is ${n}`, 'kd clock speed');
      await change(flags, { speed });
    });
  withDataDir(clock.command('pause').description('Stop the cluster clock')).action(async (flags: AdminFlags) => change(flags, { paused: true }));
  withDataDir(clock.command('resume').description('Start the cluster clock again')).action(async (flags: AdminFlags) => change(flags, { paused: false }));
  withDataDir(clock.command('advance').description('Move the cluster clock forward (Go duration: 90s, 5m, 1h30m)').argument('<duration>', 'how far, e.g. 5m'))
    .action(async (d: string, flags: AdminFlags) => {
      let ms: number;
      try {
        ms = parseGoDuration(d);
      } catch (err) {
        throw new UsageError(`invalid argument "${d}" for duration: ${(err as Error).message}`, 'kd clock advance');
      }
      await change(flags, { advanceSeconds: ms / 1000 });
    });
}
