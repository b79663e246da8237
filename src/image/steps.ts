import type { ImageRuntimeConfig } from './oci-config.js';
/**
 * The validated, immutable description behind an `Image`: where it starts and the ordered steps applied on top.
 * `Image` methods only ever append steps (or replace the base); the compiler and `toDockerfile()` read them.
 *
 * Internal module: none of these types are part of kiln's public API.
 */
import type { Image } from './image.js';
import type { StepSource } from './step-source.js';
import type { BuildProxy } from './build-proxy.js';
import type { Platform } from '../llb/index.js';

/** An environment entry in order. */
export type EnvPair = readonly [name: string, value: string];

/**
 * A directory (or part of one) on the client, sent to the daemon during the build. `root` is a POSIX path as the
 * user wrote it: relative to the build context, or absolute (made relative to the context when compiling).
 */
export interface LocalRef {
  readonly root: string;
  /** Only these paths (fsutil patterns, relative to `root`). */
  readonly include: readonly string[];
  /** Never these paths (fsutil patterns, relative to `root`). */
  readonly exclude: readonly string[];
  /** Ignore files read when compiling; their patterns are added to `exclude`. */
  readonly ignoreFiles: readonly IgnoreFileRef[];
  /**
   * Called when compiling with each file's local path (`root` joined with its path inside it); the files it
   * rejects are added to `exclude` (Modal's `condition`).
   */
  readonly condition?: (path: string) => boolean;
  /**
   * Files of this source that another file named (a requirements file's `-r`/`-c` lines): when one is outside the
   * build context, the error names the line that named it.
   */
  readonly namedBy?: readonly NamedFile[];
  /**
   * The `include` wildcards must match at least one path (Chutes' `add` / `copyFile`, whose glob fails on an empty
   * match); without it an empty match copies nothing, as Dockerfile `COPY`/`ADD` do on BuildKit.
   */
  readonly requireMatch?: boolean | undefined;
  /**
   * The symbolic link given as the source (or matched by its wildcard) whose chain of targets made `root` wider than
   * the link's directory, and where that chain ends: when it ends outside the build context, the error names them.
   */
  readonly followedLink?: FollowedLink | undefined;
}

/** A symbolic link a copy follows, and the path its chain of relative targets ends at (both as local paths). */
export interface FollowedLink {
  readonly link: string;
  readonly target: string;
}

/** A file a local source holds because another file named it. */
export interface NamedFile {
  /** The file, as a local path (relative to the build context, or absolute). */
  readonly path: string;
  /** The file that named it (same form). */
  readonly by: string;
  /** The 1-based line of `by` that names it. */
  readonly line: number;
  /** That line's option as written (`-r ../base.txt`). */
  readonly text: string;
}

/** An ignore file whose patterns become excludes of a local source. */
export interface IgnoreFileRef {
  /** Path of the file (relative to the build context, or absolute). */
  readonly path: string;
  /** `docker`: .dockerignore syntax; `git`: .gitignore syntax (converted). */
  readonly syntax: 'docker' | 'git';
  /** A missing file is fine (default ignore files); otherwise compiling fails. */
  readonly optional: boolean;
  /**
   * Also every file of the same name in the source's subdirectories, each applying below its own directory (git's
   * and rsync's `:- .gitignore` rule). Directories the source already leaves out by name are not searched.
   */
  readonly nested?: boolean;
}

/** A build secret a run step can read. It is mounted as a file; `env` also exports it into the command's shell. */
export interface SecretUse {
  readonly id: string;
  /** Absolute path of the secret file inside the step (default `/run/secrets/<id>`). */
  readonly path: string;
  /** Variable the command sees the secret's value in, if any. */
  readonly env: string | undefined;
  readonly optional: boolean;
  /** Owner and mode of the secret file (Dockerfile `uid=`, `gid=`, `mode=`); absent: see {@link SecretUse.dockerfile}. */
  readonly file?: MountOwner;
  /**
   * From a Dockerfile's `RUN --mount=type=secret`: without `file`, the file is root's with mode 0400 whatever user
   * the step runs as, as with `docker build`. Otherwise (kiln's `secrets` option) the step's user can read it.
   */
  readonly dockerfile?: true;
}

/** Owner and permission bits a mount's directory or file gets (each absent part = root / the default mode). */
export interface MountOwner {
  readonly uid?: number;
  readonly gid?: number;
  readonly mode?: number;
}

/**
 * An ssh-agent a run step can use (git over ssh, `pip install git+ssh://…`): its socket is mounted for the step, and
 * the first one is `$SSH_AUTH_SOCK`. The keys stay on the client; the step only gets the agent's answers.
 */
