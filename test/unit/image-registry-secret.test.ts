/**
 * The password of `fromRegistry(ref, { secret: { username, password } })` shows nowhere a tool might print it: not
 * in `console.log`/`util.inspect` or `JSON.stringify` of what `compileImage` returns (and `BuiltImage.compiled`
 * holds), not in the error for a `secret` of the wrong shape (a string there is most likely the token itself). The
 * Auth service still gets it.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { registryCredentials } from '../../src/image/build-image.js';
import { Image, compileImage } from '../../src/image/index.js';
import { thrown } from '../fixtures/thrown.js';

const PASSWORD = 'S3CR3T-registry-password-81c2';
const REF = 'ghcr.io/org/private:1';

describe('fromRegistry secret', () => {
  const image = Image.fromRegistry(REF, { secret: { username: 'robot', password: PASSWORD } }).runCommands('echo hi');

  it('is shown as <redacted> when the compilation is logged or serialised, and still reaches the Auth service', () => {
    const compiled = compileImage(image);
    const secret = compiled.registrySecrets.get('ghcr.io/org/private:1');
    expect(inspect(compiled, { depth: Infinity })).not.toContain(PASSWORD);
    expect(inspect(compiled.registrySecrets)).toContain(`{ username: 'robot', password: '<redacted>' }`);
    expect(inspect(secret, { showHidden: false })).toBe(`{ username: 'robot', password: '<redacted>' }`);
    expect(JSON.stringify(secret)).toBe('{"username":"robot","password":"<redacted>"}');
    expect(JSON.stringify([...compiled.registrySecrets])).not.toContain(PASSWORD);
    expect(secret !== undefined && 'password' in secret ? secret.password : undefined).toBe(PASSWORD);
    expect(registryCredentials(compiled.registrySecrets, {})).toEqual({ 'ghcr.io': { username: 'robot', password: PASSWORD } });
  });

  it('of the wrong shape fails without showing the value', () => {
    const asString = thrown(() => Image.fromRegistry(REF, { secret: PASSWORD as never }));
    expect(asString.code).toBe('invalid_argument');
    expect(asString.message).toBe('secret must be { username, password } or { usernameEnv, passwordEnv }, got a string');
    const notString = thrown(() => Image.fromRegistry(REF, { secret: { username: 'robot', password: Buffer.from(PASSWORD) as never } }));
    expect(notString.message).toBe('secret.password must be a non-empty string (the password or token), got an object');
    expect(JSON.stringify({ message: notString.message, hint: notString.hint, details: notString.details })).not.toContain(PASSWORD);
    expect(thrown(() => Image.fromRegistry(REF, { secret: { username: 'robot', password: ' ' } })).message).toBe(
      'secret.password must be a non-empty string (the password or token), got an empty one',
    );
  });
});
