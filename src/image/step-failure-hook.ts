/**
 * `buildImage`'s `onStepFailure`: the first step of a build whose command fails is handed to the hook while the build
 * still holds it. In a multi-platform build the other platforms' steps go on meanwhile; one that fails too waits for
 * the hook to end before its error ends the build — ending it at once would release the container the user is in.
 *
 * Internal module.
 */
import type { FailedStep } from '../client/failed-step-types.js';

/** What the hook needs of the gateway: the failed step of a solve error. */
export interface FailedStepSource {
  failedStep(error: unknown): Promise<FailedStep | undefined>;
}

/**
 * A function for a solve's error: it opens the first failure with `hook` (once per build), waits for that hook when
 * another solve fails while it runs, and then rejects with the error it was given.
 */
export function stepFailureHandler(hook: (failed: FailedStep) => unknown): (gw: FailedStepSource, err: unknown) => Promise<never> {
  let opened: Promise<boolean> | undefined;
  return async (gw, err) => {
    if (opened !== undefined) {
      await opened.catch(() => {});
      throw err;
    }
    const opening = (async () => {
      const failed = await gw.failedStep(err);
      if (failed === undefined) return false;
      await hook(failed);
      return true;
    })();
    opened = opening;
    // An error that is no step's failure (a cancellation) leaves the next one to be opened.
    if (!(await opening) && opened === opening) opened = undefined;
    throw err;
  };
}
