/**
 * Extra apt repositories for one `aptInstall` step (`repositories`): a company's Debian repository (Artifactory,
 * Nexus, aptly) signed with its own key and behind HTTP Basic auth. Everything lives in a tmpfs for the step only:
 * a deb822 `.sources` per repository (with the image's own sources copied next to it, read through apt's
 * `Dir::Etc::SourceParts`), the signing key copied from a local file mounted for the step (`Signed-By`), and the
 * credential, an `auth.conf.d` file written from build secrets (apt's `Dir::Etc::netrcparts`). The image keeps the
 * packages and nothing of the repository: no sources, key or credential, so an `apt-get update` in the container
 * does not fail on a repository it cannot log in to. The build definition holds the repository's URL, suite,
 * components, the key file's mount and the secret ids; a new password reruns nothing.
 *
 * Internal module.
 */
import { posix } from 'node:path';
import { invalidArgument } from '../errors.js';
import { type IndexSecret, credentialWords, indexSecret, secretIds } from './index-secret.js';
import { APT_GET, APT_MOUNTS, type StepCommon, runStep } from './installers.js';
import { readLocalBytes } from './local-reads.js';
import { escapeRegExp } from './path-rules.js';
import { requirementsSource } from './requirements-files.js';
import { shellQuote } from './shell.js';
import { onDisk } from './step-builders.js';
import type { LocalRef, RunMount, RunStep, SecretUse } from './steps.js';
import { refuseCredential } from './url-credentials.js';
import * as v from './validate.js';

/** A validated repository. */
export interface AptRepository {
  readonly url: string;
  readonly suite: string;
  readonly components: readonly string[];
  /** The key file, mounted for the step, and its name inside the mount. */
  readonly key: { readonly local: LocalRef; readonly file: string; readonly shown: string; readonly armored: boolean };
  readonly auth: IndexSecret | undefined;
}

/** The step's own apt configuration (a tmpfs). */
const APT_DIR = '/tmp/kiln-apt';
/** Where the key files are mounted. */
const KEYS_DIR = '/tmp/kiln-apt-keys';

const HINT =
  "Pass the URL without the credential and the credential as build secrets: aptInstall('pkg', { repositories: [{ url: 'https://apt.example.com/debian', " +
  "suite: 'bookworm', components: ['main'], key: 'keys/apt.example.com.asc', authSecret: { usernameEnv: 'APT_USER', passwordEnv: 'APT_TOKEN' } }] }) " +
  'with kiln build --secret id=APT_USER --secret id=APT_TOKEN (or buildImage\'s secrets).';

/** A deb822 field value: one line, no spaces (apt splits on them). */
function word(value: unknown, name: string, site: v.Site, fix: string): string {
  const s = v.nonEmpty(value, name, site, fix);
  if (/\s/.test(s)) invalidArgument(`${name} ${v.show(s)} must not contain whitespace`, site);
  return s;
}

const ARMORED_PUBLIC = '-----BEGIN PGP PUBLIC KEY BLOCK-----';

/** The key file: must exist and hold an OpenPGP public key, ASCII-armored or binary (`gpg --export`). */
function keyFile(value: unknown, name: string, site: v.Site): AptRepository['key'] {
  if (value === undefined) {
    invalidArgument(`${name} is missing: apt accepts a repository only when its Release file is signed by a key it is given`, site, {
      hint: 'Pass the repository\'s public signing key as a local file: key: \'keys/apt.example.com.asc\' (ASCII-armored, or binary as `gpg --export` writes it).',
    });
  }
  const path = v.localPath(value, name, site);
  let bytes: Buffer;
  try {
    bytes = readLocalBytes(onDisk(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    invalidArgument(`${name}: cannot read the key file ${v.show(path)} (${code}${posix.isAbsolute(path) ? '' : `, in ${process.cwd()}`})`, site, {
      hint: 'Pass the path of the repository\'s public signing key (ASCII-armored or binary), relative to the build context.',
    });
  }
  const text = bytes.subarray(0, 200).toString('latin1').trimStart();
  if (text.startsWith('-----BEGIN PGP PRIVATE KEY BLOCK-----')) {
    invalidArgument(`${name}: ${v.show(path)} is a private key; apt needs the public key only (gpg --armor --export KEYID)`, site);
  }
  const armored = text.startsWith(ARMORED_PUBLIC);
  // A binary keyring starts with a public key packet: tag 6, old format (0x98-0x9b) or new (0xc6).
  const first = bytes[0] ?? 0;
  if (!armored && !((first & 0xfc) === 0x98 || first === 0xc6)) {
    invalidArgument(`${name}: ${v.show(path)} is not an OpenPGP public key (neither "${ARMORED_PUBLIC}" nor a binary key)`, site, {
      hint: 'Export it with gpg --armor --export KEYID > key.asc, or download the repository\'s published key.',
    });
  }
  const { local, file } = requirementsSource(path, () => undefined);
  return { local, file, shown: path, armored };
}

/** Validates `repositories` of `aptInstall`. */
export function aptRepositories(value: unknown, name: string, site: v.Site): AptRepository[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) invalidArgument(`${name} must be an array of { url, suite, components, key, authSecret }, got ${v.kindOf(value)}`, site);
  return value.map((item: unknown, i): AptRepository => {
    const what = `${name}[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) invalidArgument(`${what} must be { url, suite, components, key, authSecret }, got ${v.kindOf(item)}`, site);
    const o = item as Record<string, unknown>;
    v.knownKeys(o, ['url', 'suite', 'components', 'key', 'authSecret'], what, site);
    const url = word(o['url'], `${what}.url`, site, "pass the repository's base URL, e.g. \"https://apt.example.com/debian\"");
    refuseCredential(url, `${what}.url`, site, HINT);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      invalidArgument(`${what}.url ${v.show(url)} is not a URL; pass the repository's base URL, e.g. "https://apt.example.com/debian"`, site);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') invalidArgument(`${what}.url ${v.show(url)} must be an http(s) URL`, site);
    const suite = word(o['suite'], `${what}.suite`, site, 'pass the distribution, e.g. "bookworm", or "./" for a flat repository');
    const components = v.stringList(o['components'], `${what}.components`, site).map((c, j) => word(c, `${what}.components[${j}]`, site, 'remove the empty entry'));
    if (suite.endsWith('/') && components.length > 0) invalidArgument(`${what}: a flat repository (suite ${v.show(suite)}, ending in "/") has no components; remove components`, site);
    if (!suite.endsWith('/') && components.length === 0) {
      invalidArgument(`${what}.components is missing: suite ${v.show(suite)} needs its components, e.g. ["main"] (a flat repository's suite ends in "/", such as "./")`, site);
    }
    return { url, suite, components, key: keyFile(o['key'], `${what}.key`, site), auth: indexSecret(o['authSecret'], `${what}.authSecret`, site, 'APT_TOKEN') };
  });
}