export interface SshUse {
  /** The id of the agent the client forwards (`default`: `kiln build --ssh default`, the agent at `$SSH_AUTH_SOCK`). */
  readonly id: string;
  /** Socket path inside the step; `undefined` = BuildKit's `/run/buildkit/ssh_agent.N`. */
  readonly target: string | undefined;
  /** Run without the socket when the client forwards no agent of that id. */
  readonly optional: boolean;
  /** Owner and mode of the socket (Dockerfile `uid=`, `gid=`, `mode=`); absent: see {@link SshUse.dockerfile}. */
  readonly socket?: MountOwner;
  /**
   * From a Dockerfile's `RUN --mount=type=ssh`: without `socket`, the socket is root's with mode 0600 whatever user
   * the step runs as, as with `docker build`. Otherwise (kiln's `ssh` option) the step's user can use it.
   */
  readonly dockerfile?: true;
}

/** An `/etc/hosts` entry a run step sees (host name, IP address). */
export type HostEntry = readonly [host: string, ip: string];

/** A device request for a run step (GPU during the build). */
export interface GpuRequest {
  /** What the user asked for, e.g. `"any"`, `"A100"`, `"H100:2"`. */
  readonly spec: string;
  readonly count: number;
}

/** A mount a run step gets for its duration only (never part of the image). */
export type RunMount =
  | {
      readonly type: 'cache';
      readonly target: string;
      readonly id: string;
      readonly sharing: 'shared' | 'private' | 'locked';
      /** Keep one cache per root base image (apt lists and archives differ between distributions). */
      readonly perBase: boolean;
      /** What a new cache starts with: this image's `source` directory (Dockerfile `from=`, `source=`). */
      readonly seed?: { readonly image: Image; readonly source: string };
      /** Owner and mode of a new cache directory (Dockerfile `uid=`, `gid=`, `mode=`; default root, 0755). */
      readonly owner?: MountOwner;
    }
  | {
      readonly type: 'local';
      readonly target: string;
      readonly local: LocalRef;
      readonly writable: boolean;
      /** The directory inside the local source to mount (default its root), e.g. a context subdirectory. */
      readonly source?: string;
    }
  | { readonly type: 'image'; readonly target: string; readonly image: Image; readonly source: string }
  | {
      readonly type: 'tmpfs';
      readonly target: string;
      /** Size limit in bytes (absent: the daemon's default). */
      readonly size?: number;
    };

/** Cache behaviour of a step: `step` re-runs this step only, `cascade` this one and everything after it. */
export type ForceMode = 'none' | 'step' | 'cascade';

/** A process run on the image's filesystem. */
export interface RunStep {
  readonly kind: 'run';
  /** Progress name, e.g. `pip install numpy`. */
  readonly name: string;
  /** Shell script (run with `/bin/sh -c`), unless `argv` is set. */
  readonly script: string;
  /** Exec form: argv run without a shell (Dockerfile `RUN ["…"]`). */
  readonly argv: readonly string[] | undefined;
  /** Variables for this step only (not kept in the image). */
  readonly env: readonly EnvPair[];
  /** Dockerfile build args: variables for this step, where the image's environment does not set the name (ENV wins). */
  readonly argEnv?: readonly EnvPair[];
  /**
   * Dockerfile platform args the stage declared (`ARG TARGETARCH`…): set, where the image's environment does not set
   * them, from the platform the build compiles for.
   */
  readonly platformArgs?: readonly string[];
  /**
   * Dockerfile proxy build args (`HTTP_PROXY`… given in `buildArgs`, declared or not), for the step's `proxy_env` as
   * docker build passes them: out of the image and the cache key.
   */
  readonly proxy?: BuildProxy;
  readonly mounts: readonly RunMount[];
  /**
   * Dockerfile mount values (targets, a cache's id, a source path in another stage or image) still refer to the
   * image's environment or the build's platform, expanded when compiling.
   */
  readonly vars?: boolean;
  readonly secrets: readonly SecretUse[];
  /** ssh-agents forwarded to this step. */
  readonly ssh: readonly SshUse[];
  readonly network: 'default' | 'none' | 'host';
  /** Extra `/etc/hosts` entries for this step only. */
  readonly hosts: readonly HostEntry[];
  readonly gpu: GpuRequest | undefined;
  /**
   * Run as this user instead of the image's. Installers say `root` (the image's user when that is root already);
   * the Python ones on a base with a {@link PrefixOwner} say that user.
   */
  readonly user: string | undefined;
  /** Working directory for this step only (absolute or relative to the image's). */
  readonly cwd: string | undefined;
  readonly force: ForceMode;
  /** The API call that made this step, for history (`pipInstall`, `runCommands`, …). */
  readonly origin: string;
  /**
   * Absolute paths this step produces (normalised, none inside another). Non-empty = an independent step: it runs
   * as its own branch and only these paths are kept from it (see `branches.ts`). Empty = an ordinary step.
   */
  readonly outputs: readonly string[];
}

