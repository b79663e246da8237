/**
 * Credentials written into package source URLs (`https://user:TOKEN@pypi.corp/simple`, `git+https://TOKEN@host/…`,
 * a conda channel's `/t/TOKEN/`). Whatever an installer's URL holds is part of its step's command line, so of the build
 * definition: `image.digest()`, the cache key (a rotated token reruns the step and every later one), `kiln llb`,
 * the progress names, `toDockerfile()` and BuildKit's build history. kiln refuses such URLs and says how to pass the
 * credential as a build secret instead; found URLs are shown with the credential masked, never as written.
 *
 * Internal module.
 */
import { invalidArgument } from '../errors.js';
import type { Site } from './validate.js';

/** A URL with its user information: `scheme://userinfo@host…` (scheme letters as RFC 3986, `git+https` included). */
const USERINFO_URL = /\b([a-z][a-z0-9+.-]*):\/\/([^\s/?#@]+)@([^\s/?#]+)([^\s]*)/gi;

/**
 * A credential written as variables (`${PIP_TOKEN}`, `$PIP_TOKEN`) comes from the step's environment (a build secret
 * exposed by `secrets`): the shell expands it in kiln's command lines, pip in requirements files.
 */
const VARIABLES_ONLY = /^(?:\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*)+$/;

/** A conda token in a channel URL's path (`https://conda.anaconda.org/t/<token>/channel`). */
const CONDA_TOKEN = /^([a-z][a-z0-9+.-]*:\/\/[^/\s]+)((?:\/[^/\s]+)*?)\/t\/([^/\s]+)(\/.*)?$/i;

/** Options of {@link credentialUrl}. */
export interface CredentialScan {
  /** Also a conda `/t/<token>/` path segment. */
  readonly condaToken?: boolean;
}

/**
 * The first URL in `text` that carries a credential, masked for messages (`https://user:***@pypi.corp/simple`), or
 * undefined. A password written as a variable is not one (`https://user:${PIP_TOKEN}@…`). A user name alone over ssh (`git+ssh://git@github.com/…`) is not a credential; over http(s) it is (a
 * token given as the user name, as GitHub accepts).
 */
export function credentialUrl(text: string, scan: CredentialScan = {}): string | undefined {
  for (const m of text.matchAll(USERINFO_URL)) {
    const [, scheme = '', userinfo = '', host = '', rest = ''] = m;
    const colon = userinfo.indexOf(':');
    const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
    const secret = colon < 0 ? userinfo : userinfo.slice(colon + 1);
    if (secret === '' || VARIABLES_ONLY.test(secret)) continue;
    if (colon < 0 && /ssh$/i.test(scheme)) continue;
    const masked = colon < 0 ? '***' : `${user}:***`;
    return `${scheme}://${masked}@${host}${rest}`;
  }
  if (scan.condaToken === true) {
    for (const word of text.split(/\s+/)) {
      const t = CONDA_TOKEN.exec(word);
      if (t !== null && !VARIABLES_ONLY.test(t[3] ?? '')) return `${t[1] ?? ''}${t[2] ?? ''}/t/***${t[4] ?? ''}`;
    }
  }
  return undefined;
}

/** The user-facing advice for a credential found in a pip-style option or requirement. */
export function pipCredentialHint(method: string): string {
  return (
    `Pass the URL without the credential and the credential as build secrets: ${method}(…, { indexUrl: 'https://pypi.example.com/simple', ` +
    `indexSecret: { usernameEnv: 'PIP_USER', passwordEnv: 'PIP_TOKEN' } }) with kiln build --secret id=PIP_USER --secret id=PIP_TOKEN ` +
    `(or buildImage's secrets). Or write the password as a variable read from a build secret: ` +
    `indexUrl: 'https://user:\${PIP_TOKEN}@pypi.example.com/simple', secrets: ['PIP_TOKEN']. ` +
    `For a private git repository: pipInstallPrivateRepos, or ssh: true with a git+ssh:// URL.`
  );
}

/**
 * Refuses `text` when a URL in it carries a credential: it would be written into the build definition (the image's
 * digest, every later step's cache key, progress, `toDockerfile()`, the daemon's build history).
 */
export function refuseCredential(
  text: string,
  what: string,
  site: Site,
  hint: string,
  { where = 'written into the image definition (its digest and cache key, so a new token rebuilds everything; progress; toDockerfile())', scan = {} }: { where?: string; scan?: CredentialScan } = {},
): void {
  const found = credentialUrl(text, scan);
  if (found === undefined) return;
  invalidArgument(`${what}: ${found} carries a credential, which would be ${where}; pass it as a build secret`, site, { hint });
}
