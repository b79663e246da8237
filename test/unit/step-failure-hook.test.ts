/**
 * `onStepFailure` in a multi-platform build: the first platform's failed step goes to the hook; another platform's
 * step failing while the user is in it waits for the hook to end (ending the build then would release the container
 * under the user), is not opened, and every solve still rejects with its own error.
 */
import { describe, expect, it } from 'vitest';
import type { FailedStep } from '../../src/client/failed-step-types.js';
import { stepFailureHandler } from '../../src/image/step-failure-hook.js';

const step = (platform: string): FailedStep => ({ canRun: true, mounts: ['/'], platform, run: () => Promise.resolve({ exitCode: 0 }) });

describe('stepFailureHandler', () => {
  it('opens the first failure; a second one waits for the hook to end, then rejects with its own error unopened', async () => {
    const events: string[] = [];
    let endHook = (): void => {};
    const handle = stepFailureHandler(async (failed) => {
      events.push(`hook ${failed.platform}`);
      await new Promise<void>((resolve) => (endHook = resolve));
      events.push('hook ended');
    });
    const gw = { failedStep: (err: unknown) => Promise.resolve(step(String(err))) };
    const first = handle(gw, 'linux/amd64').catch((e: unknown) => events.push(`rejected ${String(e)}`));
    await new Promise((r) => setTimeout(r, 0));
    const second = handle(gw, 'linux/arm64').catch((e: unknown) => events.push(`rejected ${String(e)}`));
    await new Promise((r) => setTimeout(r, 0));
    expect(events).toEqual(['hook linux/amd64']);
    endHook();
    await Promise.all([first, second]);
    expect(events.slice(0, 2)).toEqual(['hook linux/amd64', 'hook ended']);
    expect(events.slice(2).sort()).toEqual(['rejected linux/amd64', 'rejected linux/arm64']);
  });

  it('an error that is no step failure (failedStep gives nothing) leaves the next failure to be opened', async () => {
    const opened: string[] = [];
    const handle = stepFailureHandler((failed) => void opened.push(failed.platform ?? ''));
    const gw = { failedStep: (err: unknown) => Promise.resolve(err === 'cancelled' ? undefined : step(String(err))) };
    await expect(handle(gw, 'cancelled')).rejects.toBe('cancelled');
    await expect(handle(gw, 'linux/arm64')).rejects.toBe('linux/arm64');
    expect(opened).toEqual(['linux/arm64']);
  });
});