/** apt_auth.conf's machine for `url`: scheme, host and port, path (apt uses plain http entries only with the scheme written). */
function authMachine(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
}

/** `apt-get install` of packages with `repositories` configured for this step only. */
export function aptRepositoriesInstallStep(packages: readonly string[], repositories: readonly AptRepository[], common: StepCommon): RunStep {
  const secrets: SecretUse[] = [...common.secrets];
  const mounts: RunMount[] = [...APT_MOUNTS, { type: 'tmpfs', target: APT_DIR }];
  const sources = `${APT_DIR}/sources.list.d`;
  const authDir = `${APT_DIR}/auth.conf.d`;
  const script: string[] = [
    `mkdir -p ${sources} ${authDir} /var/cache/apt/kiln-archives/partial`,
    `{ [ ! -d /etc/apt/sources.list.d ] || cp -a /etc/apt/sources.list.d/. ${sources}/; }`,
    `{ [ ! -d /etc/apt/auth.conf.d ] || cp -a /etc/apt/auth.conf.d/. ${authDir}/; }`,
  ];
  const refusals: string[] = [];
  repositories.forEach((r, i) => {
    const keyMount = `${KEYS_DIR}/${i}`;
    mounts.push({ type: 'local', target: keyMount, local: r.key.local, writable: false });
    const keyring = `${APT_DIR}/keyring-${i}.${r.key.armored ? 'asc' : 'gpg'}`;
    script.push(`cp ${shellQuote(`${keyMount}/${r.key.file}`)} ${keyring}`, `chmod 644 ${keyring}`);
    const fields = ['Types: deb', `URIs: ${r.url}`, `Suites: ${r.suite}`, ...(r.components.length > 0 ? [`Components: ${r.components.join(' ')}`] : []), `Signed-By: ${keyring}`];
    script.push(`printf '%s\\n' ${fields.map(shellQuote).join(' ')} > ${sources}/kiln-${i}.sources`);
    if (r.auth !== undefined) {
      const { user, password } = credentialWords(r.auth, secrets);
      // apt's downloading methods run as _apt: the file is theirs to read, no one else's.
      const file = `${authDir}/kiln-${i}.conf`;
      script.push(`(umask 077 && printf 'machine %s login %s password %s\\n' ${shellQuote(authMachine(r.url))} ${user} ${password} > ${file})`, `{ chown _apt ${file} 2>/dev/null || true; }`);
      refusals.push(
        `if grep -Eq ${shellQuote(`${escapeRegExp(authMachine(r.url))}.* 40[13] `)} ${APT_DIR}/update.log; then echo ${shellQuote(`kiln: the apt repository ${r.url} refused the credential of repositories[${i}].authSecret (build secrets ${secretIds(r.auth)}); check the user and password:`)} >&2; fi`,
      );
    }
    refusals.push(
      `if grep -Eq ${shellQuote(`NO_PUBKEY|${escapeRegExp(r.url)}.* is not signed`)} ${APT_DIR}/update.log; then echo ${shellQuote(`kiln: apt could not verify the repository ${r.url} with repositories[${i}].key (${r.key.shown}); pass the public key its Release file is signed with:`)} >&2; fi`,
    );
  });
  const aptGet = `${APT_GET} -o Dir::Etc::SourceParts=${sources}/ -o Dir::Etc::netrcparts=${authDir}/`;
  // apt-get update's output is kept to name what went wrong; shown either way. A repository that fails to verify
  // or download is an error, not a warning: apt would otherwise go on with the lists the cache mount holds from an
  // earlier build (verified with another key, or fetched with a password since revoked).
  script.push(
    `{ ${aptGet} -o APT::Update::Error-Mode=any update -qq > ${APT_DIR}/update.log 2>&1; status=$?; cat ${APT_DIR}/update.log; ` +
      `if [ $status -ne 0 ]; then ${refusals.join('; ')}; grep -E '^(E|W): ' ${APT_DIR}/update.log >&2; exit $status; fi; }`,
    `${aptGet} install -y --no-install-recommends ${packages.map(shellQuote).join(' ')}`,
  );
  return runStep({
    name: `apt-get install ${packages.join(' ')} (from ${repositories.map((r) => r.url).join(', ')})`,
    script: script.join(' && '),
    mounts,
    user: 'root',
    origin: 'aptInstall',
    ...common,
    secrets,
  });
}

