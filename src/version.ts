/** kiln's version (kept in step with package.json by a unit test). */
export const KILN_VERSION = '0.1.0';
