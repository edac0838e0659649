#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { CliError, EXIT } from './cli-error';
import { instanceActionCommands } from './commands/instance-action.commands';
import { launchCommand } from './commands/launch.command';
import { logCommands } from './commands/log.commands';
import { replayCommand } from './commands/replay.command';
import { resourceCommands } from './commands/resource.commands';
import { sessionCommands } from './commands/session.commands';

/** `orch`: the orchestrator's command-line client (see the README, "The orch command"). */
function program(): Command {
  const root = new Command('orch')
    .description('drive an orchestrator cloud: launch and act on instances, read resources and their history, follow the log')
    .option('--profile <name>', 'the login profile to use (else ORCH_PROFILE, else the last logged in)')
    .option('-o, --output <format>', 'table or json', 'table')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) });
  sessionCommands(root);
  resourceCommands(root);
  launchCommand(root);
  instanceActionCommands(root);
  logCommands(root);
  replayCommand(root);
  return root;
}

async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return EXIT.OK;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    if (error instanceof CliError) {
      process.stderr.write(`orch: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`orch: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.FAILED;
  }
}

main(process.argv).then((code) => process.exit(code));
