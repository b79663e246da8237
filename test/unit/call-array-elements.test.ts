/**
 * The lines of the elements of `image.dockerfileCommands([...])`'s array, read from the caller's source, where a
 * failed step is located; anything this reader is not sure of gives undefined (the step is then located at the call).
 */
import { describe, expect, it } from 'vitest';
import { callArrayElements } from '../../src/image/call-array-elements.js';

/** The 1-based line and column of the first `dockerfileCommands` in `text` (where V8's frame points). */
function callAt(text: string): [number, number] {
  const before = text.slice(0, text.indexOf('dockerfileCommands'));
  return [before.split('\n').length, before.length - before.lastIndexOf('\n')];
}

function elements(text: string, values: readonly string[]): ReturnType<typeof callArrayElements> {
  const [line, column] = callAt(text);
  return callArrayElements(text, line, column, 'dockerfileCommands', values);
}

describe('callArrayElements', () => {
  it('finds each element of a multi-line literal array: quotes of each kind, comments, a trailing comma, a multi-line template', () => {
    const text = [
      'export default base',
      '  .dockerfileCommands([',
      "    'ENV A=1', // first",
      '    "RUN echo \\"two\\"",',
      '    /* the one */ `RUN echo three \\\\',
      '      && exit 3`,',
      '  ]);',
    ].join('\n');
    expect(elements(text, ['ENV A=1', 'RUN echo "two"', 'RUN echo three \\\n      && exit 3'])).toEqual([
      { line: 3, endLine: 3 },
      { line: 4, endLine: 4 },
      { line: 5, endLine: 6 },
    ]);
    expect(elements("x.dockerfileCommands(['RUN a', 'RUN b'])", ['RUN a', 'RUN b'])).toEqual([
      { line: 1, endLine: 1 },
      { line: 1, endLine: 1 },
    ]);
  });

  it('gives up on what it cannot be sure of', () => {
    const cases: [string, string[]][] = [
      ['x.dockerfileCommands(list)', ['RUN a']],
      ['x.dockerfileCommands([...list])', ['RUN a']],
      ["x.dockerfileCommands(['RUN ' + 'a'])", ['RUN a']],
      ['x.dockerfileCommands([`RUN ${a}`])', ['RUN a']],
      ["x.dockerfileCommands(['RUN \\x61'])", ['RUN a']],
      ['x.dockerfileCommands([`RUN a \\\n b`])', ['RUN a  b']],
      // Not what the method received: the file changed since it ran, or another call.
      ["x.dockerfileCommands(['RUN a'])", ['RUN b']],
      ["x.dockerfileCommands(['RUN a', 'RUN b'])", ['RUN a']],
      ["x.dockerfileCommandsX(['RUN a'])", ['RUN a']],
    ];
    for (const [text, values] of cases) expect([text, elements(text, values)]).toEqual([text, undefined]);
    // A frame that points elsewhere than the method's name.
    expect(callArrayElements("x.dockerfileCommands(['RUN a'])", 1, 1, 'dockerfileCommands', ['RUN a'])).toBeUndefined();
    expect(callArrayElements("x.dockerfileCommands(['RUN a'])", 9, 3, 'dockerfileCommands', ['RUN a'])).toBeUndefined();
  });
});
