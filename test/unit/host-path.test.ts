/**
 * Local (host) paths on Windows: `addLocalDir('C:\\proj\\src')`, `addLocalFile('D:/data/x.bin')`, requirements files,
 * `~\\…` — absolute there, never joined to the build context; on Linux the same text stays a relative file name, as
 * before. The platform is injected, so the Windows rules run here.
 */
import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { expandHomePath } from '../../src/home-path.js';
import { hostRoot, isHostAbsolute, normalizeHostAbsolute, resolveHostPath } from '../../src/host-path.js';
import { Image, compileImage } from '../../src/image/index.js';
import { requirementsSource } from '../../src/image/requirements-files.js';
import { localPath } from '../../src/image/validate.js';

const site = (): void => {};

describe('local paths on Windows', () => {
  it('a drive path is absolute on win32 and kept as it is (with / separators), not put under the build context', () => {
    expect(localPath('C:\\proj\\src', 'addLocalDir localPath', site, 'win32')).toBe('C:/proj/src');
    expect(localPath('D:/data/x.bin', 'addLocalFile localPath', site, 'win32')).toBe('D:/data/x.bin');
    expect(localPath('c:\\proj\\..\\other\\', 'localPath', site, 'win32')).toBe('c:/other');
    expect(localPath('C:\\', 'localPath', site, 'win32')).toBe('C:/');
    expect(localPath('/srv/x/', 'localPath', site, 'win32')).toBe('/srv/x');
    // Relative ones stay relative, and ".." out of the context is refused as on Linux.
    expect(localPath('src\\app', 'localPath', site, 'win32')).toBe('src/app');
    expect(() => localPath('..\\outside', 'localPath', site, 'win32')).toThrow(/outside the build context/);
    expect(resolveHostPath('C:/work/ctx', 'C:/proj/src', 'win32')).toBe('C:/proj/src');
    expect(resolveHostPath('C:/work/ctx', 'src', 'win32')).toBe('C:/work/ctx/src');
    expect(isHostAbsolute('D:/data', 'win32')).toBe(true);
    expect(hostRoot('D:/data/x', 'win32')).toBe('D:/');
    expect(normalizeHostAbsolute('D:/data/./x/', 'win32')).toBe('D:/data/x');
  });

  it('a UNC share path (\\\\server\\share\\x) keeps its two leading slashes and its share as the root on win32', () => {
    expect(normalizeHostAbsolute('//server/share/x', 'win32')).toBe('//server/share/x');
    expect(normalizeHostAbsolute('//server/share/a/../b/./c/', 'win32')).toBe('//server/share/b/c');
    // ".." stops at the share, as Windows resolves it.
    expect(normalizeHostAbsolute('//server/share/../x', 'win32')).toBe('//server/share/x');
    expect(normalizeHostAbsolute('//server/share', 'win32')).toBe('//server/share/');
    expect(hostRoot('//server/share/x', 'win32')).toBe('//server/share/');
    expect(localPath('\\\\server\\share\\proj\\src\\', 'addLocalDir localPath', site, 'win32')).toBe('//server/share/proj/src');
    // A context on a share stays on it when a relative path is joined to it.
    expect(resolveHostPath('//server/share/ctx', 'src/../app', 'win32')).toBe('//server/share/ctx/app');
    expect(resolveHostPath('C:/ctx', '//server/share/x', 'win32')).toBe('//server/share/x');
    // On Linux // is / (unchanged).
    expect(normalizeHostAbsolute('//server/share/x', 'linux')).toBe('/server/share/x');
  });

  it('a requirements file on a drive or share (win32) is mounted from its directory there, with the files it names by relative paths', () => {
    const files: Record<string, string> = { 'C:/proj/req.txt': '-r base/common.txt\n-r D:/other/pins.txt\nflask\n', 'C:/proj/base/common.txt': 'numpy\n', '//srv/share/p/req.txt': '-r ../q/more.txt\n' };
    const saved = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { ...saved, value: 'win32' });
    try {
      const onDrive = requirementsSource('C:/proj/req.txt', (p) => files[p]);
      // D:/other/pins.txt is on another drive: it cannot share the mount, and is left for pip to report.
      expect(onDrive.local).toMatchObject({ root: 'C:/proj', include: ['req.txt', 'base/common.txt'] });
      expect(onDrive.file).toBe('req.txt');
      const onShare = requirementsSource('//srv/share/p/req.txt', (p) => files[p]);
      expect(onShare.local).toMatchObject({ root: '//srv/share/', include: ['p/req.txt', 'q/more.txt'] });
      expect(onShare.file).toBe('p/req.txt');
    } finally {
      Object.defineProperty(process, 'platform', saved);
    }
  });

  it('~\\ is the home directory on win32 (HOME, else USERPROFILE), and a local path ~\\x too', () => {
    expect(expandHomePath('~\\out', { USERPROFILE: 'C:\\Users\\dev' }, 'win32')).toBe('C:\\Users\\dev\\out');
    expect(expandHomePath('~/out', { HOME: 'C:/Users/git', USERPROFILE: 'C:\\Users\\dev' }, 'win32')).toBe('C:/Users/git/out');
    expect(localPath('~\\proj', 'localPath', site, 'win32')).toBe(`${homedir()}/proj`);
  });

  it('on Linux nothing changes: C:\\x is a relative file name under the context, ~\\x is not the home directory', () => {
    expect(isHostAbsolute('C:/x', 'linux')).toBe(false);
    expect(localPath('C:\\proj\\src', 'localPath', site, 'linux')).toBe('C:/proj/src');
    expect(resolveHostPath('/work/ctx', 'C:/proj/src', 'linux')).toBe('/work/ctx/C:/proj/src');
    expect(expandHomePath('~\\out', { HOME: '/home/u' }, 'linux')).toBe('~\\out');
    expect(localPath('~\\x', 'localPath', site, 'linux')).toBe('~/x');
    const c = compileImage(Image.debianSlim().addLocalDir('C:\\proj\\src', { remotePath: '/app' }), { context: '/work/ctx' });
    expect(c.locals.map((l) => l.path)).toEqual(['/work/ctx/C:/proj/src']);
  });

  it('an image defined and compiled on Windows takes C:\\proj\\src as that directory, not as ./C:/proj/src under the context', () => {
    // The methods read process.platform: it is set to win32 for this one check (this file runs in its own worker).
    const saved = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { ...saved, value: 'win32' });
    try {
      const image = Image.debianSlim().addLocalDir('C:\\proj\\src', { remotePath: '/app' }).addLocalFile('D:/data/x.bin', '/data/x.bin');
      // /work/ctx does not hold C:/proj/src: refused as outside the context, where it was ctx/C:/proj/src before.
      expect(() => compileImage(image, { context: '/work/ctx' })).toThrow('copy C:/proj/src → /app: C:/proj/src is outside the build context /work/ctx');
      expect(() => image.toDockerfile({ context: '/work/ctx' })).toThrow('toDockerfile: C:/proj/src is outside the build context /work/ctx');
    } finally {
      Object.defineProperty(process, 'platform', saved);
    }
    expect(process.platform).not.toBe('win32');
  });
});
