import { invalidArgument } from '../errors.js';

/**
 * Splits a one-line CSV value (`type=image,"name=a:1,b:2",push=true`) into its fields with the rules buildx and
 * buildctl apply to `--output`, `--cache-from`/`--cache-to` and `--secret` (Go's CSV reader): a field that starts
 * with a double quote runs to the matching quote, so it may hold commas, and `""` inside it is one quote; a quote
 * anywhere else, or text after a closing quote, is an error. Errors name the flag and the field's position, never its
 * text: specs carry tokens (`token=`, `secret_access_key=`).
 */
export function csvFields(text: string, what: string, callSite: Function = csvFields): string[] {
  const fields: string[] = [];
  let pos = 0;
  const fail = (problem: string): never =>
    invalidArgument(`${what}: field ${fields.length + 1} ${problem} (the field is not shown: it may be a secret)`, callSite, {
      hint: 'Quote a whole field to put a comma in it: type=image,"name=reg/a:1,reg/a:latest" (a quote inside it is written "").',
    });
  for (;;) {
    if (text[pos] !== '"') {
      const comma = text.indexOf(',', pos);
      const field = comma < 0 ? text.slice(pos) : text.slice(pos, comma);
      if (field.includes('"')) fail('has a quote that does not start it');
      fields.push(field);
      if (comma < 0) return fields;
      pos = comma + 1;
      continue;
    }
    let field = '';
    pos++;
    for (;;) {
      const quote = text.indexOf('"', pos);
      if (quote < 0) fail('has no closing quote');
      field += text.slice(pos, quote);
      pos = quote + 1;
      if (text[pos] === '"') {
        field += '"';
        pos++;
        continue;
      }
      break;
    }
    if (pos < text.length && text[pos] !== ',') fail('has text after its closing quote');
    fields.push(field);
    if (pos === text.length) return fields;
    pos++;
  }
}
