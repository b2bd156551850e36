import type { Role } from '../accounts/users-repository.js';
import type {
  ConnectFailureCode as ApiConnectFailureCode,
  ConnectionStatusReasonCode,
  ConnectionView,
  DisconnectReport as ApiDisconnectReport,
} from '../api/connections.js';
import type { Role as ApiRole } from '../api/fields.js';
import type { ConnectBlockedCode } from '../connections/connections-service.js';
import type { DisconnectReport } from '../connections/disconnect.js';
import type { ConnectFailureCode, ConnectionStatusReason } from '../connections/outcome-codes.js';

/**
 * Compile-time proofs that the words clients see (the contract, src/api) are the domain's.
 * Domain modules declare their own vocabulary and never import the contract; the contract
 * declares what it promises clients; this module sees both and stops the build (npm run
 * typecheck) when a code is added to one and not the other.
 */

/** True when A and B are assignable both ways: the same union of codes, the same fields. */
type Equal<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Proof<T extends true> = T;

export type VocabularyProofs = [
  Proof<Equal<Role, ApiRole>>,
  Proof<Equal<ConnectFailureCode, ApiConnectFailureCode>>,
  Proof<Equal<ConnectionStatusReason, ConnectionStatusReasonCode>>,
  Proof<Equal<DisconnectReport, ApiDisconnectReport>>,
  Proof<Equal<Exclude<ConnectBlockedCode, 'already_connected'>, NonNullable<ConnectionView['connectBlockedBy']>['code']>>,
];