/** Where a copy reads from. */
export type CopySource =
  | {
      readonly kind: 'local';
      readonly local: LocalRef;
      readonly path: string;
      /**
       * For a wildcard `path`: the directory (absolute, in the local) the pattern is matched in, made empty when the
       * local has nothing in it (its include pattern matched nothing), so that a pattern matching nothing copies
       * nothing, as docker build does, rather than failing on the missing directory.
       */
      readonly matchIn?: string;
    }
  | { readonly kind: 'image'; readonly image: Image; readonly path: string }
  /**
   * A file downloaded by the daemon (Dockerfile `ADD https://…`), named `path` (`/` + the URL's last path element),
   * checked against `checksum` (`sha256:…`) when given.
   */
  | { readonly kind: 'http'; readonly url: string; readonly checksum: string | undefined; readonly path: string }
  /**
   * A git repository the daemon clones (Dockerfile `ADD https://host/repo.git#ref`, the context of `kiln build
   * <git-url>`): `remote` at `ref` (`''` = its default branch), with its `.git` directory when `keepGitDir`; `path` is
   * the path copied from the checked-out tree (`/`, or `/subdir` for `#ref:subdir`), resolved by the daemon inside the
   * clone (a symbolic link there cannot lead out of it).
   */
  | { readonly kind: 'git'; readonly remote: string; readonly ref: string; readonly keepGitDir: boolean; readonly path: string };

/** Files put into the image. */
export interface CopyStep {
  readonly kind: 'copy';
  readonly name: string;
  readonly from: CopySource;
  /** Destination as given (relative = against the working directory; trailing "/" = into that directory). */
  readonly dest: string;
  /** A directory source puts its contents (not itself) at `dest`. */
  readonly contents: boolean;
  readonly owner: string | undefined;
  readonly mode: number | undefined;
  /** `true`/`false` force an independent layer or a plain copy; `undefined` lets kiln decide. */
  readonly link: boolean | undefined;
  readonly force: ForceMode;
  readonly origin: string;
  /** The source path is a glob pattern (Dockerfile `COPY *.py ./`). */
  readonly wildcard: boolean;
  /** Unpack tar archives (Dockerfile `ADD`). */
  readonly unpack: boolean;
  /**
   * `dest` and `owner` still refer to the image's environment (a Dockerfile `COPY f $APPDIR/` with APPDIR set by the
   * base image or an earlier stage): the compiler expands them, unset names as empty, as Docker does.
   */
  readonly vars?: boolean;
  /**
   * A Dockerfile context source read with the default of `${NAME:-default}` (or `${NAME-default}`) for names only
   * the image's environment or the build's platform could set: the compiler refuses the step when one of them is set
   * there (docker build would take its value).
   */
  readonly defaulted?: DefaultedSource;
}

/** What a Dockerfile context source assumed unset when it was read. */
export interface DefaultedSource {
  /** The Dockerfile line, its instruction (COPY or ADD) and the source as written. */
  readonly line: number;
  readonly keyword: string;
  readonly source: string;
  readonly names: readonly { readonly name: string; readonly op: ':-' | '-'; readonly platform: boolean }[];
}

/** How an environment value is turned into the stored value. */
export type EnvMode =
  /** Stored as given. */
  | 'literal'
  /** `$VAR`/`${VAR}` expanded against the image's env at that point; unknown variables stay literal; `\$` escapes. */
  | 'expand'
  /**
   * Dockerfile `ENV`: like `expand`, but unknown variables become empty, and every change of the step sees the
   * environment from before the step (Docker's rule for the pairs of one `ENV`).
   */
  | 'dockerfile'
  /** `value` is prepended to the variable's current value with ":" (or set when there is none). */
  | 'prepend-path';

/** One environment change. */
export interface EnvChange {
  readonly name: string;
  readonly value: string;
  readonly mode: EnvMode;
}

