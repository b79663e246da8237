/** The note a build ends with when file sync left entries of the context out (sockets, names not valid UTF-8). */
import { describe, expect, it } from 'vitest';
import { contextSkipNotes } from '../../src/image/context-skip-notes.js';

const dirs = [
  { name: 'context', path: '/work/app' },
  { name: 'extra', path: '/work/shared/assets' },
];

describe('contextSkipNotes', () => {
  it('says nothing when nothing was left out', () => {
    expect(contextSkipNotes(dirs, '/work/app').note()).toBeUndefined();
  });

  it('one entry: singular wording, the path relative to the context, each entry once however often sync skipped it', () => {
    const notes = contextSkipNotes(dirs, '/work/app');
    notes.skipped('context', 'run/app.sock', 'a socket');
    notes.skipped('context', 'run/app.sock', 'a socket');
    const note = notes.note();
    expect(note?.vertexes.map((v) => v.name)).toEqual(['[kiln] 1 entry was left out of the build context (file sync cannot send it)']);
    expect(note?.warnings.map((w) => w.short)).toEqual(['run/app.sock: a socket']);
  });

  it('names entries of every directory in path order, relative to the context, and counts what is past the 20th', () => {
    const notes = contextSkipNotes(dirs, '/work/app');
    for (let i = 0; i < 22; i++) notes.skipped('context', `s${String(i).padStart(2, '0')}.sock`, 'a socket');
    notes.skipped('extra', 'bad\uFFFDname', 'the name is not valid UTF-8');
    notes.skipped('context', '', 'a socket');
    const note = notes.note();
    expect(note?.vertexes[0]?.name).toBe('[kiln] 24 entries were left out of the build context (file sync cannot send them)');
    const shown = note?.warnings.map((w) => w.short) ?? [];
    expect(shown).toHaveLength(21);
    expect(shown.slice(0, 3)).toEqual(['.: a socket', '../shared/assets/bad\uFFFDname: the name is not valid UTF-8', 's00.sock: a socket']);
    expect(shown[19]).toBe('s17.sock: a socket');
    expect(shown[20]).toBe('… and 4 more');
  });
});
