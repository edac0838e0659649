import cliProgress from 'cli-progress';

/** One progress bar on stderr: drawn live on a terminal, else a line at most once a second and the last one. */
export function progressBar(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): { update(value: number): void; stop(): void } {
  let value = 0;
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar({ stream, format: `${label} |{bar}| {value}/{total} events`, hideCursor: true }, cliProgress.Presets.shades_classic);
    bar.start(total, 0);
    return { update: (v) => bar.update((value = v)), stop: () => bar.stop() };
  }
  let lastAt = 0;
  const line = () => stream.write(`${label}: ${value} of ${total} events\n`);
  return {
    update: (v) => {
      value = v;
      if (Date.now() - lastAt < 1_000) return;
      lastAt = Date.now();
      line();
    },
    stop: line,
  };
}
