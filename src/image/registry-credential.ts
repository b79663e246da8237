/**
 * Literal registry credentials (`fromRegistry(ref, { secret: { username, password } })`) held so that the password
 * does not show when what holds them is logged: `console.log`/`util.inspect` of a `BuiltImage` or `CompiledImage`
 * (their `registrySecrets`) and `JSON.stringify` print `password: '<redacted>'`. Reading `.password` gives the
 * password, as the Auth service needs.
 *
 * Internal module.
 */
import { inspect } from 'node:util';
import type { RegistrySecret } from './steps.js';

const REDACTED = '<redacted>';

/** A frozen `{ username, password }` whose password is not enumerable and is shown as `<redacted>`. */
export function literalRegistrySecret(username: string, password: string): RegistrySecret {
  const shown = (): { username: string; password: string } => ({ username, password: REDACTED });
  const secret = { username };
  Object.defineProperties(secret, {
    password: { value: password, enumerable: false },
    toJSON: { value: shown, enumerable: false },
    [inspect.custom]: { value: shown, enumerable: false },
  });
  return Object.freeze(secret) as RegistrySecret;
}