/** Changes to the image config (no filesystem change, except `workdir` which creates the directory). */
export type ConfigStep =
  | { readonly kind: 'env'; readonly changes: readonly EnvChange[]; readonly origin: string }
  | { readonly kind: 'workdir'; readonly path: string; readonly origin: string; readonly vars?: boolean }
  | { readonly kind: 'user'; readonly user: string; readonly origin: string; readonly vars?: boolean }
  | { readonly kind: 'entrypoint'; readonly args: readonly string[]; readonly shell: boolean; readonly origin: string }
  | { readonly kind: 'cmd'; readonly args: readonly string[]; readonly shell: boolean; readonly origin: string }
  | { readonly kind: 'labels'; readonly labels: readonly EnvPair[]; readonly origin: string; readonly vars?: boolean }
  | { readonly kind: 'expose'; readonly ports: readonly string[]; readonly origin: string; readonly vars?: boolean }
  | { readonly kind: 'author'; readonly author: string; readonly origin: string }
  /** The shell of shell-form commands (Dockerfile `SHELL`): the config's `Shell`, used by later steps too. */
  | { readonly kind: 'shell'; readonly shell: readonly string[]; readonly origin: string }
  | { readonly kind: 'force'; readonly origin: string }
  /** A Dockerfile `FROM` of an earlier stage: the steps before are this stage's base (an ENTRYPOINT clears their CMD). */
  | { readonly kind: 'stage'; readonly origin: string }
  /** A Dockerfile VOLUME, STOPSIGNAL or HEALTHCHECK: config fields set as written (Volumes are added to). */
  | { readonly kind: 'runtime'; readonly set: ImageRuntimeConfig; readonly instruction: string; readonly origin: string }
  /** A Dockerfile `ARG TARGETARCH` (and the other platform args): where the Dockerfile declares them. */
  | { readonly kind: 'platform-args'; readonly names: readonly string[]; readonly origin: string };

/** Any step. */
/**
 * A step, with where it was written (the user's call of the `Image` method, a Dockerfile's line): a failed build
 * names it. It never changes what the step compiles to.
 */
export type Step = (RunStep | CopyStep | ConfigStep) & { readonly source?: StepSource };

/** Credentials for pulling a private base image, resolved when building (never part of the definition). */
export type RegistrySecret =
  | { readonly username: string; readonly password: string }
  | { readonly usernameEnv: string; readonly passwordEnv: string };

/**
 * The user a base image runs as and whose Python environment it is (`mambauser` of `mambaorg/micromamba`, which owns
 * `/opt/conda`): kiln's Python and conda installers run as this user on such a base, so that what they install stays
 * the user's, and their caches are created with its uid and gid.
 */
export interface PrefixOwner {
  readonly user: string;
  readonly uid: number;
  readonly gid: number;
}

/** Where an image starts. */
export type Base =
  | {
      readonly kind: 'registry';
      readonly ref: string;
      readonly secret: RegistrySecret | undefined;
      /** A Dockerfile `FROM`: docker build would run the base image's ONBUILD triggers here. */
      readonly dockerfileFrom?: true;
      /** The base image's non-root user that owns its Python environment, where kiln knows it (`Image.micromamba()`). */
      readonly prefixOwner?: PrefixOwner;
      /** Where the base was named (the user's `fromRegistry` call, a Dockerfile's FROM line): a base that cannot be had names it. */
      readonly source?: StepSource;
    }
  | {
      /** An OCI image layout directory on this machine (`Image.fromOciLayout`, a Dockerfile context `oci-layout://`). */
      readonly kind: 'oci-layout';
      /** The layout directory, absolute with symlinks resolved. */
      readonly dir: string;
      readonly tag: string | undefined;
      readonly digest: string | undefined;
      /** The platform whose image is taken (default: the build's). */
      readonly platform: Platform | undefined;
      /** A Dockerfile `FROM` of an `oci-layout://` context: docker build would run the image's ONBUILD triggers here. */
      readonly dockerfileFrom?: true;
      readonly source?: StepSource;
    }
  | { readonly kind: 'scratch' }
  | {
      /**
       * A named context given per platform (`contexts: { 'base::linux/arm64': … }`, BuildKit's `context:NAME::OS/ARCH`):
       * the compiler takes `choices`' image for the build's platform (`os/arch[/variant]`, normalised), else `otherwise`
       * (the context without a platform, or what the Dockerfile names when there is none), and applies the steps to it.
       */
      readonly kind: 'per-platform';
      /** The context's name (the names, when several are given per platform), for messages. */
      readonly name: string;
      /** The keys given (`base::linux/arm64`), for messages. */
      readonly given: readonly string[];
      readonly choices: ReadonlyMap<string, Image>;
      readonly otherwise: Image;
    };

/** Chutes' identity of an image. */
export interface ImageIdentity {
  readonly username: string;
  readonly name: string;
  readonly tag: string;
  readonly readme: string;
}

/** Everything an `Image` is. */
export interface ImageSpec {
  readonly base: Base;
  readonly steps: readonly Step[];
  readonly identity: ImageIdentity | undefined;
  /** Kubetorch's `python_path` / `install_cmd`: how `pipInstall` runs on this image (default `python3 -m pip install`). */
  readonly pipCommand?: string;
}
