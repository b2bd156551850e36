import { OperatorError } from './operator-error.js';

/**
 * Turns the usual reasons a server cannot listen (port taken, privileged port, a host that is
 * not an address of this machine) into an OperatorError naming the variables to change; any
 * other error is returned unchanged.
 */
export function explainListenError(
  error: unknown,
  where: string,
  variables: { port: string; host: string },
): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const problem =
    code === 'EADDRINUSE'
      ? `the port is already in use. Stop the program using it, or set ${variables.port} to a free port.`
      : code === 'EACCES'
        ? `permission denied (ports below 1024 need privileges). Set ${variables.port} to 1024 or higher.`
        : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND'
          ? `${variables.host} is not an address of this machine. Check ${variables.host}.`
          : undefined;
  return problem === undefined ? error : new OperatorError(`cannot listen on ${where}: ${problem}`, { cause: error });
}
