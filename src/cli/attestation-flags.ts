import { invalidArgument } from '../errors.js';
import { parseGoBool } from '../go-parse-bool.js';
import { checkGenerator, type Attestations, type ProvenanceMode } from '../client/attestations.js';
import { csvFields } from '../client/csv-fields.js';

/** The attestation flags of `kiln build`, as docker buildx build spells them. */
export interface AttestationFlags {
  readonly provenance?: string | undefined;
  readonly sbom?: string | undefined;
  readonly attest?: readonly string[] | undefined;
}

type Kind = 'provenance' | 'sbom';

/** What one type was asked for: off, or on with its fields. */
type Asked = { readonly on: false } | { readonly on: true; readonly mode?: ProvenanceMode; readonly generator?: string };

const KEYS: Readonly<Record<Kind, readonly string[]>> = { provenance: ['mode'], sbom: ['generator'] };

/** `--provenance V` / `--sbom V` as buildx reads them: a boolean turns the type on or off, anything else is its fields. */
function shorthand(kind: Kind, value: string): string {
  const b = parseGoBool(value.trim());
  return b === undefined ? `type=${kind},${value}` : b ? `type=${kind}` : `type=${kind},disabled=true`;
}

/** `spec` as --attest takes it; `shown` is what the user wrote (`--provenance max`), for messages. */
function parseSpec(flag: string, spec: string, shown: string): { kind: Kind; asked: Asked } {
  let kind: Kind | undefined;
  let disabled = false;
  let mode: ProvenanceMode | undefined;
  let generator: string | undefined;
  const fields = csvFields(spec, flag, parseAttestationFlags).filter((f) => f !== '');
  for (const field of fields) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? '' : field.slice(eq + 1).trim();
    if (key === 'type') {
      if (value !== 'provenance' && value !== 'sbom') invalidArgument(`${flag} ${shown}: type=${value} is not an attestation kiln asks for: type=provenance or type=sbom`, parseAttestationFlags);
      kind = value;
    } else if (key === 'disabled') {
      const b = value === '' ? true : parseGoBool(value);
      if (b === undefined) invalidArgument(`${flag} ${shown}: disabled=${value} is not a boolean (true or false)`, parseAttestationFlags);
      disabled = b;
    } else if (key === 'mode') mode = value as ProvenanceMode;
    else if (key === 'generator') generator = value;
    else {
      invalidArgument(`${flag} ${shown}: kiln does not take ${key}=`, parseAttestationFlags, {
        hint: 'kiln takes type=provenance[,mode=min|max] and type=sbom[,generator=IMAGE], each with disabled=true to turn it off; attestations carry BuildKit\'s own builder id and file names.',
      });
    }
  }
  if (kind === undefined) invalidArgument(`${flag} ${shown}: no type=: say which attestation, type=provenance or type=sbom`, parseAttestationFlags);
  for (const [key, value] of [['mode', mode], ['generator', generator]] as const) {
    if (value !== undefined && !KEYS[kind].includes(key)) invalidArgument(`${flag} ${shown}: type=${kind} takes no ${key}= (it takes ${KEYS[kind].map((k) => `${k}=`).join(', ')} and disabled=)`, parseAttestationFlags);
  }
  if (mode !== undefined && mode !== 'min' && mode !== 'max') invalidArgument(`${flag} ${shown}: mode=${String(mode)} is not a provenance mode: mode=min (the default) or mode=max`, parseAttestationFlags);
  if (generator !== undefined) {
    if (generator === '') invalidArgument(`${flag} ${shown}: generator= is empty: name the scanner image (generator=docker/buildkit-syft-scanner:stable-1), or leave generator= out for that default`, parseAttestationFlags);
    checkGenerator(generator, `${flag} ${shown}: generator=`, parseAttestationFlags);
  }
  if (disabled) return { kind, asked: { on: false } };
  return { kind, asked: { on: true, ...(mode === undefined ? {} : { mode }), ...(generator === undefined ? {} : { generator }) } };
}

/**
 * The attestations `--provenance`, `--sbom` and `--attest` ask for, spelled as docker buildx build takes them
 * (`--provenance=true|false|mode=max`, `--sbom=true|false|generator=IMAGE`, `--attest type=provenance,mode=max`,
 * `--attest type=sbom,disabled=true`); undefined when they ask for none. One type named twice is refused, as buildx does.
 */
export function parseAttestationFlags(flags: AttestationFlags): Attestations | undefined {
  const specs: [string, string, string][] = [
    ...(flags.attest ?? []).map((s): [string, string, string] => ['--attest', s, s]),
    ...(flags.provenance === undefined ? [] : [['--provenance', shorthand('provenance', flags.provenance), flags.provenance] as [string, string, string]]),
    ...(flags.sbom === undefined ? [] : [['--sbom', shorthand('sbom', flags.sbom), flags.sbom] as [string, string, string]]),
  ];
  const asked = new Map<Kind, { flag: string; asked: Asked }>();
  for (const [flag, spec, shown] of specs) {
    const parsed = parseSpec(flag, spec, shown);
    const before = asked.get(parsed.kind);
    if (before !== undefined) {
      invalidArgument(`${flag} asks for type=${parsed.kind} again (${before.flag} already did)`, parseAttestationFlags, {
        hint: `Give each attestation once: --${parsed.kind}=… or --attest type=${parsed.kind},….`,
      });
    }
    asked.set(parsed.kind, { flag, asked: parsed.asked });
  }
  const provenance = asked.get('provenance')?.asked;
  const sbom = asked.get('sbom')?.asked;
  const out: { provenance?: ProvenanceMode; sbom?: true | { generator: string } } = {};
  if (provenance?.on === true) out.provenance = provenance.mode ?? 'min';
  if (sbom?.on === true) out.sbom = sbom.generator === undefined ? true : { generator: sbom.generator };
  return out.provenance === undefined && out.sbom === undefined ? undefined : out;
}
